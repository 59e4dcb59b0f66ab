#pragma once
// The probe stage: one hwloc walk (I/O discovery on) turned into a Fingerprint, enriched from
// sysfs/proc (link speeds, drivers, block-device usage) and DMI (cloud identity).
#include <string>

#include "model/fingerprint.h"

namespace shapeq {

struct ProbeOptions {
  // A saved hwloc XML topology to probe instead of this machine; empty for this machine.
  std::string topology_xml;
  // A captured file-system root holding sys/ (and proc/), as hwloc-gather-topology writes.
  // Empty: "/" for this machine, nothing for an XML topology (so a fixture never picks up
  // this machine's link speeds or mounts).
  std::string sysfs_root;
  // This machine only: when DMI names Azure, AWS or GCP but not the VM size, ask the cloud's
  // instance metadata service (1 s at most). `shapeq probe/qualify --no-metadata` turns it off.
  bool ask_metadata = true;
};

// This machine, live; `ask_metadata` as above.
inline ProbeOptions ThisMachine(bool ask_metadata) {
  ProbeOptions options;
  options.ask_metadata = ask_metadata;
  return options;
}

// Throws Error(kBadInput) naming the file when the XML or the root cannot be used.
Fingerprint Probe(const ProbeOptions& options);

}  // namespace shapeq
