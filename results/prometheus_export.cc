#include "results/prometheus_export.h"

#include <chrono>
#include <memory>
#include <filesystem>
#include <fstream>
#include <functional>
#include <regex>
#include <set>
#include <thread>

#include <prometheus/gauge.h>
#include <prometheus/text_serializer.h>

#include "common/error.h"
#include "common/json_read.h"
#include "results/lazy_curl.h"
#include "scoring/scorer.h"

namespace shapeq {
namespace {

namespace fs = std::filesystem;

// What the report, the summaries and the metrics read of a run's manifest and verdicts.json:
// checked once here, so no renderer meets a string where it reads a number.
const nlohmann::json& ManifestShape() {
  static const nlohmann::json shape = nlohmann::json::parse(R"({"type": "object", "properties": {
    "complete": {"type": "boolean"}, "interrupted": {"type": "boolean"}, "mode": {"type": "string"}, "plan": {"type": "string"},
    "started_utc": {"type": "string"}, "finished_utc": {"type": "string"}, "rated_shape": {"type": "string"},
    "files": {"type": "array", "items": {"type": "string"}},
    "stages": {"type": "array", "items": {"type": "object", "properties": {
      "name": {"type": "string"}, "status": {"type": "string"}, "summary": {"type": "string"}, "reason": {"type": "string"},
      "seconds": {"type": "number"}}}}}})");
  return shape;
}

const nlohmann::json& VerdictsShape() {
  static const nlohmann::json shape = nlohmann::json::parse(R"({"type": "object", "properties": {
    "schema": {"type": "string"},
    "verdicts": {"type": "array", "items": {"type": "object", "properties": {
      "target": {"type": "string"}, "shape": {"type": "string"}, "status": {"type": "string"}, "protection": {"type": "string"},
      "limiting_factor": {"type": "string"}, "racks_bound_by": {"type": "string"},
      "nodes": {"type": ["number", "null"]}, "racks": {"type": ["number", "null"]}, "kw": {"type": ["number", "null"]},
      "usd_per_month": {"type": ["number", "null"]}, "usd_per_pb_month": {"type": ["number", "null"]},
      "read_bytes_per_s": {"type": ["number", "null"]}, "write_bytes_per_s": {"type": ["number", "null"]},
      "read_tbps_per_pb": {"type": ["number", "null"]},
      "per_node": {"type": "object", "properties": {"usable_bytes": {"type": ["number", "null"]}}},
      "checks": {"type": "array", "items": {"type": "object", "properties": {
        "name": {"type": "string"}, "status": {"type": "string"}, "margin": {"type": ["number", "null"]}}}},
      "what_it_would_take": {"type": "array", "items": {"type": "object", "properties": {
        "field": {"type": "string"}, "comparison": {"type": "string"}, "value": {"type": ["number", "null"]}}}}}}},
    "shapes": {"type": "object", "values": {"type": "object", "properties": {
      "title": {"type": "string"},
      "figures": {"type": "object", "values": {"type": "object", "properties": {
        "value": {"type": ["number", "null"]}, "basis": {"type": "string"}}}}}}},
    "targets": {"type": "object", "values": {"type": "object", "properties": {
      "title": {"type": "string"}, "read_tbps": {"type": ["number", "null"]}, "budget_usd_per_pb_month": {"type": ["number", "null"]}}}},
    "model": {"type": "object", "properties": {"file": {"type": "string"}}}}})");
  return shape;
}

std::vector<Measurement> ReadMeasurements(const fs::path& file, bool list) {
  std::vector<Measurement> out;
  const auto json = ReadJsonFile(file.string());
  if (list && !json.is_array()) throw BadInput(file.string(), "expected a list of measurements");
  CheckJsonShape(json, list ? nlohmann::json{{"type", "array"}, {"items", MeasurementShape()}} : MeasurementShape(), file.string());
  try {
    if (list) {
      for (const auto& m : json) out.push_back(m.get<Measurement>());
    } else {
      out.push_back(json.get<Measurement>());
    }
  } catch (const nlohmann::json::exception& e) {
    throw BadInput(file.string(), std::string("not a measurement: ") + e.what());
  } catch (const Error& e) {
    throw BadInput(file.string(), std::string("not a measurement: ") + e.what());
  }
  return out;
}

// Kernel names as label values: "fio.seq_read" -> "seq_read".
std::string KernelLabel(const std::string& kernel) {
  const auto dot = kernel.find('.');
  return dot == std::string::npos ? kernel : kernel.substr(dot + 1);
}

// The scored verdicts (verdicts.json): each candidate shape against each target, labelled
// target and candidate ("shape" stays the node's own shape).
void AddVerdictMetrics(const nlohmann::json& verdicts, const std::function<prometheus::Labels(prometheus::Labels)>& with,
                       prometheus::Registry& registry) {
  if (verdicts.is_null()) return;
  using prometheus::BuildGauge;
  auto& passes = BuildGauge().Name("shapeq_verdict_passes").Help("1 when the candidate shape meets the target, 0 when it fails (unknown: absent)").Register(registry);
  const struct {
    const char* name;
    const char* help;
    const char* field;
    double scale;
  } figures[] = {
      {"shapeq_verdict_nodes", "Nodes the candidate shape needs for the target", "nodes", 1},
      {"shapeq_verdict_racks", "Racks the candidate shape needs for the target", "racks", 1},
      {"shapeq_verdict_power_watts", "Power the candidate shape draws at the target's size", "kw", 1e3},
      {"shapeq_verdict_cost_dollars_per_petabyte_month", "Cost per usable PB-month", "usd_per_pb_month", 1},
      {"shapeq_verdict_read_bytes_per_second", "Aggregate read at the target's size", "read_bytes_per_s", 1},
  };
  std::vector<prometheus::Family<prometheus::Gauge>*> families;
  for (const auto& f : figures) families.push_back(&BuildGauge().Name(f.name).Help(f.help).Register(registry));
  for (const auto& v : verdicts.value("verdicts", nlohmann::json::array())) {
    const prometheus::Labels labels = with({{"target", v.value("target", "?")}, {"candidate", v.value("shape", "?")}});
    const std::string status = v.value("status", "unknown");
    if (status == "pass" || status == "fail") passes.Add(labels).Set(status == "pass" ? 1 : 0);
    for (size_t i = 0; i < families.size(); ++i) {
      if (v.contains(figures[i].field) && v[figures[i].field].is_number()) families[i]->Add(labels).Set(v[figures[i].field].get<double>() * figures[i].scale);
    }
  }
}

}  // namespace

std::optional<double> StorageLatencyPercentile(const Measurement& m, const std::string& percentile) {
  const auto repeats = m.detail.value("repeats", nlohmann::json::array());
  if (repeats.empty()) return std::nullopt;
  const auto& last = repeats.back();
  const bool reads = last.value("read", nlohmann::json::object()).value("iops", 0.0) > 0;
  const auto percentiles = last.value(reads ? "read" : "write", nlohmann::json::object()).value("clat_percentiles_s", nlohmann::json::object());
  if (!percentiles.contains(percentile) || !percentiles[percentile].is_number()) return std::nullopt;
  return percentiles[percentile].get<double>();
}

RunFiles ReadRunFiles(const std::string& dir) {
  RunFiles run;
  run.dir = dir;
  run.run_id = fs::path(dir).lexically_normal().filename().string();
  if (run.run_id.empty()) run.run_id = fs::path(dir).lexically_normal().parent_path().filename().string();
  std::error_code error;
  if (!fs::is_directory(dir, error)) throw BadInput(dir, "no such results directory");
  const fs::path root(dir);
  // The manifest lists the files this run wrote; only those are read (a file another run left
  // in the directory is not this run's). A directory without a manifest: what is there.
  std::optional<std::set<std::string>> listed;
  if (fs::exists(root / "manifest.json", error) || fs::is_symlink(root / "manifest.json", error)) {
    const std::string file = (root / "manifest.json").string();
    run.manifest = ReadJsonFile(file);
    CheckJsonShape(run.manifest, ManifestShape(), file);
    run.complete = run.manifest.value("complete", false);
    if (run.manifest.contains("files")) listed.emplace(run.manifest["files"].begin(), run.manifest["files"].end());
  }
  auto present = [&](const char* name) {
    if (listed) return listed->count(name) > 0;
    return fs::exists(root / name, error) || fs::is_symlink(root / name, error);  // a dangling link is an error to report
  };
  run.fingerprint = ReadFingerprintFile((root / "fingerprint.json").string());
  if (present("storage.json")) run.storage = ReadMeasurements(root / "storage.json", true);
  if (present("datapath.json")) run.datapath = ReadMeasurements(root / "datapath.json", true);
  if (present("network.json")) run.network = ReadMeasurements(root / "network.json", false).front();
  if (present("verdicts.json")) {
    const std::string file = (root / "verdicts.json").string();
    const auto json = ReadJsonFile(file);
    if (!json.is_object() || !json.contains("schema") || json["schema"] != kVerdictSchema || !json.contains("verdicts") || !json["verdicts"].is_array()) {
      throw BadInput(file, std::string("not a ") + kVerdictSchema + " document");
    }
    CheckJsonShape(json, VerdictsShape(), file);
    run.verdicts = json;
  }
  return run;
}

std::shared_ptr<prometheus::Registry> RunMetrics(const RunFiles& run) {
  using prometheus::BuildGauge;
  auto registry = std::make_shared<prometheus::Registry>();
  const Fingerprint& fp = run.fingerprint;
  const std::string shape = fp.cloud.instance_type_hint.empty() ? "unknown" : fp.cloud.instance_type_hint;
  const prometheus::Labels common = {{"shape", shape}, {"cloud", fp.cloud.vendor}, {"run", run.run_id}};
  auto with = [&common](prometheus::Labels extra) {
    extra.insert(common.begin(), common.end());
    return extra;
  };

  auto& info = BuildGauge().Name("shapeq_node_info").Help("The node as probed; value 1").Register(*registry);
  info.Add(with({{"cpu_model", fp.cpu.model}, {"hwloc_version", fp.source.hwloc_version}, {"kernel", fp.source.os_release}})).Set(1);
  BuildGauge().Name("shapeq_node_cpu_threads").Help("Hardware threads").Register(*registry).Add(common).Set(fp.cpu.hardware_threads);
  BuildGauge().Name("shapeq_node_memory_bytes").Help("Memory, bytes").Register(*registry).Add(common)
      .Set(static_cast<double>(fp.memory.os_total_bytes.value_or(fp.memory.total_bytes)));
  double raw_bytes = 0;
  for (const auto& d : fp.drives) raw_bytes += static_cast<double>(d.capacity_bytes);
  BuildGauge().Name("shapeq_node_drives").Help("Block devices probed").Register(*registry).Add(common).Set(static_cast<double>(fp.drives.size()));
  BuildGauge().Name("shapeq_node_drive_capacity_bytes").Help("Capacity of all drives, bytes").Register(*registry).Add(common).Set(raw_bytes);
  BuildGauge().Name("shapeq_run_complete").Help("1 when the run finished, 0 when it was interrupted").Register(*registry).Add(common)
      .Set(run.complete ? 1 : 0);

  auto& storage_bytes = BuildGauge().Name("shapeq_storage_bytes_per_second").Help("Storage kernel throughput, median of repeats").Register(*registry);
  auto& storage_ops = BuildGauge().Name("shapeq_storage_operations_per_second").Help("Storage kernel IOPS, median of repeats").Register(*registry);
  auto& storage_latency = BuildGauge().Name("shapeq_storage_completion_latency_seconds").Help("Completion latency percentile, last repeat").Register(*registry);
  for (const auto& m : run.storage) {
    if (m.status != "ok") continue;
    const prometheus::Labels labels = with({{"kernel", KernelLabel(m.kernel)}, {"target", m.target}});
    if (m.bytes_per_s) storage_bytes.Add(labels).Set(*m.bytes_per_s);
    if (m.iops) storage_ops.Add(labels).Set(*m.iops);
    // "percentile", not "quantile": Prometheus keeps that label for summaries (promtool says so).
    for (const auto& [key, percentile] : {std::pair{"p50", "50"}, {"p99", "99"}, {"p99.9", "99.9"}}) {
      if (const auto seconds = StorageLatencyPercentile(m, key)) {
        auto percentile_labels = labels;
        percentile_labels["percentile"] = percentile;
        storage_latency.Add(percentile_labels).Set(*seconds);
      }
    }
  }
  if (run.network && run.network->bytes_per_s) {
    BuildGauge().Name("shapeq_network_bytes_per_second").Help("TCP throughput to the peer, median of repeats").Register(*registry)
        .Add(with({{"peer", run.network->target}})).Set(*run.network->bytes_per_s);
  }
  auto& datapath = BuildGauge().Name("shapeq_datapath_bytes_per_second").Help("Data-path kernel throughput on one core").Register(*registry);
  for (const auto& m : run.datapath) {
    if (m.bytes_per_s) datapath.Add(with({{"kernel", KernelLabel(m.kernel)}})).Set(*m.bytes_per_s);
  }
  AddVerdictMetrics(run.verdicts, with, *registry);
  return registry;
}

namespace {

// One PUT of the exposition text; what came of it.
struct PushAttempt {
  long http_status = 0;     // 0: no HTTP answer
  CURLcode curl = CURLE_OK;
  std::string curl_error;
};

PushAttempt PutOnce(const std::string& url, const std::string& body, const PushOptions& o) {
  PushAttempt result;
  const LazyCurl& c = Curl();
  std::unique_ptr<CURL, void (*)(CURL*)> curl(c.easy_init(), c.easy_cleanup);
  if (!curl) throw Error(ExitCode::kEnvironment, "libcurl could not start");
  char error[CURL_ERROR_SIZE] = {};
  curl_slist* headers = c.slist_append(nullptr, "Content-Type: text/plain; version=0.0.4; charset=utf-8");
  c.easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  c.easy_setopt(curl.get(), CURLOPT_CUSTOMREQUEST, "PUT");  // replaces the group: a re-push never mixes two runs
  c.easy_setopt(curl.get(), CURLOPT_POSTFIELDS, body.data());
  c.easy_setopt(curl.get(), CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  c.easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers);
  c.easy_setopt(curl.get(), CURLOPT_ERRORBUFFER, error);
  c.easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  c.easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS, static_cast<long>(o.timeout_s * 1000));
  c.easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, +[](char*, size_t size, size_t n, void*) { return size * n; });
  if (!o.username.empty()) {
    c.easy_setopt(curl.get(), CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    c.easy_setopt(curl.get(), CURLOPT_USERNAME, o.username.c_str());
    c.easy_setopt(curl.get(), CURLOPT_PASSWORD, o.password.c_str());
  }
  if (!o.ca_file.empty()) c.easy_setopt(curl.get(), CURLOPT_CAINFO, o.ca_file.c_str());
  result.curl = c.easy_perform(curl.get());
  c.slist_free_all(headers);
  if (result.curl == CURLE_OK) {
    c.easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &result.http_status);
  } else {
    result.curl_error = error[0] ? error : c.easy_strerror(result.curl);
  }
  return result;
}

// TLS failures that no retry can fix: an untrusted or mismatched certificate, a bad CA file.
bool TlsTrustFailure(CURLcode code) {
  return code == CURLE_PEER_FAILED_VERIFICATION || code == CURLE_SSL_CACERT_BADFILE || code == CURLE_SSL_CERTPROBLEM;
}

}  // namespace

void ValidatePushOptions(const PushOptions& o) {
  static const std::regex url(R"(^(https?)://([^/:\[\]]+|\[[^\]]+\]):([0-9]{1,5})/?$)");
  std::smatch parts;
  if (!std::regex_match(o.gateway_url, parts, url)) {
    throw Error(ExitCode::kUsage, "--gateway '" + o.gateway_url + "': expected http(s)://HOST:PORT");
  }
  if (o.job.empty() || o.job.find('/') != std::string::npos) throw Error(ExitCode::kUsage, "--job '" + o.job + "': a name without '/'");
  if (!o.ca_file.empty() && !std::ifstream(o.ca_file)) throw BadInput(o.ca_file, "cannot read the CA file (--ca-file)");
  if (!o.ca_file.empty() && parts[1] != "https") throw Error(ExitCode::kUsage, "--ca-file needs an https:// gateway");
  // Basic auth is the password in base64: over plain http anyone on the path reads it. Only a
  // gateway on this host (the packet never leaves it), or when asked for in so many words.
  const std::string host = parts[2];
  const bool loopback = host == "localhost" || host.rfind("127.", 0) == 0 || host == "[::1]";
  if (!o.username.empty() && parts[1] == "http" && !loopback && !o.allow_plain_http_auth) {
    throw Error(ExitCode::kUsage, "--gateway " + o.gateway_url + ": a password would cross the network in clear over http://; use https:// (or --allow-plain-http-auth)");
  }
}

void PushRun(const RunFiles& run, const PushOptions& o) {
  ValidatePushOptions(o);
  Curl();  // loads libcurl now: a missing one is an environment error before any attempt

  const std::string node = run.fingerprint.source.hostname.empty() ? "unknown" : run.fingerprint.source.hostname;
  // The group is job and node; a label value with '/' (or empty) goes base64url-encoded (Pushgateway's @base64).
  auto group_value = [](const std::string& value) {
    if (!value.empty() && value.find('/') == std::string::npos) return "/" + value;
    static const char* digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string encoded;
    for (size_t i = 0; i < value.size(); i += 3) {
      uint32_t chunk = static_cast<uint32_t>(static_cast<unsigned char>(value[i])) << 16;
      if (i + 1 < value.size()) chunk |= static_cast<uint32_t>(static_cast<unsigned char>(value[i + 1])) << 8;
      if (i + 2 < value.size()) chunk |= static_cast<unsigned char>(value[i + 2]);
      for (size_t k = 0; k < 4; ++k) encoded += k <= value.size() - i ? digits[(chunk >> (18 - 6 * k)) & 63] : '=';
    }
    return "@base64/" + (encoded.empty() ? std::string("=") : encoded);
  };
  std::string gateway = o.gateway_url;  // checked above: scheme://host:port with an optional '/'
  if (gateway.back() == '/') gateway.pop_back();
  const std::string put_url = gateway + "/metrics/job/" + o.job + "/node" + group_value(node);
  const std::string body = prometheus::TextSerializer().Serialize(RunMetrics(run)->Collect());

  const std::string keep = "; the results stay in " + run.dir + " for a later shapeq push";
  double backoff = o.first_backoff_s;
  PushAttempt last;
  unsigned attempt = 1;
  for (;; ++attempt) {
    last = PutOnce(put_url, body, o);
    if (last.curl == CURLE_OK && last.http_status >= 200 && last.http_status < 300) return;
    // Nothing that waiting would fix: wrong credentials, a certificate we do not trust, a refused body.
    if (last.http_status == 401 || last.http_status == 403) {
      throw Error(ExitCode::kEnvironment, "gateway " + o.gateway_url + ": refused the credentials (HTTP " +
                                              std::to_string(last.http_status) + (o.username.empty() ? "; no --user given" : "; --user " + o.username) + ")" + keep);
    }
    if (TlsTrustFailure(last.curl)) {
      throw Error(ExitCode::kEnvironment, "gateway " + o.gateway_url + ": TLS: " + last.curl_error +
                                              (o.ca_file.empty() ? " (--ca-file names the CA that signed the gateway's certificate)" : "") + keep);
    }
    if (last.http_status >= 400 && last.http_status < 500) {
      throw Error(ExitCode::kEnvironment, "gateway " + o.gateway_url + ": rejected the metrics (HTTP " + std::to_string(last.http_status) + ")" + keep);
    }
    if (attempt >= o.attempts) break;
    std::this_thread::sleep_for(std::chrono::duration<double>(backoff));
    backoff *= 2;
  }
  const std::string why = last.curl != CURLE_OK ? "unreachable (" + last.curl_error + ")" : "answered HTTP " + std::to_string(last.http_status);
  throw Error(ExitCode::kEnvironment, "gateway " + o.gateway_url + ": " + why + " after " + std::to_string(attempt) + " attempts" + keep);
}

}  // namespace shapeq
