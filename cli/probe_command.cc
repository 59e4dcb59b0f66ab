// shapeq probe: the node's fingerprint, as text (default) or JSON.
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "probes/fingerprint_text.h"
#include "probes/probe.h"

namespace shapeq::cli {

Runner SetupProbe(CLI::App& app) {
  struct Args {
    ProbeOptions probe;
    bool json = false;
    bool no_metadata = false;
    std::string out_path;
  };
  auto args = std::make_shared<Args>();
  app.add_option("--topology", args->probe.topology_xml,
                 "Probe a saved hwloc XML topology (lstopo --of xml) instead of this machine");
  app.add_option("--sysfs-root", args->probe.sysfs_root,
                 "Read sys/ and proc/ under DIR, a root captured by hwloc-gather-topology");
  app.add_flag("--no-metadata", args->no_metadata, "Do not ask the cloud's instance metadata service for the VM size");
  AddOutputOptions(app, args->json, args->out_path, "Print the Fingerprint as JSON instead of the summary");
  return [args] {
    args->probe.ask_metadata = !args->no_metadata;
    const Fingerprint fp = Probe(args->probe);
    Emit(fp, args->json, args->out_path, FormatFingerprintText(fp));
    return 0;
  };
}

}  // namespace shapeq::cli
