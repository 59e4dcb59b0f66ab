#include "workloads/storage_options.h"

#include <cstdlib>
#include <regex>

#include "common/error.h"
#include "common/install_paths.h"
#include "workloads/fio_runner.h"
#include "workloads/storage_kernels.h"

namespace shapeq {

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
    if (!FindKernelSpec(name)) {
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

}  // namespace shapeq
