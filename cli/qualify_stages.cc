#include "cli/qualify_stages.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "cli/commands.h"
#include "common/error.h"
#include "common/interrupt.h"
#include "results/run_dir.h"
#include "workloads/datapath_kernel.h"
#include "workloads/net_kernel.h"
#include "workloads/storage_kernel.h"

namespace shapeq::cli {
namespace {

namespace fs = std::filesystem;

// A kernel that ran and failed (Error kRunFailed) as the failed Measurement the table promises;
// anything else (it could not run at all) stays an Error.
template <typename Run>
std::vector<Measurement> FailuresAsMeasurements(const char* kernel, Run&& run) {
  try {
    return run();
  } catch (const Error& e) {
    if (e.code() != ExitCode::kRunFailed) throw;
    Measurement m;
    m.kernel = kernel;
    m.status = MeasurementStatus::kFailed;
    m.reason = e.what();
    return {m};
  }
}

std::string OkCount(const std::vector<Measurement>& ms, const QualifyPlan&) { return KernelsOkText(ms); }

// Storage: the planned raw devices, else every possible data drive, else a scratch file in the
// results directory (deleted afterwards). Raw devices are written only with allow_destructive,
// and never when mounted, partitioned, held or the system disk (the storage kernel refuses).
std::vector<Measurement> RunStorageStage(const StageInputs& in) {
  const QualifyPlan& plan = in.plan;
  std::vector<Measurement> storage;
  {
    const ChosenTargets chosen =
        ChooseStorageTargets(in.fp, plan.devices, plan.all_nvme, plan.data_drives, (in.dir / kScratchDir).string(), plan.scratch_mib << 20);
    const std::vector<StorageTarget>& targets = chosen.targets;
    Progress& progress = in.progress;
    storage = RunStorage(
        in.fp, targets, plan.storage,
        [&](const Measurement& m, size_t finished, size_t total, double seconds_left) {
          char line[400];
          if (m.status == MeasurementStatus::kSkipped) {
            // Why, in the one line (the engine was not built, a write was refused).
            std::snprintf(line, sizeof line, "      %s: skipped — %s  (%zu/%zu, about %.0f s left)", m.kernel.c_str(), m.reason.c_str(), finished,
                          total, seconds_left);
          } else {
            std::snprintf(line, sizeof line, "      %s: %s %.3f GB/s, %.0f IOPS  (%zu/%zu, about %.0f s left)", m.kernel.c_str(),
                          MeasurementStatusName(m.status), m.bytes_per_s.value_or(0) / 1e9, m.iops.value_or(0), finished, total, seconds_left);
          }
          progress.Line(line);
        },
        !progress.terminal() ? StorageLiveRate() : [&](const StorageLive& live) {
          char line[200];
          const std::string target = live.target.rfind("/dev/", 0) == 0 ? live.target.substr(5)
                                     : live.target.rfind("all ", 0) == 0 ? live.target : "scratch";
          std::snprintf(line, sizeof line, "%s (%zu/%zu) on %s: %.3f GB/s, %.0f IOPS", live.kernel.c_str(), live.finished + 1, live.total,
                        target.c_str(), live.bytes_per_s / 1e9, live.iops);
          progress.Live(line, live.seconds_left);
        });
  }
  std::error_code ignored;
  fs::remove(in.dir / kScratchDir, ignored);  // empty once the scratch file is gone
  if (!storage.empty()) in.manifest["fio_version"] = storage.front().detail.value("fio_version", "");
  return storage;
}

// Network: to the planned peer (running shapeq net-serve), else loopback, which still gives a
// figure (the TCP stack's ceiling on this node).
std::vector<Measurement> RunNetworkStage(const StageInputs& in) {
  NetOptions o = in.plan.network;
  if (o.streams == 0) {
    const NetPlacement placement = AutoNetPlacement(in.fp, o.peer, "network.peer");
    o.streams = placement.streams;
    if (!o.peer.empty() && placement.cpus) o.cpus = *placement.cpus;  // loopback: no NIC to pin near
  }
  return FailuresAsMeasurements("net.tcp", [&] {
    return std::vector<Measurement>{RunNet(o, [&](unsigned repeat, unsigned repeats, double bytes_per_s) {
      char line[96];
      std::snprintf(line, sizeof line, "net.tcp repeat %u/%u: %.1f Gbit/s", repeat, repeats, bytes_per_s * 8 / 1e9);
      in.progress.Live(line, std::nullopt);
    })};
  });
}

std::string NetworkSummary(const std::vector<Measurement>& ms, const QualifyPlan& plan) {
  char text[128];
  std::snprintf(text, sizeof text, "%.1f Gbit/s to %s", ms.front().bytes_per_s.value_or(0) * 8 / 1e9,
                plan.network.peer.empty() ? "loopback" : ms.front().target.c_str());
  return text;
}

// Data path: the CPU cost per core.
std::vector<Measurement> RunDatapathStage(const StageInputs& in) {
  DatapathOptions o = in.plan.datapath;
  o.benchmark_binary = DatapathBenchmarkPath();
  return FailuresAsMeasurements("datapath", [&] { return RunDatapath(o); });
}

}  // namespace

std::string KernelsOkText(const std::vector<Measurement>& ms) {
  const auto ok = std::count_if(ms.begin(), ms.end(), [](const Measurement& m) { return m.status == MeasurementStatus::kOk; });
  return std::to_string(ok) + " of " + std::to_string(ms.size()) + " kernels ok";
}

const std::vector<MeasureStage>& MeasureStages() {
  static const std::vector<MeasureStage> stages = {
      {"storage", kStorageFile, false, [](const QualifyPlan&) { return true; }, [](const QualifyPlan&) { return 0.0; },
       RunStorageStage, OkCount},
      {"network", kNetworkFile, true, [](const QualifyPlan& p) { return p.network_enabled; },
       [](const QualifyPlan& p) { return (p.network.warmup_s + p.network.duration_s) * p.network.repeats; }, RunNetworkStage,
       NetworkSummary},
      {"datapath", kDatapathFile, false, [](const QualifyPlan& p) { return p.datapath_enabled; }, [](const QualifyPlan&) { return 0.0; },
       RunDatapathStage, OkCount},
  };
  return stages;
}

}  // namespace shapeq::cli
