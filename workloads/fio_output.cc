#include "workloads/fio_output.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <map>
#include <regex>
#include <sstream>

#include "common/error.h"
#include "common/json_optional.h"
#include "common/json_read.h"

namespace shapeq {
namespace {

// fio prints C's "-nan", "nan", "inf" as bare words; JSON has no such numbers.
std::string SanitizeNonFinite(const std::string& text) {
  static const std::regex bare(R"((:\s*)-?(nan|inf)\b)", std::regex::icase);
  return std::regex_replace(text, bare, "$1null");
}

double Number(const nlohmann::json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<double>() : 0.0;
}

// One direction (read or write) of a job, with latencies in seconds.
nlohmann::json Direction(const nlohmann::json& d) {
  nlohmann::json out = {{"io_bytes", Number(d, "io_bytes")},
                        {"bytes_per_s", Number(d, "bw_bytes")},
                        {"iops", Number(d, "iops")},
                        {"runtime_s", Number(d, "runtime") / 1e3}};
  if (const auto clat = d.find("clat_ns"); clat != d.end()) {
    nlohmann::json percentiles = nlohmann::json::object();
    if (const auto p = clat->find("percentile"); p != clat->end()) {
      for (const auto& [key, label] : {std::pair{"50.000000", "p50"}, {"99.000000", "p99"}, {"99.900000", "p99.9"},
                                        {"99.990000", "p99.99"}}) {
        if (p->contains(key)) percentiles[label] = (*p)[key].get<double>() / 1e9;
      }
    }
    out["clat_percentiles_s"] = percentiles;
    out["clat_mean_s"] = Number(*clat, "mean") / 1e9;
    out["clat_samples"] = Number(*clat, "N");
    if (clat->contains("bins")) out["clat_bins_ns"] = (*clat)["bins"];  // json+: value (ns) -> count
  }
  return out;
}

}  // namespace

namespace {

std::vector<Measurement> ParseFioJsonUnchecked(const std::string& text, const std::string& source) {
  // fio may write its own words before the JSON ("fio: terminating on signal 15"): keep them.
  const size_t open = text.rfind('{', 0) == 0 ? 0 : text.find("\n{");
  const std::string said = open == std::string::npos ? "" : text.substr(0, open);
  std::string fio_said;
  std::istringstream lines(said);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty()) fio_said += (fio_said.empty() ? "" : "; ") + line;
  }
  nlohmann::json doc;
  try {
    doc = ParseJson(SanitizeNonFinite(open == std::string::npos ? text : text.substr(open)), source);
  } catch (const Error& e) {
    throw Error(ExitCode::kRunFailed, e.what());  // fio's output: the run failed, not the user's input
  }
  if (!doc.is_object() || !doc.contains("jobs") || !doc["jobs"].is_array()) {
    throw Error(ExitCode::kRunFailed, source + ": not fio JSON output (no \"jobs\" list)");
  }
  const std::string version = doc.value("fio version", "");
  std::vector<Measurement> measurements;
  for (const auto& job : doc["jobs"]) {
    Measurement m;
    m.kernel = "fio." + job.value("jobname", "job");
    const auto options = job.value("job options", nlohmann::json::object());
    m.target = options.value("filename", "");
    m.params = options;
    const nlohmann::json read = Direction(job.value("read", nlohmann::json::object()));
    const nlohmann::json write = Direction(job.value("write", nlohmann::json::object()));
    const double bytes_per_s = read["bytes_per_s"].get<double>() + write["bytes_per_s"].get<double>();
    const double iops = read["iops"].get<double>() + write["iops"].get<double>();
    m.repeats_bytes_per_s = {bytes_per_s};
    m.repeats_iops = {iops};
    SummarizeRepeats(m);
    m.duration_s = Number(job, "job_runtime") / 1e3;
    // fio's CPU figures of a reporting group are per job: its CPU time over the sum of its jobs'
    // run times (job_runtime). Cores busy: that times the jobs, which is job_runtime over the
    // group's own run time (each direction's runtime is the longest job's).
    const double group_ms = std::max(Number(job.value("read", nlohmann::json::object()), "runtime"),
                                     Number(job.value("write", nlohmann::json::object()), "runtime"));
    const double jobs = group_ms > 0 ? std::max(1.0, Number(job, "job_runtime") / group_ms) : 1.0;
    m.cpu_cores_busy = (Number(job, "usr_cpu") + Number(job, "sys_cpu")) / 100 * jobs;
    m.detail = {{"fio_version", version}, {"read", read}, {"write", write}};
    if (const auto ss = job.find("steadystate"); ss != job.end() && ss->is_object()) {
      m.detail["steady_state"] = {{"criterion", ss->value("ss", "")}, {"attained", ss->value("attained", 0) != 0}};
    }
    if (Number(job, "latency_target") > 0) {
      m.detail["latency_bound"] = {{"target_s", Number(job, "latency_target") / 1e9}, {"percentile", Number(job, "latency_percentile")},
                                   {"depth", Number(job, "latency_depth")}};
    }
    if (const int error = job.value("error", 0); error != 0) {
      m.status = MeasurementStatus::kFailed;
      m.reason = "fio job " + job.value("jobname", "") + ": error " + std::to_string(error) + " (" + std::strerror(error) + ")";
    }
    if (!fio_said.empty()) {
      m.detail["fio_said"] = fio_said;
      if (fio_said.find("terminating on signal") != std::string::npos) {
        m.status = MeasurementStatus::kFailed;
        m.reason = m.reason.empty() ? fio_said : m.reason + "; " + fio_said;
      }
    }
    measurements.push_back(std::move(m));
  }
  if (measurements.empty()) throw Error(ExitCode::kRunFailed, source + ": fio reported no jobs");
  return measurements;
}

}  // namespace

namespace {

// Percentile `fraction` of a histogram {"value_ns": count}, in seconds.
std::optional<double> HistogramPercentile(const std::map<double, double>& bins, double total, double fraction) {
  double seen = 0;
  for (const auto& [value_ns, count] : bins) {
    seen += count;
    if (seen >= fraction * total) return value_ns / 1e9;
  }
  return std::nullopt;
}

// One direction ("read" or "write") of several groups, combined.
nlohmann::json CombineDirection(const std::vector<Measurement>& groups, const char* direction) {
  double io_bytes = 0, bytes_per_s = 0, iops = 0, runtime_s = 0, samples = 0, weighted_mean = 0;
  std::map<double, double> bins;
  bool all_binned = true;
  nlohmann::json worst = nlohmann::json::object();
  for (const auto& g : groups) {
    const nlohmann::json d = g.detail.value(direction, nlohmann::json::object());
    io_bytes += d.value("io_bytes", 0.0);
    bytes_per_s += d.value("bytes_per_s", 0.0);
    iops += d.value("iops", 0.0);
    runtime_s = std::max(runtime_s, d.value("runtime_s", 0.0));
    const double n = d.value("clat_samples", 0.0);
    samples += n;
    weighted_mean += n * d.value("clat_mean_s", 0.0);
    if (n > 0 && d.contains("clat_bins_ns") && d["clat_bins_ns"].is_object()) {
      for (const auto& [value, count] : d["clat_bins_ns"].items()) {
        if (count.is_number()) bins[std::strtod(value.c_str(), nullptr)] += count.get<double>();
      }
    } else if (n > 0) {
      all_binned = false;
    }
    const nlohmann::json percentiles = d.value("clat_percentiles_s", nlohmann::json::object());  // named: items() of a temporary dangles
    for (const auto& [label, value] : percentiles.items()) {
      if (value.is_number() && (!worst.contains(label) || value.get<double>() > worst[label].get<double>())) worst[label] = value;
    }
  }
  nlohmann::json out = {{"io_bytes", io_bytes}, {"bytes_per_s", bytes_per_s}, {"iops", iops}, {"runtime_s", runtime_s}};
  if (samples > 0) {
    nlohmann::json percentiles = worst;
    if (all_binned && !bins.empty()) {
      for (const auto& [label, fraction] : {std::pair{"p50", 0.5}, {"p99", 0.99}, {"p99.9", 0.999}, {"p99.99", 0.9999}}) {
        if (const auto v = HistogramPercentile(bins, samples, fraction)) percentiles[label] = *v;
      }
    }
    out["clat_percentiles_s"] = percentiles;
    out["clat_mean_s"] = weighted_mean / samples;
    out["clat_samples"] = samples;
  }
  return out;
}

}  // namespace

nlohmann::json BusierP99(const Measurement& run) {
  const nlohmann::json read = run.detail.value("read", nlohmann::json::object());
  const nlohmann::json write = run.detail.value("write", nlohmann::json::object());
  const nlohmann::json& busier = read.value("iops", 0.0) >= write.value("iops", 0.0) ? read : write;
  return busier.value("clat_percentiles_s", nlohmann::json::object()).value("p99", nlohmann::json());
}

Measurement CombineFioGroups(const std::vector<Measurement>& groups) {
  if (groups.size() == 1) return groups.front();
  Measurement m = groups.front();
  m.target = "all " + std::to_string(groups.size()) + " targets";
  m.detail = {{"fio_version", groups.front().detail.value("fio_version", "")},
              {"read", CombineDirection(groups, "read")},
              {"write", CombineDirection(groups, "write")}};
  double bytes_per_s = 0, iops = 0, cpu = 0, duration_s = 0;
  bool steady = true, has_steady = false;
  nlohmann::json per_target = nlohmann::json::array();
  std::vector<std::string> reasons;
  for (const auto& g : groups) {
    bytes_per_s += g.bytes_per_s.value_or(0);
    iops += g.iops.value_or(0);
    cpu += g.cpu_cores_busy.value_or(0);
    duration_s = std::max(duration_s, g.duration_s);
    if (g.detail.contains("steady_state")) {
      has_steady = true;
      steady = steady && g.detail["steady_state"].value("attained", false);
    }
    per_target.push_back({{"target", g.target}, {"bytes_per_s", g.bytes_per_s}, {"iops", g.iops}, {"p99_s", BusierP99(g)}});
    if (g.status != MeasurementStatus::kOk) reasons.push_back(g.target + ": " + g.reason);
  }
  m.repeats_bytes_per_s = {bytes_per_s};
  m.repeats_iops = {iops};
  SummarizeRepeats(m);
  m.cpu_cores_busy = cpu;
  m.duration_s = duration_s;
  if (has_steady) m.detail["steady_state"] = {{"criterion", groups.front().detail["steady_state"].value("criterion", "")}, {"attained", steady}};
  if (groups.front().detail.contains("latency_bound")) m.detail["latency_bound"] = groups.front().detail["latency_bound"];
  m.detail["per_target"] = per_target;
  m.status = reasons.empty() ? MeasurementStatus::kOk : MeasurementStatus::kFailed;
  m.reason.clear();
  for (const auto& r : reasons) m.reason += (m.reason.empty() ? "" : "; ") + r;
  return m;
}

// A field of the wrong type anywhere in the output is the same failure as output that is not JSON.
std::vector<Measurement> ParseFioJson(const std::string& text, const std::string& source) {
  try {
    return ParseFioJsonUnchecked(text, source);
  } catch (const nlohmann::json::exception& e) {
    throw Error(ExitCode::kRunFailed, source + ": not fio JSON output (" + e.what() + ")");
  }
}

namespace {

// fio --client merges every client's "global options" into one object, each key once per client:
// the one part of its output with duplicate keys, and nothing we read. Cut out, strings respected.
std::string WithoutGlobalOptions(std::string text) {
  const size_t key = text.find("\"global options\"");
  const size_t open = key == std::string::npos ? key : text.find('{', key);
  if (open == std::string::npos) return text;
  bool in_string = false;
  for (size_t i = open + 1, depth = 1; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{') {
      ++depth;
    } else if (c == '}' && --depth == 0) {
      return text.replace(open, i + 1 - open, "{}");
    }
  }
  return text;
}

}  // namespace

std::map<std::string, std::string> FioClientDocuments(const std::string& text, const std::string& source) {
  const size_t open = text.rfind('{', 0) == 0 ? 0 : text.find("\n{");
  if (open == std::string::npos) throw Error(ExitCode::kRunFailed, source + ": no JSON in fio's client output");
  nlohmann::json doc;
  try {
    doc = ParseJson(SanitizeNonFinite(WithoutGlobalOptions(text.substr(open))), source);
  } catch (const Error& e) {
    throw Error(ExitCode::kRunFailed, e.what());
  }
  const nlohmann::json stats = doc.value("client_stats", nlohmann::json());
  if (!stats.is_array()) throw Error(ExitCode::kRunFailed, source + ": fio's client output has no client_stats");
  std::map<std::string, nlohmann::json> jobs;
  for (const auto& job : stats) {
    if (!job.is_object() || !job.value("hostname", nlohmann::json()).is_string() || job.value("jobname", "") == "All clients") continue;
    jobs[job["hostname"].get<std::string>()].push_back(job);
  }
  std::map<std::string, std::string> documents;
  for (const auto& [client, its_jobs] : jobs) {
    documents[client] = nlohmann::json{{"fio version", doc.value("fio version", nlohmann::json(""))}, {"jobs", its_jobs}}.dump();
  }
  return documents;
}

namespace {

// fio's num2str: "93.4MiB" (1024-based), "412kB" (1000-based), "23.9k" (a count).
double FioNumber(const std::string& number, const std::string& unit) {
  double value = std::stod(number);
  if (unit.empty()) return value;
  const bool binary = unit.size() > 1 && unit[1] == 'i';
  const double base = binary ? 1024 : 1000;
  const std::string powers = "kMGTP";
  const auto power = powers.find(static_cast<char>(unit[0] == 'K' ? 'k' : unit[0]));
  if (power == std::string::npos) return value;
  for (size_t i = 0; i <= power; ++i) value *= base;
  return value;
}

}  // namespace

std::optional<FioStatus> ParseFioStatusLine(std::string_view line) {
  static const std::regex rates(R"(\[((?:[rw]=[0-9.]+[kKMGTP]?i?B/s,?)+)\])");
  static const std::regex rate(R"([rw]=([0-9.]+)([kKMGTP]?i?)B/s)");
  static const std::regex ops(R"(\[((?:[rw]=[0-9.]+[kMGT]?,?)+) IOPS\])");
  static const std::regex op(R"([rw]=([0-9.]+)([kMGT]?))");
  static const std::regex eta(R"(\[eta (?:(\d+)d:)?(?:(\d+)h:)?(\d+)m:(\d+)s\])");
  const std::string text(line);
  std::smatch found;
  if (!std::regex_search(text, found, rates)) return std::nullopt;
  FioStatus status;
  const std::string rate_list = found[1];
  for (auto it = std::sregex_iterator(rate_list.begin(), rate_list.end(), rate); it != std::sregex_iterator(); ++it) {
    status.bytes_per_s += FioNumber((*it)[1], (*it)[2]);
  }
  if (std::regex_search(text, found, ops)) {
    const std::string op_list = found[1];
    for (auto it = std::sregex_iterator(op_list.begin(), op_list.end(), op); it != std::sregex_iterator(); ++it) {
      status.iops += FioNumber((*it)[1], (*it)[2]);
    }
  }
  if (std::regex_search(text, found, eta)) {
    auto part = [&](int i) { return found[i].matched ? std::stod(found[i]) : 0.0; };
    status.seconds_left = part(1) * 86400 + part(2) * 3600 + part(3) * 60 + part(4);
  }
  return status;
}

}  // namespace shapeq
