#pragma once
// What the measure stage runs, as plain data: each kernel's options and the choices beside them
// (which drives, which peer, which fleet). Qualify's plan holds one; each stand-alone command
// (storage, net, datapath) fills one from its flags. The kernel table (kernels.h) runs it.
#include <cstdint>
#include <string>
#include <vector>

#include "workloads/datapath_kernel.h"
#include "workloads/net_kernel.h"
#include "workloads/storage_kernel.h"

namespace shapeq {

struct MeasurePlan {
  // Storage: raw devices when named (writes only with storage.allow_destructive), else every
  // possible data drive with data_drives, else a scratch file of at most scratch_mib.
  StorageOptions storage;
  std::vector<std::string> devices;
  bool all_nvme = false;
  uint64_t scratch_mib = 1024;
  bool data_drives = true;
  // Network: loopback unless network.peer (running shapeq net-serve) is named. streams 0 is
  // automatic; with auto_net_cpus and no network.cpus, the streams are pinned near the NIC.
  bool network_enabled = true;
  NetOptions network;
  bool auto_net_cpus = true;
  bool datapath_enabled = true;
  DatapathOptions datapath;  // benchmark_binary: the caller fills it in, a plan never chooses it
  // A fleet: every host (each running net-serve) at once instead of this node. Storage runs each
  // kernel on every host's lent drives; network measures the pattern's pairs. The secret is
  // network.token.
  std::vector<std::string> hosts;
  std::string net_pattern = "ring";
};

}  // namespace shapeq
