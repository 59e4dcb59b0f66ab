// shapeq storage: what this node's drives deliver, through fio. A scratch file by default;
// raw devices with --device or --all-nvme (writes only with --allow-destructive, and never to
// a mounted, partitioned, held or system disk). --hosts: every host of a fleet at once.
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "cli/option_flags.h"
#include "common/error.h"
#include "common/interrupt.h"
#include "probes/probe.h"
#include "results/measurement_text.h"
#include "results/number_text.h"
#include "workloads/net_protocol.h"
#include "workloads/storage_fleet.h"
#include "workloads/storage_kernel.h"

namespace shapeq::cli {
namespace {

// 130 when stopped by a signal; 5 when a kernel failed; 2 when nothing could run (every kernel
// skipped: the reasons are in the output); else 0.
int StorageExitCode(const std::vector<Measurement>& results) {
  auto any = [&](MeasurementStatus status) {
    return std::any_of(results.begin(), results.end(), [status](const Measurement& m) { return m.status == status; });
  };
  if (Interrupted()) {
    std::cerr << "shapeq: storage: interrupted; " << results.size() << " kernel(s) kept" << std::endl;
    return static_cast<int>(ExitCode::kInterrupted);
  }
  if (any(MeasurementStatus::kFailed)) return static_cast<int>(ExitCode::kRunFailed);
  if (!results.empty() && !any(MeasurementStatus::kOk)) {
    std::cerr << "shapeq: storage: nothing ran: every kernel was skipped (" << results.front().reason << ")" << std::endl;
    return static_cast<int>(ExitCode::kUsage);
  }
  return static_cast<int>(ExitCode::kOk);
}

}  // namespace

void AddDeviceOptions(CLI::App& app, std::vector<std::string>& devices, bool& all_nvme) {
  app.add_option("--device", devices, "A raw block device to measure instead of a scratch file, e.g. /dev/nvme0n1 (repeatable)");
  app.add_flag("--all-nvme", all_nvme, "Every NVMe drive the probe finds that the system does not run from");
}

Runner SetupStorage(CLI::App& app) {
  struct Args {
    StorageOptions storage;
    std::string dir = "results/scratch";
    unsigned size_mib = 1024;
    std::vector<std::string> devices;
    bool all_nvme = false;
    bool no_steady_state = false;
    bool quick = false;
    unsigned iodepth = 0;
    bool json = false;
    bool print_jobs = false;
    std::string out_path;
    std::vector<std::string> hosts;
    std::string token_file;
  };
  auto args = std::make_shared<Args>();
  app.add_option("--dir", args->dir, "Directory for the scratch file (deleted afterwards)")->capture_default_str();
  app.add_option("--size-mib", args->size_mib, "Scratch file size cap; at most half the free space is used")->capture_default_str();
  AddDeviceOptions(app, args->devices, args->all_nvme);
  AddOptionFlags(app, args->storage, StorageOptionFields());
  app.add_option("--iodepth", args->iodepth, "Queue depth for every kernel (default: from the drives)");
  app.add_flag("--no-steady-state", args->no_steady_state, "Do not use fio's steady-state detection");
  app.add_flag("--quick", args->quick, "Short runs that show it works (2 s after a 0.5 s ramp, 1 repeat, a 256 MiB scratch file, no steady state)");
  AddOutputOptions(app, args->json, args->out_path, "Print the Measurements as JSON");
  app.add_flag("--print-jobs", args->print_jobs, "Print the fio job files the plan would run, and stop");
  app.add_option("--hosts", args->hosts,
                 "Fleet: HOST[:PORT],... each running shapeq net-serve with --storage-device or --storage-dir; every host "
                 "runs each kernel on its own drives at once, through fio's client/server")
      ->delimiter(',');
  app.add_option("--token-file", args->token_file, "With --hosts: the secret the hosts' net-serve holds (mode 600; else $SHAPEQ_NET_TOKEN)");
  return [args] {
    StorageOptions o = args->storage;
    if (args->iodepth) o.seq_iodepth = o.rand_iodepth = args->iodepth;
    if (args->no_steady_state) o.steady_state.clear();
    uint64_t size_mib = args->size_mib;
    if (args->quick) {
      o = QuickStorageOptions(o);
      size_mib = std::min<uint64_t>(size_mib, kQuickScratchMib);
    }
    o = WithServedDefaults(o);
    ValidateStorageOptions(o);
    if (!args->hosts.empty()) {
      if (!args->devices.empty() || args->all_nvme || args->print_jobs) {
        throw Error(ExitCode::kUsage, "--hosts: each host measures what its net-serve lends (--storage-device, --storage-dir there); "
                                      "--device, --all-nvme and --print-jobs are for this machine");
      }
      // A line per kernel as it finishes (stderr: stdout is the results), for runs of many minutes.
      const auto progress = [](const Measurement& m, size_t finished, size_t total, double) {
        std::cerr << "shapeq: [" << finished << "/" << total << "] " << m.kernel << " on " << m.target << ": "
                  << (m.bytes_per_s ? Printf("%.3f GB/s", *m.bytes_per_s / 1e9) : MeasurementStatusName(m.status)) << std::endl;
      };
      InstallInterruptHandlers();
      const std::vector<Measurement> results = RunStorageFleet({args->hosts, ReadNetToken(args->token_file), o}, progress);
      Emit(results, args->json, args->out_path, FormatStorageFleet(results));
      return StorageExitCode(results);
    }
    const Fingerprint fp = Probe(ThisMachine(false));  // drives and CPUs, not the VM size
    // The drives named, else a scratch file: `shapeq storage` measures no drive it was not given.
    const ChosenTargets chosen = ChooseStorageTargets(fp, args->devices, args->all_nvme, false, args->dir, size_mib << 20);
    const std::vector<StorageTarget>& targets = chosen.targets;
    if (args->print_jobs) {
      for (const auto& job : PlanStorageJobs(fp, targets, o)) std::cout << job.job_file << "\n";
      return 0;
    }
    // SIGINT, SIGTERM, SIGHUP: fio is stopped, what ran is kept and printed, the scratch file and
    // fio's job directory go with their owners' destructors, and the exit says so (130).
    InstallInterruptHandlers();
    const std::vector<Measurement> results = RunStorage(fp, targets, o);
    Emit(results, args->json, args->out_path, FormatStorage(results));
    return StorageExitCode(results);
  };
}

}  // namespace shapeq::cli
