#pragma once
// The network kernel: TCP throughput from this node to a peer running `shapeq net-serve`
// (or to an in-process listener on 127.0.0.1 when no peer is given), N parallel streams,
// each pinned to the CPUs local to the NIC; warm-up excluded; repeated, with the spread.
// Figures are receiver-side: bytes the peer acknowledged (TCP_INFO) or this node received.
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/option_fields.h"
#include "model/fingerprint.h"
#include "workloads/endpoint.h"
#include "model/measurement.h"
#include "workloads/net_socket.h"

namespace shapeq {

inline constexpr uint16_t kNetDefaultPort = 5201;

struct NetOptions {
  std::string peer;              // HOST[:PORT]; empty: loopback against an in-process listener
  unsigned streams = 0;          // per direction; 0 means auto (AutoStreams)
  std::string direction = "up";  // up: to the peer; down: from it; both: at once
  double duration_s = 5;         // measured window of each repeat
  double warmup_s = 1;           // excluded: TCP slow start and buffer growth
  unsigned repeats = 3;
  std::string cpus;              // pin stream threads here (hwloc list); empty: no pinning
  double connect_timeout_s = 5;
  double io_timeout_s = 5;       // a peer silent this long has failed
  unsigned buffer_kib = 1024;    // bytes per send/recv call
  std::string token;             // the secret the peer's net-serve holds; never in JSON or results
};

// --quick: one 1 s repeat after 0.5 s of warm-up.
NetOptions QuickNetOptions(NetOptions options);

// Error(kUsage) when `token` is too short to be the shared secret a peer needs.
void RequireNetToken(const std::string& token);

// Every option a plan, the command line, a RUN request and a measurement's params name. Not the
// token: it never leaves the process.
const std::vector<OptionField<NetOptions>>& NetOptionFields();

// Throws Error(kUsage) naming the option when a value makes no sense.
void ValidateNetOptions(const NetOptions& options);
nlohmann::json NetOptionsJson(const NetOptions& options);
// Strict: each field of its type and in its range, no unknown field. BadInput naming `where`.
NetOptions NetOptionsFromJson(const nlohmann::json& j, const std::string& where);

// Enough streams to fill the NIC that reaches `peer` (one per 25 Gbit/s of link), at most one
// per local core; 2 on loopback. `cpus` gets the CPUs local to that NIC.
unsigned AutoStreams(const Fingerprint& fp, const std::string& nic_name, std::string* cpus);
// The local interface a connection to `peer` leaves through ("lo" for loopback).
std::string EgressInterface(const Endpoint& peer);

// The automatic choice for a run to `peer` (HOST[:PORT]; empty: loopback), one policy for
// `shapeq net` and qualify: AutoStreams for the NIC the peer is reached through, and that NIC's
// local CPUs when the probe knows it (nullopt: no NIC to pin near). `peer_field` names the option
// in a bad address's error.
struct NetPlacement {
  unsigned streams = 2;
  std::optional<std::string> cpus;
};
NetPlacement AutoNetPlacement(const Fingerprint& fp, const std::string& peer, const std::string& peer_field);

// Runs the kernel. Connection failures before any data throw Error(kEnvironment); a peer that
// fails mid-run gives status "failed" with what was measured before it failed.
// `on_repeat` (optional) hears each completed repeat's rate: for a live progress line.
// `cancelled` (optional), asked a few times a second, ends the run early as a failed measurement
// (net-serve stops a RUN whose requester left).
using NetRepeatDone = std::function<void(unsigned repeat, unsigned repeats, double bytes_per_s)>;
using NetCancelled = std::function<bool()>;
Measurement RunNet(const NetOptions& options, const NetRepeatDone& on_repeat = {}, const NetCancelled& cancelled = {});

// Fleet mode. A schedule is rounds of pairs (host indexes) measured at once:
//   ring        one round, each host to the next;
//   pairwise    every ordered pair in N-1 rounds (N odd: N) of disjoint pairs, both ways at once;
//   all-to-all  one round, every ordered pair at once;
//   incast      one round, every other host to the first.
struct FleetPair {
  size_t from = 0, to = 0;
};
const std::vector<std::string>& NetFleetPatterns();
std::vector<std::vector<FleetPair>> NetFleetRounds(size_t hosts, const std::string& pattern);
// Each pair measured by its source host's net-serve (RUN), a round's pairs concurrently, one
// measurement per pair (detail: pattern, round, rounds, concurrent_pairs, round_wall_s).
std::vector<Measurement> RunNetFleet(const std::vector<std::string>& hosts, const std::string& pattern,
                                     const NetOptions& options);


}  // namespace shapeq
