#pragma once
// `shapeq storage --hosts`: the same storage kernel on every host's drives at once, through fio's
// own client/server. Each host plans its own job (its drives, its NUMA placement) in net-serve
// (storage_serve.h); this side asks each for it over the authenticated connection, relays a local
// unix socket per host to that connection, and runs one `fio --client=... --remote-config JOB`
// over all of them, so fio starts every host's job together and reports each by host.
#include <string>
#include <vector>

#include "model/measurement.h"
#include "workloads/storage_kernel.h"

namespace shapeq {

struct StorageFleetOptions {
  std::vector<std::string> hosts;  // HOST[:PORT] of each net-serve
  std::string token;               // the shared secret
  StorageOptions storage;          // kernels, runtime, repeats ...: each host plans with these
  double plan_timeout_s = 300;     // for a host to answer (its first request writes its scratch file)
};

// One Measurement per kernel (preconditioning steps first, when asked): the fleet's figures
// (bytes/s and IOPS summed over hosts, latency histograms merged) with each host's own in
// detail.per_host (host, hostname, bytes_per_s, iops, p99_s; medians over the repeats) and in
// every repeat's per_target. A host that refuses (no storage lent, a write not allowed, busy)
// is listed in detail.hosts with why, and the others run; a kernel every host refuses is skipped.
// Error(kUsage) for a malformed host, Error(kEnvironment) when fio cannot be run here.
std::vector<Measurement> RunStorageFleet(const StorageFleetOptions& options, const StorageProgress& on_done = {});

}  // namespace shapeq
