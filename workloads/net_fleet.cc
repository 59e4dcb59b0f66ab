// Fleet mode of the network kernel: each pair measured by its source host's net-serve (RUN).
#include <algorithm>

#include "common/error.h"
#include "common/json_read.h"
#include "workloads/net_kernel.h"
#include "workloads/net_protocol.h"

namespace shapeq {

std::vector<Measurement> RunNetFleet(const std::vector<std::string>& hosts, const std::string& pattern, const NetOptions& options) {
  if (hosts.size() < 2) throw Error(ExitCode::kUsage, "--hosts needs at least two hosts");
  if (pattern != "ring" && pattern != "pairwise") throw Error(ExitCode::kUsage, "--pattern must be ring or pairwise");
  std::vector<Endpoint> endpoints;
  for (const auto& host : hosts) endpoints.push_back(ParseEndpoint(host, kNetDefaultPort, "--hosts"));
  ValidateNetOptions(options);
  RequireNetToken(options.token);
  std::vector<std::pair<size_t, size_t>> pairs;
  for (size_t i = 0; i < hosts.size(); ++i) {
    if (pattern == "ring") {
      pairs.emplace_back(i, (i + 1) % hosts.size());
    } else {
      for (size_t j = 0; j < hosts.size(); ++j) {
        if (i != j) pairs.emplace_back(i, j);
      }
    }
  }
  const double budget_s = options.repeats * (options.warmup_s + options.duration_s + 2 * options.connect_timeout_s) + 30;
  std::vector<Measurement> results;
  for (const auto& [from, to] : pairs) {
    NetOptions o = options;
    o.peer = endpoints[to].ToString();
    Measurement m;
    try {
      Socket control = ConnectAuthenticated(endpoints[from], options.token, options.connect_timeout_s);
      SendLine(control, "RUN " + NetOptionsJson(o).dump());  // the options, never the token
      const auto reply = ReadLine(control, budget_s);
      if (!reply) throw Error(ExitCode::kRunFailed, "no answer within " + std::to_string(static_cast<int>(budget_s)) + " s");
      m = ParseJson(*reply, "the RUN reply from " + endpoints[from].ToString()).get<Measurement>();
    } catch (const std::exception& e) {
      m.kernel = "net.tcp";
      m.status = MeasurementStatus::kFailed;
      m.reason = e.what();
    }
    m.target = endpoints[from].ToString() + " -> " + endpoints[to].ToString();
    m.detail["from"] = endpoints[from].ToString();
    m.detail["to"] = endpoints[to].ToString();
    results.push_back(std::move(m));
  }
  return results;
}

}  // namespace shapeq
