#include "workloads/storage_kernel.h"

#include <algorithm>
#include <set>

#include "common/error.h"
#include "common/interrupt.h"
#include "common/json_optional.h"
#include "shapeq/version.h"
#include "workloads/device_safety.h"
#include "workloads/fio_output.h"
#include "workloads/fio_runner.h"

namespace shapeq {
namespace {

// A data-center NVMe drive's sequential write, for the ETA of a fill before fio gives its own.
constexpr double kFillEstimateBytesPerS = 2e9;

}  // namespace

nlohmann::json StorageRunParams(const StorageKernelSpec& k, const StorageOptions& o, const StorageDepths& depths) {
  // Every option through its table (what a plan file names), then what this kernel resolved them
  // to: its own rw and block size, the depths the drives chose (0 in a fleet: each host's own),
  // whether steady-state detection applied, and the suite's engine for a served kernel.
  nlohmann::json params = OptionFieldsJson(o, StorageOptionFields());
  params.erase("kernels");
  params.erase("iodepth");
  params.update({{"kernel", k.name}, {"rw", k.rw}, {"bs", k.block_size}, {"seq_iodepth", depths.seq_iodepth},
                 {"rand_iodepth", depths.rand_iodepth}, {"numjobs", depths.numjobs},
                 {"steady_state", SteadyStateWindowS(k, o) ? o.steady_state : ""}});
  if (k.datapath) {
    params["ioengine"] = "shapeq-datapath";
    params["datapath"] = k.datapath;
    if (std::string(k.datapath) == "ec") params["ec"] = std::to_string(o.ec_k) + "+" + std::to_string(o.ec_m);
  }
  return params;
}

std::vector<StorageJob> PlanStorageJobs(const Fingerprint& fp, const std::vector<StorageTarget>& targets, const StorageOptions& o) {
  ValidateStorageOptions(o);
  if (targets.empty()) throw Error(ExitCode::kUsage, "no storage target");
  for (const auto& t : targets) CheckStorageTarget(t);
  const StorageDepths depths = PlanDepths(fp, targets, o);
  const std::optional<std::set<unsigned>> usable_cpus = ThisProcessCpus();
  // One fio run per kernel over every target at once (all drives fill in parallel too): the
  // plan grows with the kernels, not with kernels x drives.
  std::vector<StorageJob> jobs;
  auto add = [&](const StorageKernelSpec& k) {
    if (k.datapath && o.served_engine.empty()) {
      jobs.push_back({&k, targets, depths, "", "the suite's ioengine (shapeq_datapath.so) was not built: no fio source headers; raw kernels only", {}});
      return;
    }
    std::vector<unsigned> served_jobs;
    if (k.datapath) {
      for (const auto& t : targets) served_jobs.push_back(ServedJobsFor(fp, targets, t, usable_cpus));
    }
    jobs.push_back({&k, targets, depths, FioJobFile(k, targets, o, depths.seq_iodepth, depths.rand_iodepth, depths.numjobs, served_jobs), "",
                    served_jobs});
  };
  for (const StorageKernelSpec* k : SelectedKernels(o)) add(*k);
  return jobs;
}

std::vector<Measurement> RunStorage(const Fingerprint& fp, const std::vector<StorageTarget>& targets, const StorageOptions& o,
                                    const StorageProgress& on_done, const StorageLiveRate& on_live) {
  std::vector<Measurement> results;
  const std::vector<StorageJob> jobs = PlanStorageJobs(fp, targets, o);
  // Planned time of a time-based job: ramp and runtime, every repeat. A fill runs until the
  // largest target is written: estimated at kFillEstimateBytesPerS, then fio's own ETA.
  uint64_t largest_bytes = 0;
  for (const auto& t : targets) largest_bytes = std::max(largest_bytes, t.size_bytes);
  auto planned_s = [&o, largest_bytes](const StorageJob& j) {
    return j.kernel->once_over ? static_cast<double>(largest_bytes) / kFillEstimateBytesPerS : (o.ramp_s + o.runtime_s) * RunsOf(*j.kernel, o.repeats);
  };
  double seconds_left = 0;
  for (const auto& j : jobs) seconds_left += planned_s(j);
  for (const StorageJob& planned : jobs) {
    if (Interrupted()) break;  // what ran so far is kept
    const StorageKernelSpec* k = planned.kernel;
    const std::vector<StorageTarget>& set = planned.targets;
    const StorageDepths& depths = planned.depths;
    const std::string& job = planned.job_file;
    Measurement m;
    m.kernel = std::string("fio.") + k->name;
    m.target = set.size() == 1 ? ShownPath(set[0]) : "all " + std::to_string(set.size()) + " targets";
    nlohmann::json paths = nlohmann::json::array();
    for (const auto& t : set) paths.push_back(ShownPath(t));
    m.params = StorageRunParams(*k, o, depths);
    m.params["targets"] = paths;
    if (k->datapath) m.params["jobs_per_target"] = planned.jobs_per_target;
    m.duration_s = o.runtime_s;
    // Why this job does not run: the served engine was not built, or it would write a raw
    // device that may not be written.
    std::string skipped = planned.skipped;
    // Held while fio writes: the kernel's own word that no one has the devices, and no one can
    // take them until the run ends.
    DeviceClaims claims;
    if (k->writes && skipped.empty()) {
      for (const auto& t : set) {
        if (!t.raw_device) continue;
        if (auto why = RefuseDeviceWrites(fp, t.device_id, ShownPath(t), o.allow_destructive)) skipped = *why;
        else if (auto busy = claims.Claim(t.path, t.device_id)) skipped = *busy;
        if (!skipped.empty()) break;
      }
    }
    if (!skipped.empty()) {
      m.status = MeasurementStatus::kSkipped;
      m.reason = skipped;
      results.push_back(std::move(m));
      seconds_left -= planned_s(planned);
      if (on_done) on_done(results.back(), results.size(), jobs.size(), std::max(0.0, seconds_left));
      continue;
    }
    m.detail["job_file"] = job;
    nlohmann::json repeats = nlohmann::json::array();
    bool steady = true;
    // Preconditioning runs once; a kernel repeats.
    const unsigned runs = RunsOf(*k, o.repeats);
    for (unsigned r = 0; r < runs && !(r > 0 && Interrupted()); ++r) {
      const bool raw = std::any_of(set.begin(), set.end(), [](const StorageTarget& t) { return t.raw_device; });
      std::function<void(const FioStatus&)> on_status;
      if (on_live) {
        // Left: this repeat (fio's own estimate), the repeats after it, and the jobs after this one.
        const double after_this_job = seconds_left - planned_s(planned);
        const double later_repeats = planned_s(planned) / runs * (runs - r - 1);
        on_status = [&, after_this_job, later_repeats](const FioStatus& status) {
          on_live({m.kernel, m.target, status.bytes_per_s, status.iops, results.size(), jobs.size(),
                   status.seconds_left + later_repeats + after_this_job});
        };
      }
      Measurement run = RunFioOnce(job, o.fio, o.runtime_s, raw && !k->writes, !k->once_over && !k->latency_bounded, on_status);
      nlohmann::json entry = run.detail;
      entry.erase("raw_output");
      entry["bytes_per_s"] = run.bytes_per_s;
      entry["iops"] = run.iops;
      entry["cpu_cores_busy"] = run.cpu_cores_busy;
      entry["raw_output"] = run.detail.value("raw_output", nlohmann::json());
      if (run.detail.contains("steady_state") && !run.detail["steady_state"].value("attained", false)) steady = false;
      m.detail["fio_version"] = run.detail.value("fio_version", "");
      if (run.status != MeasurementStatus::kOk) {
        entry["failure"] = run.reason;
        repeats.push_back(entry);
        m.status = MeasurementStatus::kFailed;
        m.reason = "repeat " + std::to_string(r + 1) + ": " + run.reason;
        break;
      }
      repeats.push_back(entry);
      m.repeats_bytes_per_s.push_back(*run.bytes_per_s);
      m.repeats_iops.push_back(*run.iops);
      m.cpu_cores_busy = run.cpu_cores_busy;
    }
    SummarizeRepeats(m);
    m.detail["repeats"] = repeats;
    if (SteadyStateWindowS(*k, o)) {
      m.detail["steady"] = steady;
      if (!steady && m.status == MeasurementStatus::kOk) m.detail["note"] = "not steady: fio's steady-state criterion (" + o.steady_state + ") was not met in every repeat";
    }
    results.push_back(std::move(m));
    seconds_left -= planned_s(planned);
    if (on_done) on_done(results.back(), results.size(), jobs.size(), std::max(0.0, seconds_left));
  }
  return results;
}

}  // namespace shapeq
