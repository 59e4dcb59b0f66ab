#pragma once
// Publishing a run to Prometheus: the figures of a results directory as metric families
// (base units, Prometheus naming), pushed to a Pushgateway grouped by job and node.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <prometheus/registry.h>

#include "probes/fingerprint.h"
#include "workloads/measurement.h"

namespace shapeq {

// What a results directory holds, read back (files absent from a partial run stay empty).
struct RunFiles {
  std::string dir;
  std::string run_id;  // the directory's name
  Fingerprint fingerprint;
  std::vector<Measurement> storage;
  std::vector<Measurement> datapath;
  std::optional<Measurement> network;
  bool complete = false;
  nlohmann::json manifest;  // empty when the run wrote none
  nlohmann::json verdicts;  // verdicts.json (schema shapeq.verdicts); empty when the run was not scored
};

// A completion-latency percentile ("p50", "p99", "p99.9") of a storage measurement's last
// repeat, seconds: the read side when it read, else the write side.
std::optional<double> StorageLatencyPercentile(const Measurement& m, const std::string& percentile);

// Throws Error(kBadInput) naming the file when one is missing (fingerprint.json) or malformed.
RunFiles ReadRunFiles(const std::string& dir);

// The metric families, labelled with shape, cloud and run.
std::shared_ptr<prometheus::Registry> RunMetrics(const RunFiles& run);

struct PushOptions {
  std::string gateway_url;  // http://127.0.0.1:9091, https://gw.example:9091
  std::string job = "shapeq";
  std::string username, password;  // basic auth, when the gateway wants it
  std::string ca_file;             // PEM CA bundle that signed an https gateway's certificate (default: the system's)
  bool allow_plain_http_auth = false;  // basic auth over http:// to a gateway off this host
  double timeout_s = 10;           // per attempt
  unsigned attempts = 5;
  double first_backoff_s = 0.5;    // doubled after each failed attempt
};

// Throws Error(kUsage) for a malformed URL or job, or basic auth over http:// to a gateway that
// is not on loopback (unless allow_plain_http_auth); BadInput for an unreadable --ca-file.
void ValidatePushOptions(const PushOptions& options);

// PUTs the run's metrics to GATEWAY/metrics/job/JOB/node/NODE (replacing that group), with
// libcurl: basic auth, https with the system's CAs or --ca-file. An unreachable gateway or a 5xx
// is retried with doubling backoff; wrong credentials, an untrusted certificate or a rejected body
// are not. Failures throw Error(kEnvironment) saying the results are still on disk for a later push.
void PushRun(const RunFiles& run, const PushOptions& options);

}  // namespace shapeq
