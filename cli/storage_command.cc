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
#include "workloads/net_protocol.h"
#include "workloads/kernels.h"

namespace shapeq::cli {

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
    MeasurePlan plan;
    plan.storage = o;
    plan.devices = args->devices;
    plan.all_nvme = args->all_nvme;
    plan.data_drives = false;  // `shapeq storage` measures no drive it was not given: the drives named, else a scratch file
    plan.scratch_mib = size_mib;
    plan.hosts = args->hosts;
    const bool fleet = !plan.hosts.empty();
    if (fleet) {
      if (!args->devices.empty() || args->all_nvme || args->print_jobs) {
        throw Error(ExitCode::kUsage, "--hosts: each host measures what its net-serve lends (--storage-device, --storage-dir there); "
                                      "--device, --all-nvme and --print-jobs are for this machine");
      }
      plan.network.token = ReadNetToken(args->token_file);
    }
    if (args->print_jobs) {
      const Fingerprint fp = Probe(ThisMachine(false));
      const ChosenTargets chosen = ChooseStorageTargets(fp, plan.devices, plan.all_nvme, false, args->dir, size_mib << 20);
      for (const auto& job : PlanStorageJobs(fp, chosen.targets, o)) std::cout << job.job_file << "\n";
      return 0;
    }
    // SIGINT, SIGTERM, SIGHUP: fio is stopped, what ran is kept and printed, the scratch file and
    // fio's job directory go with their owners' destructors, and the exit says so (130).
    InstallInterruptHandlers();
    // A line per kernel as it finishes (stderr: stdout is the results), for runs of many minutes.
    KernelContext context;
    context.scratch_dir = args->dir;
    context.step = [](const std::string& line) { std::cerr << "shapeq: " << line.substr(line.find_first_not_of(' ')) << std::endl; };
    const std::vector<Measurement> results = MeasureKernelNamed("storage").run(plan, context);
    return EmitMeasurements("storage", results, false, args->json, args->out_path, fleet ? FormatStorageFleet(results) : FormatStorage(results));
  };
}

}  // namespace shapeq::cli
