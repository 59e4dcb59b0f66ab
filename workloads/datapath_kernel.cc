#include "workloads/datapath_kernel.h"

#include <cctype>
#include <map>
#include <sstream>

#include "common/error.h"
#include "common/json_read.h"
#include "common/subprocess.h"

namespace shapeq {

std::string DatapathKernelName(const std::string& benchmark_name) {
  std::vector<std::string> parts;
  std::istringstream in(benchmark_name);
  for (std::string part; std::getline(in, part, '/');) parts.push_back(part);
  std::string base = parts.empty() ? benchmark_name : parts[0];
  if (base.rfind("BM_", 0) == 0) base = base.substr(3);
  // CamelCase -> snake_case: EcEncode -> ec_encode, Crc32c -> crc32c.
  std::string name;
  for (size_t i = 0; i < base.size(); ++i) {
    const char c = base[i];
    if (std::isupper(static_cast<unsigned char>(c))) {
      if (i > 0) name += '_';
      name += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else {
      name += c;
    }
  }
  if (parts.size() >= 3 && name.rfind("ec_", 0) == 0) {
    name += "_" + parts[1] + "+" + parts[2];
    if (parts.size() >= 4) name += "_" + parts[3] + "_lost";
  } else if (parts.size() == 2) {
    name += "_" + parts[1];  // zstd_1: the level
  }
  return "datapath." + name;
}

namespace {

std::vector<Measurement> ParseBenchmarkJsonUnchecked(const std::string& text, const std::string& source) {
  nlohmann::json doc;
  try {
    doc = ParseJson(text, source);
  } catch (const Error& e) {
    throw Error(ExitCode::kRunFailed, e.what());
  }
  if (!doc.is_object() || !doc.contains("benchmarks") || !doc["benchmarks"].is_array()) {
    throw Error(ExitCode::kRunFailed, source + ": not Google Benchmark JSON output");
  }
  std::vector<Measurement> measurements;
  std::map<std::string, size_t> index;  // run_name -> position, in the order they ran
  for (const auto& b : doc["benchmarks"]) {
    if (b.value("run_type", "iteration") != "iteration" || !b.contains("bytes_per_second")) continue;
    const std::string run = b.value("run_name", b.value("name", ""));
    if (!index.count(run)) {
      index[run] = measurements.size();
      Measurement m;
      m.kernel = DatapathKernelName(run);
      m.target = "1 core";
      m.params = {{"benchmark", run}, {"threads", b.value("threads", 1)}};
      m.detail = {{"context", doc.value("context", nlohmann::json::object())}};
      measurements.push_back(m);
    }
    Measurement& m = measurements[index[run]];
    m.repeats_bytes_per_s.push_back(b["bytes_per_second"].get<double>());
    if (b.contains("ratio")) m.detail["compression_ratio"] = b["ratio"];
  }
  if (measurements.empty()) throw Error(ExitCode::kRunFailed, source + ": no benchmark with bytes_per_second");
  std::optional<double> memcpy_rate;
  for (auto& m : measurements) {
    SummarizeRepeats(m);
    m.cpu_cores_busy = 1.0;
    m.detail["cores_per_gbytes_per_s"] = 1e9 / *m.bytes_per_s;
    if (m.kernel == "datapath.memcpy") memcpy_rate = m.bytes_per_s;
  }
  if (memcpy_rate) {
    for (auto& m : measurements) m.detail["relative_to_memcpy"] = *m.bytes_per_s / *memcpy_rate;
  }
  return measurements;
}

}  // namespace

// A field of the wrong type anywhere in the output is the same failure as output that is not JSON.
std::vector<Measurement> ParseBenchmarkJson(const std::string& text, const std::string& source) {
  try {
    return ParseBenchmarkJsonUnchecked(text, source);
  } catch (const nlohmann::json::exception& e) {
    throw Error(ExitCode::kRunFailed, source + ": not Google Benchmark JSON output (" + e.what() + ")");
  }
}

const std::vector<OptionField<DatapathOptions>>& DatapathOptionFields() {
  using O = DatapathOptions;
  static const std::vector<OptionField<O>> fields = {
      {"min_time_s", "--min-time", &O::min_time_s, 0.001, 60, nullptr, "Seconds per kernel per repetition"},
      {"repetitions", "--repetitions", &O::repetitions, 1, 100, nullptr, "Repetitions; the median is reported with the spread"},
      {"filter", "--filter", &O::filter, 0, 0, nullptr, "Only kernels matching this Google Benchmark filter (e.g. Crc|Ec)"},
  };
  return fields;
}

DatapathOptions QuickDatapathOptions(DatapathOptions o) {
  o.min_time_s = 0.05;
  o.repetitions = 1;
  return o;
}

std::vector<Measurement> RunDatapath(const DatapathOptions& o) {
  if (!(o.min_time_s > 0) || o.repetitions < 1 || o.repetitions > 100) {
    throw Error(ExitCode::kUsage, "--min-time must be positive and --repetitions 1 to 100");
  }
  char min_time[32];
  std::snprintf(min_time, sizeof min_time, "%g", o.min_time_s);
  std::vector<std::string> argv = {o.benchmark_binary, "--benchmark_format=json", std::string("--benchmark_min_time=") + min_time,
                                   "--benchmark_repetitions=" + std::to_string(o.repetitions)};
  if (!o.filter.empty()) argv.push_back("--benchmark_filter=" + o.filter);
  const ProcessResult run = RunProcess(argv);
  if (const auto at = run.stderr_text.find("Failed to match any benchmarks"); at != std::string::npos) {
    // Google Benchmark exits 0 with no JSON when the filter matches nothing.
    throw Error(ExitCode::kUsage, "datapath filter '" + o.filter + "' matches no kernel (" +
                                      "names: BM_Memcpy, BM_Crc32c, BM_EcEncode/K/M, BM_EcDecode/K/M/LOST, BM_Zstd/LEVEL, BM_Lz4)");
  }
  if (run.exit_code != 0) {
    throw Error(ExitCode::kRunFailed, o.benchmark_binary + " exited with " + std::to_string(run.exit_code) +
                                          (run.term_signal ? " (signal " + std::to_string(run.term_signal) + ")" : ""));
  }
  return ParseBenchmarkJson(run.stdout_text, o.benchmark_binary);
}

}  // namespace shapeq
