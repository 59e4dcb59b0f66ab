#include "workloads/kernels.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "common/interrupt.h"
#include "probes/probe.h"
#include "workloads/storage_fleet.h"

namespace shapeq {
namespace {

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

// The node the context names, else this machine probed now (drives and CPUs, not the VM size).
Fingerprint NodeOf(const KernelContext& context) { return context.fp ? *context.fp : Probe(ThisMachine(false)); }

std::string OkCount(const std::vector<Measurement>& ms, const MeasurePlan&) { return KernelsOkText(ms); }

// The line a storage kernel leaves as it finishes: its figure (or why it was skipped), its host
// or target in a fleet, and what is left.
std::string StorageStepLine(const Measurement& m, size_t finished, size_t total, double seconds_left, bool fleet) {
  char line[512];
  const std::string where = fleet ? " on " + m.target : "";
  if (m.status == MeasurementStatus::kSkipped) {
    std::snprintf(line, sizeof line, "      %s%s: skipped — %s  (%zu/%zu, about %.0f s left)", m.kernel.c_str(), where.c_str(), m.reason.c_str(),
                  finished, total, seconds_left);
  } else {
    std::snprintf(line, sizeof line, "      %s%s: %s %.3f GB/s, %.0f IOPS  (%zu/%zu, about %.0f s left)", m.kernel.c_str(), where.c_str(),
                  MeasurementStatusName(m.status), m.bytes_per_s.value_or(0) / 1e9, m.iops.value_or(0), finished, total, seconds_left);
  }
  return line;
}

// Storage: the planned raw devices, else every possible data drive, else a scratch file (removed
// afterwards); with hosts, every host's lent drives at once. Raw devices are written only with
// allow_destructive, and never when mounted, partitioned, held or the system disk.
std::vector<Measurement> RunStorageKernel(const MeasurePlan& plan, const KernelContext& context) {
  const bool fleet = !plan.hosts.empty();
  StorageProgress on_done;
  if (context.step) {
    on_done = [&](const Measurement& m, size_t finished, size_t total, double seconds_left) {
      context.step(StorageStepLine(m, finished, total, seconds_left, fleet));
    };
  }
  if (fleet) return RunStorageFleet({plan.hosts, plan.network.token, plan.storage}, on_done);
  StorageLiveRate on_live;
  if (context.live) {
    on_live = [&](const StorageLive& live) {
      char line[200];
      const std::string target = live.target.rfind("/dev/", 0) == 0 ? live.target.substr(5)
                                 : live.target.rfind("all ", 0) == 0 ? live.target : "scratch";
      std::snprintf(line, sizeof line, "%s (%zu/%zu) on %s: %.3f GB/s, %.0f IOPS", live.kernel.c_str(), live.finished + 1, live.total,
                    target.c_str(), live.bytes_per_s / 1e9, live.iops);
      context.live(line, live.seconds_left);
    };
  }
  const Fingerprint fp = NodeOf(context);
  const ChosenTargets chosen =
      ChooseStorageTargets(fp, plan.devices, plan.all_nvme, plan.data_drives, context.scratch_dir, plan.scratch_mib << 20);
  return RunStorage(fp, chosen.targets, plan.storage, on_done, on_live);
}

// Network: to the planned peer (running shapeq net-serve), else loopback, which still gives a
// figure (the TCP stack's ceiling on this node); with hosts, the pattern's pairs.
std::vector<Measurement> RunNetworkKernel(const MeasurePlan& plan, const KernelContext& context) {
  NetOptions o = plan.network;
  if (!plan.hosts.empty()) {
    if (o.streams == 0) o.streams = 2;
    return RunNetFleet(plan.hosts, plan.net_pattern, o);
  }
  const bool auto_cpus = plan.auto_net_cpus && o.cpus.empty();
  if (o.streams == 0 || auto_cpus) {
    const NetPlacement placement = AutoNetPlacement(NodeOf(context), o.peer, "--peer");
    if (o.streams == 0) o.streams = placement.streams;
    if (auto_cpus) o.cpus = placement.cpus.value_or("");  // loopback: no NIC to pin near
  }
  return FailuresAsMeasurements("net.tcp", [&] {
    return std::vector<Measurement>{RunNet(o, [&](unsigned repeat, unsigned repeats, double bytes_per_s) {
      if (!context.live) return;
      char line[96];
      std::snprintf(line, sizeof line, "net.tcp repeat %u/%u: %.1f Gbit/s", repeat, repeats, bytes_per_s * 8 / 1e9);
      context.live(line, std::nullopt);
    })};
  });
}

std::string NetworkSummary(const std::vector<Measurement>& ms, const MeasurePlan& plan) {
  if (!plan.hosts.empty()) return KernelsOkText(ms);
  char text[128];
  std::snprintf(text, sizeof text, "%.1f Gbit/s to %s", ms.front().bytes_per_s.value_or(0) * 8 / 1e9,
                plan.network.peer.empty() ? "loopback" : ms.front().target.c_str());
  return text;
}

// Data path: the CPU cost per core.
std::vector<Measurement> RunDatapathKernel(const MeasurePlan& plan, const KernelContext&) {
  return FailuresAsMeasurements("datapath", [&] { return RunDatapath(plan.datapath); });
}

}  // namespace

std::string KernelsOkText(const std::vector<Measurement>& ms) {
  const auto ok = std::count_if(ms.begin(), ms.end(), [](const Measurement& m) { return m.status == MeasurementStatus::kOk; });
  return std::to_string(ok) + " of " + std::to_string(ms.size()) + " kernels ok";
}

ExitCode KernelsExitCode(const std::vector<Measurement>& ms) {
  auto any = [&](MeasurementStatus status) {
    return std::any_of(ms.begin(), ms.end(), [status](const Measurement& m) { return m.status == status; });
  };
  if (Interrupted()) return ExitCode::kInterrupted;
  if (any(MeasurementStatus::kFailed)) return ExitCode::kRunFailed;
  if (!ms.empty() && !any(MeasurementStatus::kOk)) return ExitCode::kUsage;
  return ExitCode::kOk;
}

const std::vector<MeasureKernel>& MeasureKernels() {
  static const std::vector<MeasureKernel> kernels = {
      {"storage", kStorageFile, false, [](const MeasurePlan&) { return true; }, [](const MeasurePlan&) { return 0.0; }, RunStorageKernel,
       OkCount},
      {"network", kNetworkFile, true, [](const MeasurePlan& p) { return p.network_enabled; },
       [](const MeasurePlan& p) { return (p.network.warmup_s + p.network.duration_s) * p.network.repeats; }, RunNetworkKernel,
       NetworkSummary},
      {"datapath", kDatapathFile, false, [](const MeasurePlan& p) { return p.datapath_enabled; }, [](const MeasurePlan&) { return 0.0; },
       RunDatapathKernel, OkCount},
  };
  return kernels;
}

const MeasureKernel& MeasureKernelNamed(const std::string& name) {
  for (const MeasureKernel& kernel : MeasureKernels()) {
    if (name == kernel.name) return kernel;
  }
  throw Error(ExitCode::kInternal, "no measure kernel named " + name);
}

}  // namespace shapeq
