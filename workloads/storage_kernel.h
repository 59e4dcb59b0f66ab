#pragma once
// The storage stage: fio jobs generated from a plan (never hand-written per machine), run on all
// targets at once, each job pinned to the CPUs local to its drive. The pieces, one idea each:
// storage_kernels.h (the kernel list), storage_options.h (options), storage_targets.h (devices,
// scratch files), storage_placement.h (depths, CPUs), fio_job_file.h (the job file); here the
// plan and the run.
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/fingerprint.h"
#include "model/measurement.h"
#include "workloads/fio_job_file.h"
#include "workloads/storage_kernels.h"
#include "workloads/storage_options.h"
#include "workloads/storage_placement.h"
#include "workloads/storage_targets.h"

namespace shapeq {

// One fio run the plan holds: a kernel over all targets.
struct StorageJob {
  const StorageKernelSpec* kernel;
  std::vector<StorageTarget> targets;
  StorageDepths depths;
  std::string job_file;      // empty when `skipped` says why it cannot run
  std::string skipped;
  std::vector<unsigned> jobs_per_target;  // served kernels: ServedJobsFor each target
};
// One job per kernel (preconditioning steps first, when asked) over all targets at once, one
// reporting group per target.
std::vector<StorageJob> PlanStorageJobs(const Fingerprint& fp, const std::vector<StorageTarget>& targets, const StorageOptions& options);

// A storage measurement's params: what ran (kernel, rw, bs), for how long and how deep, through
// which engine. The node's run adds its targets, the fleet's its hosts.
nlohmann::json StorageRunParams(const StorageKernelSpec& kernel, const StorageOptions& options, const StorageDepths& depths);

// Runs every kernel on all targets at once: per-target figures in detail.per_target, the
// node's in the Measurement. Writes to raw
// devices are refused (and recorded as skipped) unless allowed and safe. A kernel that fails
// is a failed measurement with its reason and whatever fio reported; the others still run.
// Throws Error(kEnvironment) when fio cannot be run at all.
// `on_done` (optional) hears each measurement as it finishes, with how many of the planned jobs
// are done and the seconds the rest are planned to take: for progress and an ETA.
// `on_live` (optional) hears, about once a second, the running kernel's rate as fio's status line
// gives it, and the seconds the whole plan has left.
using StorageProgress = std::function<void(const Measurement& done, size_t finished, size_t total, double seconds_left)>;
struct StorageLive {
  std::string kernel, target;
  double bytes_per_s = 0, iops = 0;
  size_t finished = 0, total = 0;
  double seconds_left = 0;
};
using StorageLiveRate = std::function<void(const StorageLive&)>;
std::vector<Measurement> RunStorage(const Fingerprint& fp, const std::vector<StorageTarget>& targets, const StorageOptions& options,
                                    const StorageProgress& on_done = {}, const StorageLiveRate& on_live = {});

}  // namespace shapeq
