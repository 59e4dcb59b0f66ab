#pragma once
// Where and how deep the storage kernels run: queue depths and job counts from the fingerprint,
// and the served kernels' jobs spread over the cores by NUMA locality.
#include <optional>
#include <set>
#include <vector>

#include "model/fingerprint.h"
#include "workloads/storage_options.h"
#include "workloads/storage_targets.h"

namespace shapeq {

// Queue depth and job count for these targets on this node.
struct StorageDepths {
  unsigned seq_iodepth, rand_iodepth, numjobs;
};
StorageDepths PlanDepths(const Fingerprint& fp, const std::vector<StorageTarget>& targets, const StorageOptions& options);


// Served kernels spread their jobs over all cores by NUMA locality: each target gets the CPUs
// local to it that this process may use, shared evenly among the targets local to the same CPUs
// (at least one job each).
// `usable_cpus`: the CPUs fio's threads may run on (ThisProcessCpus()); nullopt: all of them.
unsigned ServedJobsFor(const Fingerprint& fp, const std::vector<StorageTarget>& targets, const StorageTarget& target,
                       const std::optional<std::set<unsigned>>& usable_cpus = std::nullopt);
// The CPUs this process may run on (its affinity: a taskset or a cpuset); nullopt if unknown.
std::optional<std::set<unsigned>> ThisProcessCpus();

}  // namespace shapeq
