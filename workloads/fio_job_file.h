#pragma once
// The fio job file text for one kernel over its targets.
#include <string>
#include <vector>

#include "workloads/storage_kernels.h"
#include "workloads/storage_targets.h"

namespace shapeq {

// The fio job file for `kernel` over `targets`: one job section per target, each its own
// reporting group, all running at once. `jobs_per_target` (served kernels): that many jobs in
// each target's section, each reading or writing its own slice of the target.
std::string FioJobFile(const StorageKernelSpec& kernel, const std::vector<StorageTarget>& targets, const StorageOptions& options,
                       unsigned seq_iodepth, unsigned rand_iodepth, unsigned numjobs, const std::vector<unsigned>& jobs_per_target = {});

}  // namespace shapeq
