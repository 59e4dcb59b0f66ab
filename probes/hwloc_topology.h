#pragma once
// Loading an hwloc topology safely: from this machine, a captured root (HWLOC_FSROOT) or an XML
// file, every input checked first, and an XML file tried in a child process before hwloc parses
// it here. What the probe reads from it is probe.cc's.
#include <hwloc.h>

#include <memory>
#include <string>

#include "probes/probe.h"

namespace shapeq {

using Topology = std::unique_ptr<hwloc_topology, decltype(&hwloc_topology_destroy)>;

// BadInput naming the path: missing, unreadable, not XML, or an os_index no machine has.
void CheckXmlFile(const std::string& path);
// BadInput naming the root: missing, unreadable, or without the sys/ hwloc-gather-topology writes.
void CheckSysRoot(const std::string& root);

// The topology `options` names (an XML file), else this machine's, read under `live_fsroot` when
// not empty; with every PCI and OS device (lstopo --whole-io). BadInput naming what was read.
Topology LoadTopology(const ProbeOptions& options, const std::string& live_fsroot);

}  // namespace shapeq
