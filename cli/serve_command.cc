// shapeq serve: the latest results on /metrics for a Prometheus to scrape (prometheus-cpp pull).
// Loopback by default; --listen 0.0.0.0:PORT when a remote Prometheus should reach it.
#include <chrono>
#include <iostream>
#include <memory>
#include <regex>
#include <thread>

#include <prometheus/exposer.h>

#include "cli/commands.h"
#include "common/error.h"
#include "common/interrupt.h"
#include "results/latest_run_metrics.h"

namespace shapeq::cli {

Runner SetupServe(CLI::App& app) {
  struct Args {
    std::string listen = "127.0.0.1:9464";
    std::string results = "results";
  };
  auto args = std::make_shared<Args>();
  app.add_option("--listen", args->listen, "HOST:PORT to listen on (port 0: any free port, printed)")->capture_default_str();
  app.add_option("--results", args->results, "A results root (the newest finished run is served) or one run directory")
      ->capture_default_str();
  return [args] {
    std::smatch parts;
    if (!std::regex_match(args->listen, parts, std::regex(R"((\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5}))"))) {
      throw Error(ExitCode::kUsage, "--listen '" + args->listen + "': expected HOST:PORT, e.g. 127.0.0.1:9464");
    }
    if (!std::filesystem::is_directory(args->results)) throw BadInput(args->results, "no such results directory");
    InstallInterruptHandlers();
    auto metrics = std::make_shared<LatestRunMetrics>(args->results);
    std::unique_ptr<prometheus::Exposer> exposer;
    try {
      exposer = std::make_unique<prometheus::Exposer>(args->listen, 2);
    } catch (const std::exception& e) {
      throw Error(ExitCode::kEnvironment, "--listen " + args->listen + ": cannot listen (" + e.what() + ")");
    }
    exposer->RegisterCollectable(metrics);
    const auto ports = exposer->GetListeningPorts();
    const std::string host = parts[1];
    const std::string url = "http://" + host + ":" + (ports.empty() ? std::string(parts[2]) : std::to_string(ports.front())) + "/metrics";
    const auto latest = metrics->LatestRunDir();
    std::cout << "shapeq: serving " << (latest.empty() ? "(no finished run yet in " + args->results + ")" : latest.string()) << " on "
              << url << std::endl;
    while (!Interrupted()) std::this_thread::sleep_for(std::chrono::milliseconds(200));
    std::cout << "shapeq: stopped serving" << std::endl;
    return 0;
  };
}

}  // namespace shapeq::cli
