// shapeq datapath: the CPU cost of the storage data path per core (CRC-32C, erasure coding,
// compression) against memcpy, from the suite's Google Benchmark program.
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <sstream>

#include "cli/commands.h"
#include "workloads/datapath_kernel.h"

namespace shapeq::cli {

namespace {

std::string FormatDatapath(const std::vector<Measurement>& results) {
  std::string text;
  char line[160];
  std::snprintf(line, sizeof line, "%-30s %14s %16s %10s %8s\n", "kernel (one core)", "GB/s", "cores per 10 GB/s", "x memcpy", "spread");
  text += line;
  for (const auto& m : results) {
    const std::string relative = m.detail.contains("relative_to_memcpy") ? std::to_string(m.detail["relative_to_memcpy"].get<double>()).substr(0, 5) : "?";
    std::snprintf(line, sizeof line, "%-30s %14.2f %16.2f %10s %7.1f%%\n", m.kernel.c_str(), *m.bytes_per_s / 1e9, 10e9 / *m.bytes_per_s,
                  relative.c_str(), m.spread_fraction.value_or(0) * 100);
    text += line;
  }
  return text;
}

}  // namespace

Runner SetupDatapath(CLI::App& app) {
  struct Args {
    DatapathOptions datapath;
    bool json = false;
    std::string out_path;
  };
  auto args = std::make_shared<Args>();
  args->datapath.benchmark_binary = std::getenv("SHAPEQ_DATAPATH_BENCHMARK") ? std::getenv("SHAPEQ_DATAPATH_BENCHMARK") : SHAPEQ_DATAPATH_BENCHMARK;
  app.add_option("--min-time", args->datapath.min_time_s, "Seconds per kernel per repetition")->capture_default_str();
  app.add_option("--repetitions", args->datapath.repetitions, "Repetitions; the median is reported with the spread")->capture_default_str();
  app.add_option("--filter", args->datapath.filter, "Only kernels matching this Google Benchmark filter (e.g. Crc|Ec)");
  app.add_flag("--json", args->json, "Print the Measurements as JSON");
  app.add_option("-o,--out", args->out_path, "Also write the JSON to FILE (atomically)");
  return [args] {
    const std::vector<Measurement> results = RunDatapath(args->datapath);
    Emit(results, args->json, args->out_path, FormatDatapath(results));
    return 0;
  };
}

}  // namespace shapeq::cli
