// shapeq net: node-to-node TCP bandwidth (loopback by default, --peer, or a --hosts fleet).
// shapeq net-serve: the listener a peer runs for it.
#include <signal.h>

#include <cstdlib>
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "cli/option_flags.h"
#include "common/error.h"
#include "results/measurement_text.h"
#include "workloads/kernels.h"
#include "workloads/net_protocol.h"
#include "workloads/net_server.h"

namespace shapeq::cli {
Runner SetupNet(CLI::App& app) {
  struct Args {
    NetOptions net;
    std::string streams = "auto";
    std::string cpus = "auto";
    std::vector<std::string> hosts;
    std::string pattern = "ring";
    bool json = false;
    std::string out_path;
    std::string token_file;
  };
  auto args = std::make_shared<Args>();
  AddOptionFlags(app, args->net, NetOptionFields());
  app.add_option("--token-file", args->token_file, "The secret the peers' net-serve holds (mode 600; else $SHAPEQ_NET_TOKEN)");
  app.add_option("--streams", args->streams, "Parallel TCP streams per direction, or auto (from the NIC's link rate)")->capture_default_str();
  app.add_option("--cpus", args->cpus, "Pin stream threads: auto (CPUs local to the NIC), none, or a list like 0-7")->capture_default_str();
  app.add_option("--hosts", args->hosts, "Fleet: HOST[:PORT],... each running shapeq net-serve")->delimiter(',');
  app.add_option("--pattern", args->pattern, "Fleet pairs, a round at a time: ring, pairwise (N-1 rounds of disjoint pairs), all-to-all or incast (all to the first host)")->capture_default_str();
  AddOutputOptions(app, args->json, args->out_path, "Print the Measurement(s) as JSON");
  return [args] {
    NetOptions o = args->net;
    o.token = ReadNetToken(args->token_file);
    if (args->streams != "auto") {
      char* end = nullptr;
      const long n = std::strtol(args->streams.c_str(), &end, 10);
      if (args->streams.empty() || *end != '\0' || n < 1) throw Error(ExitCode::kUsage, "--streams '" + args->streams + "': expected auto or a count from 1");
      o.streams = static_cast<unsigned>(std::min(n, 100000L));
    }
    if (args->cpus != "auto" && args->cpus != "none") o.cpus = args->cpus;
    ValidateNetOptions(o);
    MeasurePlan plan;
    plan.network = o;
    plan.auto_net_cpus = args->cpus == "auto";
    plan.hosts = args->hosts;
    plan.net_pattern = args->pattern;
    const bool fleet = !plan.hosts.empty();
    const std::vector<Measurement> results = MeasureKernelNamed("network").run(plan, {});
    return EmitMeasurements("net", results, !fleet, args->json, args->out_path,
                            fleet ? FormatNetFleet(results) : FormatNetMeasurement(results.front()));
  };
}

Runner SetupNetServe(CLI::App& app) {
  struct Args {
    std::string listen = "127.0.0.1:5201";
    std::string token_file;
    NetServerLimits limits;
    StorageLoan storage;
    unsigned storage_size_mib = 1024;
  };
  auto args = std::make_shared<Args>();
  app.add_option("--listen", args->listen, "ADDRESS[:PORT] to listen on; 0.0.0.0 only when you ask for it")->capture_default_str();
  app.add_option("--token-file", args->token_file, "The shared secret clients must prove (mode 600; else $SHAPEQ_NET_TOKEN); required");
  app.add_option("--max-run", args->limits.max_run_s, "Seconds one RUN (repeats x (warm-up + duration)) may take")->capture_default_str();
  app.add_option("--max-streams", args->limits.max_streams, "Streams per direction one RUN or client may use")->capture_default_str();
  app.add_option("--max-connections", args->limits.max_connections, "Connections served at once; more are closed")->capture_default_str();
  app.add_option("--storage-device", args->storage.devices,
                 "Lend this raw block device to `shapeq storage --hosts` runs (repeatable): read always, written only with "
                 "--allow-destructive and never when mounted, partitioned or held");
  app.add_option("--storage-dir", args->storage.scratch_dir, "Else lend a scratch file in this directory (made on the first run, deleted on exit)");
  app.add_option("--storage-size-mib", args->storage_size_mib, "The scratch file's size cap; at most half the free space")->capture_default_str();
  app.add_flag("--allow-destructive", args->storage.allow_destructive, "Let a fleet run's write kernels write the lent devices (the run must ask too)");
  return [args] {
    const Endpoint address = ParseEndpoint(args->listen, kNetDefaultPort, "--listen");
    StorageLoan storage = args->storage;
    storage.scratch_bytes = uint64_t{args->storage_size_mib} << 20;
    for (const auto& device : storage.devices) RequireBlockDevice(device);
    if (!storage.devices.empty() && !storage.scratch_dir.empty()) throw Error(ExitCode::kUsage, "--storage-device or --storage-dir, not both");
    NetServerLimits limits = args->limits;
    limits.token = ReadNetToken(args->token_file);
    // Block the stop signals before any thread starts, so only sigwait below receives them.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGHUP);  // the terminal or ssh session closing: stop as cleanly
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
    NetServer server(address, limits, storage);
    server.Start();
    std::string lent;
    for (const auto& device : storage.devices) lent += (lent.empty() ? "" : ", ") + device;
    if (!storage.scratch_dir.empty()) lent = "a scratch file in " + storage.scratch_dir;
    std::cout << "shapeq net-serve: listening on " << Endpoint{address.host, server.port(), {}, 0}.ToString()
              << (lent.empty() ? "" : "; lending " + lent + " to fleet storage runs") << std::endl;
    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    server.Stop();
    return 0;
  };
}

}  // namespace shapeq::cli
