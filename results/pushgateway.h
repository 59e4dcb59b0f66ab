#pragma once
// A run pushed to a Prometheus Pushgateway, grouped by job and node, over libcurl (loaded when a
// push needs it): basic auth, https with the system's CAs or --ca-file, retries with backoff.
#include <string>

#include "results/fleet_files.h"
#include "results/run_dir.h"

namespace shapeq {

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

// A gateway URL taken apart: http(s)://HOST:PORT with an optional '/', and whether every address
// HOST resolves to is on loopback (then the first such address, to pin the connection to).
struct GatewayUrl {
  std::string scheme, host;  // host as written; an IPv6 literal keeps its brackets
  unsigned port = 0;
  bool loopback = false;
  std::string loopback_address;
};
// Error(kUsage) for anything else: userinfo (a '@'), a path, a query, a port out of range.
// `resolve` false: the form only (loopback stays false; no name is looked up).
GatewayUrl ParseGatewayUrl(const std::string& url, bool resolve = true);

// "/LABEL/VALUE" of a push's grouping key, or "/LABEL@base64/..." (base64url, the Pushgateway's
// rule) for a value that is empty or holds anything but letters, digits, '_', ':', '-' and '.'
// (and does not start with '.'), so no value can change the path: '/', '#', '?', "..".
std::string PushGroupSegment(const std::string& label, const std::string& value);

// Throws Error(kUsage) for a malformed URL or job, or basic auth over http:// to a gateway that
// is not on loopback (unless allow_plain_http_auth); BadInput for an unreadable --ca-file.
// Returns the gateway's URL as parsed and resolved.
GatewayUrl ValidatePushOptions(const PushOptions& options);

// PUTs the run's metrics to GATEWAY/metrics/job/JOB/node/NODE (replacing that group), with
// libcurl: basic auth, https with the system's CAs or --ca-file. An unreachable gateway or a 5xx
// is retried with doubling backoff; wrong credentials, an untrusted certificate or a rejected body
// are not. Failures throw Error(kEnvironment) saying the results are still on disk for a later push.
// A fleet's runs (`fleet`), when given, go in the same push (prometheus_export.h).
void PushRun(const RunFiles& run, const PushOptions& options, const FleetRuns& fleet = {});

}  // namespace shapeq
