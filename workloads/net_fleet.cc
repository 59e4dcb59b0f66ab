// Fleet mode of the network kernel: each pair measured by its source host's net-serve (RUN), the
// pairs of one round at once. The schedule keeps the number of rounds, not pairs, driving wall
// time: pairwise over N hosts is N-1 rounds of disjoint pairs (each measured both ways at once).
#include <algorithm>
#include <chrono>
#include <thread>

#include "common/error.h"
#include "common/json_read.h"
#include "workloads/net_kernel.h"
#include "workloads/net_protocol.h"

namespace shapeq {

const std::vector<std::string>& NetFleetPatterns() {
  static const std::vector<std::string> patterns = {"ring", "pairwise", "all-to-all", "incast"};
  return patterns;
}

std::vector<std::vector<FleetPair>> NetFleetRounds(size_t hosts, const std::string& pattern) {
  std::vector<std::vector<FleetPair>> rounds;
  if (hosts < 2) return rounds;
  if (pattern == "ring") {
    rounds.emplace_back();
    for (size_t i = 0; i < hosts; ++i) rounds.back().push_back({i, (i + 1) % hosts});
  } else if (pattern == "pairwise") {
    // The circle method: host 0 stays, the others rotate; an odd count adds a bye (kNone).
    const size_t n = hosts % 2 ? hosts + 1 : hosts;
    std::vector<size_t> ring(n);
    for (size_t i = 0; i < n; ++i) ring[i] = i;
    for (size_t round = 0; round + 1 < n; ++round) {
      rounds.emplace_back();
      for (size_t i = 0; i < n / 2; ++i) {
        const size_t a = ring[i], b = ring[n - 1 - i];
        if (a >= hosts || b >= hosts) continue;  // the bye
        rounds.back().push_back({a, b});
        rounds.back().push_back({b, a});
      }
      std::rotate(ring.begin() + 1, ring.end() - 1, ring.end());
    }
  } else if (pattern == "all-to-all") {
    rounds.emplace_back();
    for (size_t i = 0; i < hosts; ++i) {
      for (size_t j = 0; j < hosts; ++j) {
        if (i != j) rounds.back().push_back({i, j});
      }
    }
  } else if (pattern == "incast") {
    rounds.emplace_back();
    for (size_t i = 1; i < hosts; ++i) rounds.back().push_back({i, 0});
  } else {
    throw Error(ExitCode::kUsage, "--pattern must be ring, pairwise, all-to-all or incast");
  }
  return rounds;
}

namespace {

Measurement RunPair(const Endpoint& from, const Endpoint& to, const NetOptions& options, double budget_s) {
  NetOptions o = options;
  o.peer = to.ToString();
  Measurement m;
  try {
    Socket control = ConnectAuthenticated(from, options.token, options.connect_timeout_s);
    SendLine(control, "RUN " + NetOptionsJson(o).dump());  // the options, never the token
    const auto reply = ReadLine(control, budget_s);
    if (!reply) throw Error(ExitCode::kRunFailed, "no answer within " + std::to_string(static_cast<int>(budget_s)) + " s");
    m = ParseJson(*reply, "the RUN reply from " + from.ToString()).get<Measurement>();
  } catch (const std::exception& e) {
    m.kernel = "net.tcp";
    m.status = MeasurementStatus::kFailed;
    m.reason = e.what();
  }
  m.target = from.ToString() + " -> " + to.ToString();
  m.detail["from"] = from.ToString();
  m.detail["to"] = to.ToString();
  return m;
}

}  // namespace

std::vector<Measurement> RunNetFleet(const std::vector<std::string>& hosts, const std::string& pattern, const NetOptions& options) {
  if (hosts.size() < 2) throw Error(ExitCode::kUsage, "--hosts needs at least two hosts");
  const auto rounds = NetFleetRounds(hosts.size(), pattern);  // checks the pattern
  std::vector<Endpoint> endpoints;
  for (const auto& host : hosts) endpoints.push_back(ParseEndpoint(host, kNetDefaultPort, "--hosts"));
  ValidateNetOptions(options);
  RequireNetToken(options.token);
  const double budget_s = options.repeats * (options.warmup_s + options.duration_s + 2 * options.connect_timeout_s) + 30;
  std::vector<Measurement> results;
  for (size_t r = 0; r < rounds.size(); ++r) {
    // One thread per pair of the round; each waits for its own RUN, bounded by budget_s.
    std::vector<Measurement> measured(rounds[r].size());
    std::vector<std::thread> threads;
    const auto started = std::chrono::steady_clock::now();
    for (size_t i = 0; i < rounds[r].size(); ++i) {
      threads.emplace_back([&, i] { measured[i] = RunPair(endpoints[rounds[r][i].from], endpoints[rounds[r][i].to], options, budget_s); });
    }
    for (auto& t : threads) t.join();
    const double round_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    for (auto& m : measured) {
      m.detail["pattern"] = pattern;
      m.detail["round"] = r;
      m.detail["rounds"] = rounds.size();
      m.detail["concurrent_pairs"] = rounds[r].size();
      m.detail["round_wall_s"] = round_s;
      results.push_back(std::move(m));
    }
  }
  return results;
}

}  // namespace shapeq
