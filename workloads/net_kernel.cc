#include "workloads/net_kernel.h"

#include <ifaddrs.h>
#include <net/if.h>
#include <pthread.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cmath>
#include <cstring>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include "common/error.h"
#include "common/interrupt.h"
#include "common/json_optional.h"
#include "common/json_read.h"
#include "workloads/net_protocol.h"
#include "workloads/net_server.h"

namespace shapeq {
namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }

}  // namespace

NetOptions QuickNetOptions(NetOptions o) {
  o.duration_s = 1;
  o.warmup_s = 0.5;
  o.repeats = 1;
  return o;
}

void RequireNetToken(const std::string& token) {
  if (token.size() < kNetTokenMinBytes) {
    throw Error(ExitCode::kUsage, "a peer needs the shared secret its net-serve holds: --token-file FILE or $SHAPEQ_NET_TOKEN");
  }
}

const std::vector<OptionField<NetOptions>>& NetOptionFields() {
  using O = NetOptions;
  static const std::vector<OptionField<O>> fields = {
      {"peer", "--peer", &O::peer, 0, 0, nullptr, "HOST[:PORT] running shapeq net-serve (default: loopback, 127.0.0.1)"},
      {"streams", nullptr, &O::streams, 0, 512, nullptr, "Parallel TCP streams per direction (0: auto, from the NIC's link rate)"},
      {"direction", "--direction", &O::direction, 0, 0, "up|down|both", "up (to the peer), down (from it), or both at once"},
      {"duration_s", "--duration", &O::duration_s, 0.1, 3600, nullptr, "Measured seconds per repeat"},
      {"warmup_s", "--warmup", &O::warmup_s, 0, 600, nullptr, "Seconds excluded at the start of each repeat"},
      {"repeats", "--repeats", &O::repeats, 1, 100, nullptr, "Repeats; the median is reported with the spread"},
      {"cpus", nullptr, &O::cpus, 0, 0, nullptr, "Pin stream threads to these CPUs (a list like 0-7); empty: no pinning"},
      {"connect_timeout_s", "--connect-timeout", &O::connect_timeout_s, 0.1, 3600, nullptr, "Seconds to wait for the peer to answer"},
      {"io_timeout_s", "--io-timeout", &O::io_timeout_s, 0.1, 3600, nullptr, "Seconds of silence after which a peer has failed"},
      {"buffer_kib", "--buffer-kib", &O::buffer_kib, 4, 65536, nullptr, "KiB per send/recv call"},
  };
  return fields;
}

void ValidateNetOptions(const NetOptions& o) { ValidateOptionFields(o, NetOptionFields()); }

nlohmann::json NetOptionsJson(const NetOptions& o) { return OptionFieldsJson(o, NetOptionFields()); }

NetOptions NetOptionsFromJson(const nlohmann::json& j, const std::string& where) {
  if (!j.is_object()) throw BadInput(where, "net options: expected a JSON object");
  NetOptions o;
  std::set<std::string> known;
  ReadOptionFields(j, o, NetOptionFields(), where, "", &known);
  RefuseUnknownFields(j, known, where, "");
  return o;
}

std::string EgressInterface(const Endpoint& peer) {
  // A connected UDP socket picks the route without sending anything.
  Socket probe(socket(peer.address.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (probe.fd() < 0 || connect(probe.fd(), reinterpret_cast<const sockaddr*>(&peer.address), peer.address_length) != 0) return "";
  sockaddr_storage local{};
  socklen_t length = sizeof local;
  getsockname(probe.fd(), reinterpret_cast<sockaddr*>(&local), &length);
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return "";
  std::string name;
  for (ifaddrs* a = list; a && name.empty(); a = a->ifa_next) {
    if (!a->ifa_addr || a->ifa_addr->sa_family != local.ss_family) continue;
    const bool same = local.ss_family == AF_INET
                          ? reinterpret_cast<sockaddr_in*>(a->ifa_addr)->sin_addr.s_addr == reinterpret_cast<sockaddr_in*>(&local)->sin_addr.s_addr
                          : std::memcmp(&reinterpret_cast<sockaddr_in6*>(a->ifa_addr)->sin6_addr,
                                        &reinterpret_cast<sockaddr_in6*>(&local)->sin6_addr, sizeof(in6_addr)) == 0;
    if (same) name = a->ifa_name;
  }
  freeifaddrs(list);
  return name;
}

unsigned AutoStreams(const Fingerprint& fp, const std::string& nic_name, std::string* cpus) {
  const unsigned cores = std::max(1u, fp.cpu.hardware_threads);
  for (const auto& nic : fp.nics) {
    if (nic.name != nic_name) continue;
    if (cpus) *cpus = nic.locality.cpus;
    if (!nic.link_gbps) break;
    return std::clamp(static_cast<unsigned>(std::ceil(*nic.link_gbps / 25.0)), 1u, cores);
  }
  return std::clamp(cores, 1u, 2u);  // loopback or an unknown link: one stream per core, two at most
}

NetPlacement AutoNetPlacement(const Fingerprint& fp, const std::string& peer, const std::string& peer_field) {
  const std::string nic = peer.empty() ? "lo" : EgressInterface(ParseEndpoint(peer, kNetDefaultPort, peer_field));
  NetPlacement placement;
  std::string cpus;
  placement.streams = AutoStreams(fp, nic, &cpus);
  if (std::any_of(fp.nics.begin(), fp.nics.end(), [&](const Nic& n) { return n.name == nic; })) placement.cpus = cpus;
  return placement;
}

namespace {

// One client data stream: a connection and the thread that drives it.
struct ClientStream {
  unsigned index = 0;
  std::string direction;
  Socket socket;
  std::thread thread;
  clockid_t cpu_clock{};
  std::atomic<uint64_t> received{0};
  std::atomic<bool> failed{false};
  std::string error;

  uint64_t Bytes() const { return direction == "up" ? ReadTcpCounters(socket).bytes_acked : received.load(); }
};

struct RepeatResult {
  std::string failure;  // empty when the repeat completed
  double window_s = 0;
  nlohmann::json streams = nlohmann::json::array();
  double up_bytes_per_s = 0, down_bytes_per_s = 0;
  uint64_t retransmits = 0;
  double client_cpu_seconds = 0;
  std::optional<double> server_cpu_cores;
};

RepeatResult RunOnce(const Endpoint& peer, const NetOptions& o, unsigned streams_per_direction, const NetCancelled& cancelled) {
  Socket control = ConnectAuthenticated(peer, o.token, o.connect_timeout_s);
  SetIoTimeout(control, o.io_timeout_s);
  SendLine(control, "HELLO");
  const auto hello = ReadLine(control, o.io_timeout_s);
  if (!hello || hello->rfind("OK ", 0) != 0) throw Error(ExitCode::kEnvironment, "peer " + peer.ToString() + ": refused the session");
  const std::string session = hello->substr(3);

  std::vector<std::string> directions;
  for (unsigned i = 0; i < streams_per_direction; ++i) {
    if (o.direction != "down") directions.push_back("up");
    if (o.direction != "up") directions.push_back("down");
  }
  std::vector<std::unique_ptr<ClientStream>> streams;
  std::atomic<bool> stop{false};
  std::mutex failure_mutex;
  std::condition_variable failure_signal;
  const size_t buffer_bytes = static_cast<size_t>(o.buffer_kib) * 1024;
  for (unsigned i = 0; i < directions.size(); ++i) {
    auto s = std::make_unique<ClientStream>();
    s->index = i;
    s->direction = directions[i];
    s->socket = ConnectAuthenticated(peer, o.token, o.connect_timeout_s);
    SetIoTimeout(s->socket, o.io_timeout_s);
    SendLine(s->socket, "DATA " + session + " " + std::to_string(i) + " " + s->direction);
    streams.push_back(std::move(s));
  }
  for (auto& sp : streams) {
    ClientStream* s = sp.get();
    s->thread = std::thread([s, &stop, &o, buffer_bytes, &failure_mutex, &failure_signal] {
      if (!o.cpus.empty()) PinThisThread(o.cpus);
      std::vector<char> buffer(buffer_bytes, 's');
      while (!stop) {
        const ssize_t n = s->direction == "up" ? send(s->socket.fd(), buffer.data(), buffer.size(), MSG_NOSIGNAL)
                                               : recv(s->socket.fd(), buffer.data(), buffer.size(), 0);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
          if (!stop) {
            s->error = n == 0 ? "the peer closed the connection" : std::strerror(errno);
            std::lock_guard lock(failure_mutex);
            s->failed = true;
            failure_signal.notify_all();
          }
          return;
        }
        if (s->direction == "down") s->received += static_cast<uint64_t>(n);
      }
    });
    pthread_getcpuclockid(s->thread.native_handle(), &s->cpu_clock);
  }

  // Sleeps until `until`, or until a stream fails (streams notify), or the run is cancelled
  // (asked five times a second): this thread takes next to no CPU from the streams. Says which
  // stream failed.
  const auto start = Clock::now();
  bool was_cancelled = false;
  auto wait = [&](Clock::time_point until) -> const ClientStream* {
    std::unique_lock lock(failure_mutex);
    const auto any_failed = [&] { return std::any_of(streams.begin(), streams.end(), [](const auto& s) { return s->failed.load(); }); };
    while (Clock::now() < until && !any_failed()) {
      failure_signal.wait_until(lock, std::min(until, Clock::now() + std::chrono::milliseconds(200)), any_failed);
      if (cancelled && cancelled()) {
        was_cancelled = true;
        break;
      }
    }
    for (const auto& s : streams) {
      if (s->failed) return s.get();
    }
    return nullptr;
  };
  struct Sample {
    Clock::time_point at;
    std::vector<uint64_t> bytes, retransmits;
    double cpu = 0;
  };
  auto sample = [&] {
    Sample s{Clock::now(), {}, {}, 0};
    for (const auto& st : streams) {
      s.bytes.push_back(st->Bytes());
      s.retransmits.push_back(st->direction == "up" ? ReadTcpCounters(st->socket).total_retransmits : 0);
      s.cpu += ThreadCpuSeconds(st->cpu_clock);
    }
    return s;
  };

  RepeatResult result;
  const ClientStream* failed = wait(start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.warmup_s)));
  const Sample first = sample();
  if (!failed && !was_cancelled) failed = wait(first.at + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.duration_s)));
  const Sample last = sample();
  stop = true;
  for (auto& s : streams) s->socket.Shutdown();
  for (auto& s : streams) s->thread.join();

  result.window_s = Seconds(first.at, last.at);
  if (failed) {
    char when[64];
    std::snprintf(when, sizeof when, " after %.1f s", Seconds(start, last.at));
    result.failure = "stream " + std::to_string(failed->index) + " (" + failed->direction + "): " + failed->error + when;
  } else if (was_cancelled) {
    result.failure = "stopped: the run was cancelled (its requester left)";
  }
  for (size_t i = 0; i < streams.size(); ++i) {
    const double bytes = static_cast<double>(last.bytes[i] - std::min(last.bytes[i], first.bytes[i]));
    const double rate = result.window_s > 0 ? bytes / result.window_s : 0;
    const uint64_t retrans = last.retransmits[i] - std::min(last.retransmits[i], first.retransmits[i]);
    (streams[i]->direction == "up" ? result.up_bytes_per_s : result.down_bytes_per_s) += rate;
    result.retransmits += retrans;
    result.streams.push_back({{"index", i}, {"direction", streams[i]->direction}, {"bits_per_s", rate * 8}, {"retransmits", retrans}});
  }
  result.client_cpu_seconds = last.cpu - first.cpu;

  // The server's side: its CPU, and retransmits of what it sent.
  if (result.failure.empty() && SendLine(control, "STATS")) {
    if (auto reply = ReadLine(control, 10)) {
      try {
        const auto stats = ParseJson(*reply, "the peer's STATS");
        if (stats.value("wall_s", 0.0) > 0) result.server_cpu_cores = stats.value("cpu_seconds", 0.0) / stats.value("wall_s", 1.0);
        for (const auto& s : stats.at("streams")) {
          const unsigned index = s.at("index");
          if (index < result.streams.size() && s.at("direction") == "down") {
            result.streams[index]["retransmits"] = s.at("retransmits");
            result.retransmits += s.at("retransmits").get<uint64_t>();
          }
        }
      } catch (const std::exception&) {  // malformed (Error) or of the wrong types (nlohmann's)
        // No server figures: the client's still stand.
      }
    }
  }
  return result;
}

}  // namespace

Measurement RunNet(const NetOptions& requested, const NetRepeatDone& on_repeat, const NetCancelled& cancelled) {
  ValidateNetOptions(requested);
  NetOptions o = requested;
  std::unique_ptr<NetServer> local;
  Endpoint peer;
  if (o.peer.empty()) {
    // Loopback: a listener in this process, with a secret only this run knows.
    // Its caps fit this run (a long loopback run must not be cut at the default 120 s).
    o.token = RandomNetToken();
    NetServerLimits limits{.token = o.token};
    limits.max_run_s = std::max(limits.max_run_s, o.repeats * (o.warmup_s + o.duration_s) + 60);
    limits.max_streams = std::max(limits.max_streams, o.streams == 0 ? 2u : o.streams);
    limits.max_connections = std::max(limits.max_connections, 2 * limits.max_streams + 8);
    local = std::make_unique<NetServer>(ParseEndpoint("127.0.0.1:0", 0, "loopback"), limits);
    local->Start();
    peer = ParseEndpoint("127.0.0.1:" + std::to_string(local->port()), 0, "loopback");
  } else {
    peer = ParseEndpoint(o.peer, kNetDefaultPort, "--peer");
    RequireNetToken(o.token);
  }
  const unsigned streams = o.streams == 0 ? 2 : o.streams;  // callers with a fingerprint pass AutoStreams

  Measurement m;
  m.kernel = "net.tcp";
  m.target = peer.ToString();
  o.streams = streams;
  m.params = NetOptionsJson(o);
  m.params["peer"] = peer.ToString();
  m.duration_s = o.duration_s;
  nlohmann::json repeats = nlohmann::json::array();
  std::vector<double> client_cores;
  for (unsigned r = 0; r < o.repeats && !(r > 0 && (Interrupted() || (cancelled && cancelled()))); ++r) {
    RepeatResult result;
    try {
      result = RunOnce(peer, o, streams, cancelled);
    } catch (const Error& e) {
      if (r == 0) throw;  // nothing measured yet: the caller reports the error itself
      m.status = MeasurementStatus::kFailed;
      m.reason = "repeat " + std::to_string(r + 1) + ": " + e.what();
      break;
    }
    const double total = result.up_bytes_per_s + result.down_bytes_per_s;
    const double cores = result.window_s > 0 ? result.client_cpu_seconds / result.window_s : 0;
    repeats.push_back({{"bytes_per_s", total}, {"up_bytes_per_s", result.up_bytes_per_s},
                       {"down_bytes_per_s", result.down_bytes_per_s}, {"window_s", result.window_s},
                       {"retransmits", result.retransmits}, {"client_cpu_cores", cores},
                       {"server_cpu_cores", result.server_cpu_cores}, {"streams", result.streams},
                       {"failure", result.failure}});
    if (!result.failure.empty()) {
      // Keep what this repeat measured before the failure, marked as such.
      m.status = MeasurementStatus::kFailed;
      m.reason = "repeat " + std::to_string(r + 1) + ": " + result.failure;
      m.detail["partial_bytes_per_s"] = total;
      break;
    }
    m.repeats_bytes_per_s.push_back(total);
    client_cores.push_back(cores);
    if (on_repeat) on_repeat(r + 1, o.repeats, total);
  }
  SummarizeRepeats(m);
  m.detail["repeats"] = repeats;
  if (!client_cores.empty()) {
    m.cpu_cores_busy = Median(client_cores);
    if (m.bytes_per_s && *m.bytes_per_s > 0) {
      m.detail["client_cpu_seconds_per_gbit"] = *m.cpu_cores_busy / (*m.bytes_per_s * 8 / 1e9);
    }
  }
  return m;
}

}  // namespace shapeq
