#include "workloads/storage_kernel.h"

#include <sched.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <regex>
#include <set>
#include <sstream>

#include "common/error.h"
#include "common/install_paths.h"
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

const StorageKernelSpec* FindKernel(const std::string& name) {
  for (const auto& k : StorageKernels()) {
    if (name == k.name) return &k;
  }
  return nullptr;
}

std::string Seconds(double s) {
  char text[32];
  std::snprintf(text, sizeof text, "%gs", s);
  return text;
}

}  // namespace

std::string ShownPath(const StorageTarget& target) { return target.shown.empty() ? target.path : target.shown; }

const std::vector<StorageKernelSpec>& StorageKernels() {
  static const std::vector<StorageKernelSpec> kernels = {
      {"seq_read", "read", "1M", -1, false, false, false, "sequential read, 1 MiB blocks"},
      {"seq_write", "write", "1M", -1, true, false, false, "sequential write, 1 MiB blocks"},
      {"rand_read", "randread", "4k", -1, false, false, false, "random read IOPS, 4 KiB"},
      {"rand_write", "randwrite", "4k", -1, true, false, false, "random write IOPS, 4 KiB"},
      {"mix_70_30", "randrw", "4k", 70, true, false, false, "random 70% read / 30% write, 4 KiB"},
      {"lat_read", "randread", "4k", -1, false, true, false, "highest random read IOPS whose p99 stays under the latency bound"},
      // What the node serves: the same sequential I/O with a storage server's data path on every
      // block, through the suite's engine, jobs on all cores.
      {"served_read", "read", "1M", -1, false, false, false, "sequential read, CRC-32C of every 1 MiB block, jobs on all cores", "crc"},
      {"served_write", "write", "1M", -1, true, false, false, "sequential write, erasure-code parity (k+m) and CRC-32C of every 1 MiB block, jobs on all cores", "ec"},
  };
  return kernels;
}

const std::vector<StorageKernelSpec>& PreconditionSteps() {
  static const std::vector<StorageKernelSpec> steps = {
      {"precondition_fill", "write", "1M", -1, true, false, true, "precondition: fill the target once, 1 MiB sequential"},
      {"precondition_random", "randwrite", "4k", -1, true, false, false, "precondition: random 4 KiB writes over the filled target"},
  };
  return steps;
}

unsigned RunsOf(const StorageKernelSpec& kernel, unsigned repeats) {
  const auto& steps = PreconditionSteps();
  const bool step = &kernel >= steps.data() && &kernel < steps.data() + steps.size();
  return step ? 1 : repeats;
}

const std::vector<OptionField<StorageOptions>>& StorageOptionFields() {
  using O = StorageOptions;
  static const std::vector<OptionField<O>> fields = {
      {"kernels", "--kernels", &O::kernels, 0, 0, nullptr,
       "Kernels to run (default all): seq_read,seq_write,rand_read,rand_write,mix_70_30,lat_read,served_read,served_write"},
      {"runtime_s", "--runtime", &O::runtime_s, 0.1, 86400, nullptr, "Measured seconds per run"},
      {"ramp_s", "--ramp", &O::ramp_s, 0, 3600, nullptr, "Seconds excluded at the start of each run"},
      {"repeats", "--repeats", &O::repeats, 1, 100, nullptr, "Runs per kernel; the median is reported with the spread"},
      {"iodepth", nullptr, &O::seq_iodepth, 0, 4096, nullptr, "Queue depth for every kernel (0: from the drives)"},
      {"numjobs", "--numjobs", &O::numjobs, 0, 1024, nullptr, "Jobs per random kernel and drive (0: from the cores)"},
      {"steady_state", nullptr, &O::steady_state, 0, 0, nullptr, "fio steadystate= criterion; empty: off"},
      {"latency_target_ms", "--latency-target-ms", &O::latency_target_ms, 0.001, 1e6, nullptr, "Bound for lat_read"},
      {"latency_percentile", "--latency-percentile", &O::latency_percentile, 1, 100, nullptr, "Percentile the bound applies to"},
      {"ioengine", "--ioengine", &O::ioengine, 0, 0, nullptr, "fio ioengine (a storage engine the installed fio lists)"},
      {"direct", nullptr, &O::direct, 0, 0, nullptr, "O_DIRECT: bypass the page cache"},
      {"precondition", "--precondition", &O::precondition, 0, 0, nullptr, "Fill each target, then random-write it, before measuring (writes: same rules)"},
      {"allow_destructive", "--allow-destructive", &O::allow_destructive, 0, 0, nullptr,
       "Let write kernels write raw devices (never mounted, partitioned, held or system ones)"},
      {"force_async", "--force-async", &O::force_async, 0, 0, nullptr,
       "io_uring: send every I/O to the kernel's async workers (for a device under a blkio throttle, which charges a "
       "read's non-blocking try and its retry both)"},
      {"ec_k", "--ec-k", &O::ec_k, 0, 254, nullptr, "served_write's erasure code, data strips (0: the model's scheme)"},
      {"ec_m", "--ec-m", &O::ec_m, 0, 254, nullptr, "served_write's erasure code, parity strips (0: the model's scheme)"},
  };
  return fields;
}

StorageOptions QuickStorageOptions(StorageOptions o) {
  o.runtime_s = 2;
  o.ramp_s = 0.5;
  o.repeats = 1;
  return o;
}

std::optional<double> SteadyStateWindowS(const StorageKernelSpec& k, const StorageOptions& o) {
  if (k.latency_bounded || k.once_over || o.steady_state.empty()) return std::nullopt;
  const double window_s = std::min(10.0, o.runtime_s / 2);
  return window_s >= kMinSteadyStateWindowS ? std::optional(window_s) : std::nullopt;
}

// fio's steadystate= grammar: a criterion and a threshold, as a number or a percentage.
bool FioSteadyStateValue(const std::string& value) {
  static const std::regex grammar(R"(^(iops|iops_slope|bw|bw_slope):[0-9]+(\.[0-9]+)?%?$)");
  return std::regex_match(value, grammar);
}

void ValidateStorageOptions(const StorageOptions& o) {
  for (const auto& name : o.kernels) {
    if (!FindKernel(name)) {
      std::string known;
      for (const auto& k : StorageKernels()) known += std::string(known.empty() ? "" : ", ") + k.name;
      throw Error(ExitCode::kUsage, "kernels: no kernel " + Quoted(name) + " (have: " + known + ")");
    }
  }
  ValidateOptionFields(o, StorageOptionFields());
  if ((o.ec_k == 0) != (o.ec_m == 0) || o.ec_k + o.ec_m > 255) {
    throw Error(ExitCode::kUsage, "ec_k, ec_m: both 0 (the model's scheme) or both set, k + m at most 255, not " +
                                      std::to_string(o.ec_k) + "+" + std::to_string(o.ec_m));
  }
  if (!o.served_engine.empty()) CheckFioValue("served engine", o.served_engine, ":");
  if (o.rand_iodepth > 4096) throw Error(ExitCode::kUsage, "iodepth: at most 4096");
  CheckFioValue("ioengine", o.ioengine);
  if (!o.steady_state.empty()) {
    CheckFioValue("steady_state", o.steady_state);
    if (!FioSteadyStateValue(o.steady_state)) {
      throw Error(ExitCode::kUsage, "steady_state: " + Quoted(o.steady_state) +
                                        " is not fio's steadystate= (iops|iops_slope|bw|bw_slope):NUMBER[%]");
    }
  }
  const std::set<std::string> engines = FioEngines(o.fio);
  if (!StorageEngine(o.ioengine) || (!engines.empty() && !engines.count(o.ioengine))) {
    std::string listed;
    for (const auto& e : engines) {
      if (StorageEngine(e)) listed += (listed.empty() ? "" : ", ") + e;
    }
    throw Error(ExitCode::kUsage, "ioengine: " + Quoted(o.ioengine) + " is not a storage engine " + o.fio +
                                      " has" + (listed.empty() ? "" : " (it has: " + listed + ")"));
  }
}

void CheckStorageTarget(const StorageTarget& t) {
  // ':' separates files in filename=; the CPU list is hwloc's (digits, ',' and '-').
  CheckFioValue("filename", t.path, ":");
  CheckFioValue("target name", t.name, ":");
  if (t.cpus.find_first_not_of("0123456789,-") != std::string::npos) {
    throw Error(ExitCode::kUsage, "cpus_allowed: " + Quoted(t.cpus) + " is not a CPU list");
  }
}

StorageDepths PlanDepths(const Fingerprint& fp, const std::vector<StorageTarget>& targets, const StorageOptions& o) {
  const bool nvme = std::any_of(targets.begin(), targets.end(), [](const StorageTarget& t) { return t.nvme; });
  StorageDepths d{};
  d.seq_iodepth = o.seq_iodepth ? o.seq_iodepth : (nvme ? 32u : 16u);
  d.rand_iodepth = o.rand_iodepth ? o.rand_iodepth : (nvme ? 64u : 32u);
  // NVMe random IOPS need several submitters: share the cores among the drives, 1 to 4 each.
  const unsigned drives = std::max<unsigned>(1, static_cast<unsigned>(targets.size()));
  d.numjobs = o.numjobs ? o.numjobs : (nvme ? std::clamp(fp.cpu.hardware_threads / drives, 1u, 4u) : 1u);
  return d;
}

std::string FioJobFile(const StorageKernelSpec& k, const std::vector<StorageTarget>& targets, const StorageOptions& o,
                       unsigned seq_iodepth, unsigned rand_iodepth, unsigned numjobs, const std::vector<unsigned>& jobs_per_target) {
  // The last guard before text becomes a job file (callers validated the options already).
  CheckFioValue("ioengine", o.ioengine);
  CheckFioValue("steady_state", o.steady_state);
  for (const auto& t : targets) CheckStorageTarget(t);
  const bool served = k.datapath != nullptr;
  if (served) {
    if (o.served_engine.empty()) throw Error(ExitCode::kEnvironment, std::string(k.name) + ": the suite's ioengine was not built");
    CheckFioValue("served engine", o.served_engine, ":");
    if (o.ec_k == 0 || o.ec_m == 0) throw Error(ExitCode::kUsage, std::string(k.name) + ": no erasure code chosen (ec_k, ec_m)");
  }
  const bool sequential = std::string(k.rw) == "read" || std::string(k.rw) == "write";
  const bool direct = o.direct;
  std::ostringstream job;
  job << "; generated by shapeq " << kVersion << ": kernel " << k.name << " (" << k.help << ")\n"
      << "[global]\n";
  if (served) {
    // The suite's engine and its options; the ioengine line comes first, so fio knows them.
    job << "ioengine=external:" << o.served_engine << "\n"
        << "datapath=" << k.datapath << "\n";
    if (std::string(k.datapath) == "ec") job << "k=" << o.ec_k << "\nm=" << o.ec_m << "\n";
    if (o.force_async) job << "force_async=1\n";
  } else {
    job << "ioengine=" << o.ioengine << "\n";
    if (o.force_async && o.ioengine == "io_uring") job << "force_async=1\n";
  }
  job << "direct=" << (direct ? 1 : 0) << "\n"
      << "rw=" << k.rw << "\n"
      << "bs=" << k.block_size << "\n";
  if (k.read_percent >= 0) job << "rwmixread=" << k.read_percent << "\n";
  job << "iodepth=" << (sequential ? seq_iodepth : rand_iodepth) << "\n";
  if (jobs_per_target.empty()) job << "numjobs=" << (sequential ? 1 : numjobs) << "\n";
  if (!k.once_over) {
    job << "time_based=1\n"
        << "runtime=" << Seconds(o.runtime_s) << "\n"
        << "ramp_time=" << Seconds(o.ramp_s) << "\n";
  }
  job
      << "randrepeat=0\n"
      << "norandommap=1\n"
      << "group_reporting=1\n"
      << "thread=1\n";  // jobs as threads of one fio process: stopping it stops them all
  if (k.once_over) {
    // A fill runs to the end of the target: no time limit, no steady state to wait for.
  } else if (k.latency_bounded) {
    char target[32];
    std::snprintf(target, sizeof target, "%gms", o.latency_target_ms);
    job << "latency_target=" << target << "\n"
        << "latency_window=" << Seconds(std::max(1.0, o.runtime_s / 10)) << "\n"
        << "latency_percentile=" << o.latency_percentile << "\n";
  } else if (const auto window_s = SteadyStateWindowS(k, o)) {
    job << "steadystate=" << o.steady_state << "\n"
        << "steadystate_duration=" << Seconds(*window_s) << "\n";
  }
  for (size_t i = 0; i < targets.size(); ++i) {
    const StorageTarget& t = targets[i];
    job << "\n[" << k.name << "@" << t.name << "]\n"
        << "filename=" << t.path << "\n";
    // One reporting group per target: per-drive figures and the node's sum from one run.
    if (targets.size() > 1) job << "new_group\n";
    const unsigned jobs = i < jobs_per_target.size() ? jobs_per_target[i] : 0;
    // Several jobs on one target each take their own slice (whole MiB), so a sequential stream
    // stays sequential and no two jobs read the same blocks.
    const uint64_t slice = jobs > 1 ? t.size_bytes / jobs / (1 << 20) * (1 << 20) : 0;
    if (jobs > 0) job << "numjobs=" << (slice > 0 ? jobs : 1) << "\n";
    if (slice > 0) {
      job << "size=" << slice << "\noffset_increment=" << slice << "\n";
    } else if (!t.raw_device) {
      job << "size=" << t.size_bytes << "\n";
    }
    if (!t.cpus.empty()) job << "cpus_allowed=" << t.cpus << "\ncpus_allowed_policy=shared\n";
  }
  return job.str();
}

namespace {

// CPUs in an hwloc list ("0-15,32-47"), only those in `usable` when given; 0 for an empty list.
unsigned CpuCount(const std::string& list, const std::optional<std::set<unsigned>>& usable) {
  unsigned count = 0;
  std::istringstream in(list);
  for (std::string range; std::getline(in, range, ',');) {
    const auto dash = range.find('-');
    try {
      const unsigned long first = std::stoul(range.substr(0, dash));
      const unsigned long last = std::min(dash == std::string::npos ? first : std::stoul(range.substr(dash + 1)), first + (1ul << 20));
      for (unsigned long cpu = first; cpu <= last; ++cpu) count += !usable || usable->count(static_cast<unsigned>(cpu));
    } catch (const std::exception&) {
      // CheckStorageTarget let only digits, ',' and '-' through; a malformed range counts none.
    }
  }
  return count;
}

}  // namespace

std::optional<std::set<unsigned>> ThisProcessCpus() {
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  if (sched_getaffinity(0, sizeof allowed, &allowed) != 0) return std::nullopt;
  std::set<unsigned> cpus;
  for (unsigned cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (CPU_ISSET(cpu, &allowed)) cpus.insert(cpu);
  }
  return cpus;
}

unsigned ServedJobsFor(const Fingerprint& fp, const std::vector<StorageTarget>& targets, const StorageTarget& target,
                       const std::optional<std::set<unsigned>>& usable_cpus) {
  const std::string all = fp.cpu.hardware_threads ? "0-" + std::to_string(fp.cpu.hardware_threads - 1) : "0";
  const unsigned local_cpus = CpuCount(target.cpus.empty() ? all : target.cpus, usable_cpus);
  const auto sharing = std::count_if(targets.begin(), targets.end(), [&](const StorageTarget& t) { return t.cpus == target.cpus; });
  return std::max(1u, local_cpus / static_cast<unsigned>(std::max<std::ptrdiff_t>(1, sharing)));
}

std::string BuiltServedEngine() {
  if (const char* path = std::getenv("SHAPEQ_IOENGINE")) return path;
  return InstalledOr("lib/shapeq/shapeq_datapath.so", SHAPEQ_IOENGINE_PATH);
}

StorageOptions WithServedDefaults(StorageOptions o) {
  o.served_engine = BuiltServedEngine();
  if (o.ec_k == 0 && o.ec_m == 0) {
    o.ec_k = kDefaultServedK;
    o.ec_m = kDefaultServedM;
  }
  return o;
}

std::vector<const StorageKernelSpec*> SelectedKernels(const StorageOptions& o) {
  std::vector<const StorageKernelSpec*> kernels;
  if (o.precondition) {
    for (const auto& step : PreconditionSteps()) kernels.push_back(&step);
  }
  for (const auto& k : StorageKernels()) {
    if (o.kernels.empty() || std::find(o.kernels.begin(), o.kernels.end(), k.name) != o.kernels.end()) kernels.push_back(&k);
  }
  return kernels;
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
    m.params = {{"kernel", k->name}, {"rw", k->rw}, {"bs", k->block_size}, {"targets", paths}, {"runtime_s", o.runtime_s},
                {"ramp_s", o.ramp_s}, {"repeats", o.repeats}, {"seq_iodepth", depths.seq_iodepth},
                {"rand_iodepth", depths.rand_iodepth}, {"numjobs", depths.numjobs}, {"ioengine", o.ioengine},
                {"direct", o.direct}, {"steady_state", SteadyStateWindowS(*k, o) ? o.steady_state : ""}};
    if (k->datapath) {
      m.params["ioengine"] = "shapeq-datapath";
      m.params["datapath"] = k->datapath;
      if (std::string(k->datapath) == "ec") m.params["ec"] = std::to_string(o.ec_k) + "+" + std::to_string(o.ec_m);
      m.params["jobs_per_target"] = planned.jobs_per_target;
    }
    if (o.force_async) m.params["force_async"] = true;
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
