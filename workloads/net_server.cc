#include "workloads/net_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

#include "common/error.h"
#include "common/json_read.h"
#include "workloads/net_kernel.h"
#include "workloads/net_protocol.h"
#include "workloads/net_socket.h"

namespace shapeq {
namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }

// What the server knows of one data stream, for STATS.
struct ServerStream {
  unsigned index = 0;
  std::string direction;
  std::atomic<uint64_t> bytes{0};
  uint32_t retransmits = 0;
  double cpu_seconds = 0;
  Clock::time_point start, end;
  std::atomic<bool> done{false};
};

struct Session {
  std::mutex mutex;
  std::vector<std::shared_ptr<ServerStream>> streams;
};

// The requester closed its end (or the connection broke): a RUN for it stops.
bool PeerGone(const Socket& socket) {
  pollfd p{socket.fd(), POLLRDHUP, 0};
  return poll(&p, 1, 0) > 0 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR));
}

// One accepted connection: its descriptor and the address it came from.
struct Accepted {
  int fd;
  std::string address;
};

std::string AddressText(const sockaddr_storage& from) {
  char text[INET6_ADDRSTRLEN] = {};
  if (from.ss_family == AF_INET) inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in&>(from).sin_addr, text, sizeof text);
  if (from.ss_family == AF_INET6) inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6&>(from).sin6_addr, text, sizeof text);
  return text;
}

}  // namespace

struct NetServer::Impl {
  Socket listener;
  NetServerLimits limits;
  std::thread acceptor;
  std::mutex mutex;
  std::condition_variable work;
  std::deque<Accepted> queue;    // accepted, waiting for a worker
  std::vector<std::thread> workers;
  size_t idle_workers = 0;
  size_t pending = 0;            // accepted, not yet authenticated (queued or in the handshake)
  std::map<std::string, size_t> pending_by_address;
  size_t served = 0;             // authenticated, being served
  std::set<int> open_fds;        // to shut down on Stop()
  std::map<uint64_t, std::shared_ptr<Session>> sessions;
  uint64_t next_session = 1;
  std::atomic<bool> stopping{false};
  std::unique_ptr<StorageHost> storage;

  void Accept() {
    while (!stopping) {
      sockaddr_storage from{};
      socklen_t from_size = sizeof from;
      const int fd = accept4(listener.fd(), reinterpret_cast<sockaddr*>(&from), &from_size, SOCK_CLOEXEC);
      if (fd < 0) {
        if (errno == EINTR || errno == ECONNABORTED) continue;
        if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
          std::this_thread::sleep_for(std::chrono::milliseconds(10));  // out of descriptors: let connections end
          continue;
        }
        return;  // the listener was shut down
      }
      const std::string address = AddressText(from);
      std::lock_guard lock(mutex);
      // Until it proves the secret a connection holds a slot of the small pre-auth pool, at most
      // a few per address: a flood of slow handshakes (slowloris) fills only its own share of
      // that pool, never the slots of authenticated clients or of other hosts.
      if (stopping || pending >= limits.max_pending || pending_by_address[address] >= limits.max_pending_per_address) {
        if (pending_by_address[address] == 0) pending_by_address.erase(address);
        close(fd);  // full: the client sees the connection closed and may retry
        continue;
      }
      ++pending;
      ++pending_by_address[address];
      open_fds.insert(fd);
      queue.push_back({fd, address});
      // A bounded pool: a new worker only when none is idle, never more than both pools hold.
      if (idle_workers == 0 && workers.size() < limits.max_connections + limits.max_pending) workers.emplace_back([this] { Work(); });
      work.notify_one();
    }
  }

  void Work() {
    std::unique_lock lock(mutex);
    for (;;) {
      ++idle_workers;
      work.wait(lock, [this] { return stopping || !queue.empty(); });
      --idle_workers;
      if (stopping) return;
      const Accepted accepted = queue.front();
      queue.pop_front();
      lock.unlock();
      {
        Socket connection(accepted.fd);
        const bool authenticated = Serve(connection, accepted.address);
        std::lock_guard done(mutex);
        open_fds.erase(accepted.fd);  // before the descriptor closes, so Stop never shuts a reused number
        if (authenticated) {
          --served;
        } else {
          LeavePending(accepted.address);
        }
      }
      lock.lock();
    }
  }

  void LeavePending(const std::string& address) {  // under `mutex`
    --pending;
    if (--pending_by_address[address] == 0) pending_by_address.erase(address);
  }

  // Serves one connection; true when it proved the secret and took a slot among `served`.
  bool Serve(const Socket& connection, const std::string& address) {
    // One deadline for the whole exchange before a request is known: the challenge, the proof and
    // the request line, however slowly their bytes arrive.
    const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(limits.handshake_timeout_s));
    auto left_s = [&] { return std::max(0.0, Seconds(Clock::now(), deadline)); };
    SetIoTimeout(connection, limits.handshake_timeout_s);
    if (!AuthenticateClient(connection, limits.token, left_s())) return false;
    const auto line = ReadLine(connection, left_s());
    if (!line) return false;
    {
      std::lock_guard lock(mutex);
      if (served >= limits.max_connections) {
        SendLine(connection, "ERR busy: " + std::to_string(limits.max_connections) + " connections served at once");
        return false;
      }
      LeavePending(address);
      ++served;
    }
    std::istringstream words(*line);
    std::string verb;
    words >> verb;
    if (verb == "HELLO") {
      Control(connection);
    } else if (verb == "DATA") {
      uint64_t session = 0;
      unsigned index = 0;
      std::string direction;
      words >> session >> index >> direction;
      Data(connection, session, index, direction);
    } else if (verb == "RUN") {
      std::string json;
      std::getline(words, json);
      RunFor(connection, json);
    } else if (verb == kFioRequestVerb) {
      std::string json;
      std::getline(words, json);
      storage->Serve(connection, json, limits.max_run_s, [this] { return stopping.load(); });
    } else {
      SendLine(connection, "ERR unknown request");
    }
    return true;
  }

  // A client's session lives at most the longest run a RUN may ask for, plus slack.
  double SessionLimitS() const { return limits.max_run_s + 30; }

  void Control(const Socket& connection) {
    auto session = std::make_shared<Session>();
    uint64_t id = 0;
    {
      std::lock_guard lock(mutex);
      id = next_session++;
      sessions[id] = session;
    }
    SendLine(connection, "OK " + std::to_string(id));
    const auto end = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(SessionLimitS()));
    while (auto request = ReadLine(connection, std::max(0.0, Seconds(Clock::now(), end)))) {
      if (*request != "STATS") break;
      // The client has closed its streams; give their threads a moment to see EOF.
      const auto deadline = Clock::now() + std::chrono::seconds(3);
      nlohmann::json streams = nlohmann::json::array();
      double cpu = 0;
      std::optional<Clock::time_point> first, last;
      std::lock_guard lock(session->mutex);
      for (const auto& s : session->streams) {
        while (!s->done && Clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(10));
        streams.push_back({{"index", s->index}, {"direction", s->direction}, {"bytes", s->bytes.load()}, {"retransmits", s->retransmits}});
        cpu += s->cpu_seconds;
        if (!first || s->start < *first) first = s->start;
        if (!last || s->end > *last) last = s->end;
      }
      const double wall = first && last ? Seconds(*first, *last) : 0;
      SendLine(connection, nlohmann::json{{"streams", streams}, {"cpu_seconds", cpu}, {"wall_s", wall}}.dump());
    }
    std::lock_guard lock(mutex);
    sessions.erase(id);
  }

  void Data(const Socket& connection, uint64_t id, unsigned index, const std::string& direction) {
    std::shared_ptr<Session> session;
    {
      std::lock_guard lock(mutex);
      if (auto it = sessions.find(id); it != sessions.end()) session = it->second;
    }
    if (!session || (direction != "up" && direction != "down")) return;
    auto stream = std::make_shared<ServerStream>();
    stream->index = index;
    stream->direction = direction;
    {
      std::lock_guard lock(session->mutex);
      // max_streams in each direction, counted apart: 100 up is over a cap of 64 whatever runs down.
      const auto same_direction = std::count_if(session->streams.begin(), session->streams.end(),
                                                [&](const auto& s) { return s->direction == direction; });
      if (static_cast<size_t>(same_direction) >= limits.max_streams) return;
      session->streams.push_back(stream);
    }
    SetIoTimeout(connection, 30);
    stream->start = Clock::now();
    const auto end = stream->start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(SessionLimitS()));
    const double cpu0 = ThreadCpuSeconds(CLOCK_THREAD_CPUTIME_ID);
    std::vector<char> buffer(1 << 20, 'x');
    while (!stopping && Clock::now() < end) {
      const ssize_t n = direction == "up" ? recv(connection.fd(), buffer.data(), buffer.size(), 0)
                                          : send(connection.fd(), buffer.data(), buffer.size(), MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      stream->bytes += static_cast<uint64_t>(n);
    }
    stream->retransmits = ReadTcpCounters(connection).total_retransmits;
    stream->cpu_seconds = ThreadCpuSeconds(CLOCK_THREAD_CPUTIME_ID) - cpu0;
    stream->end = Clock::now();
    stream->done = true;
  }

  // Measures from here to the requested peer, within this server's caps; the peer must hold the
  // same secret (RunNet's handshake checks it), so the server connects to no other service.
  void RunFor(const Socket& connection, const std::string& json) {
    nlohmann::json reply;
    try {
      NetOptions o = NetOptionsFromJson(ParseJson(json, "the RUN request"), "the RUN request");
      ValidateNetOptions(o);
      if (o.peer.empty()) throw Error(ExitCode::kUsage, "RUN needs a peer");
      if (o.streams > limits.max_streams) {
        throw Error(ExitCode::kUsage, "streams: " + std::to_string(o.streams) + " is over this server's cap of " + std::to_string(limits.max_streams));
      }
      const double run_s = o.repeats * (o.warmup_s + o.duration_s);
      if (run_s > limits.max_run_s) {
        throw Error(ExitCode::kUsage, "the run would take " + std::to_string(static_cast<int>(run_s)) + " s, over this server's cap of " +
                                          std::to_string(static_cast<int>(limits.max_run_s)) + " s");
      }
      if (o.buffer_kib > 4096) throw Error(ExitCode::kUsage, "buffer_kib: at most 4096 for a RUN");
      o.token = limits.token;
      reply = RunNet(o, {}, [&] { return stopping.load() || PeerGone(connection); });
    } catch (const std::exception& e) {
      Measurement failed;
      failed.kernel = "net.tcp";
      failed.status = MeasurementStatus::kFailed;
      failed.reason = e.what();
      reply = failed;
    }
    // Replace, never throw: a reason may quote what the requester sent.
    SendLine(connection, reply.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  }
};

NetServer::NetServer(const Endpoint& listen, NetServerLimits limits, StorageLoan storage) : impl_(std::make_unique<Impl>()) {
  if (limits.token.size() < kNetTokenMinBytes) {
    throw Error(ExitCode::kUsage, "net-serve needs the shared secret: --token-file FILE or $SHAPEQ_NET_TOKEN (16 bytes or more)");
  }
  if (limits.max_connections < 4 || limits.max_streams < 1 || !(limits.max_run_s > 0)) {
    throw Error(ExitCode::kUsage, "net-serve: --max-connections at least 4, --max-streams at least 1, --max-run positive");
  }
  impl_->limits = std::move(limits);
  impl_->listener = Listen(listen);
  port_ = LocalPort(impl_->listener);
  impl_->storage = std::make_unique<StorageHost>(std::move(storage));
}

NetServer::~NetServer() { Stop(); }

void NetServer::Start() {
  impl_->acceptor = std::thread([this] { impl_->Accept(); });
}

void NetServer::Stop() {
  if (impl_->stopping.exchange(true)) return;
  impl_->listener.Shutdown();
  if (impl_->acceptor.joinable()) impl_->acceptor.join();
  std::vector<std::thread> workers;
  {
    std::lock_guard lock(impl_->mutex);
    for (int fd : impl_->open_fds) shutdown(fd, SHUT_RDWR);
    for (const Accepted& accepted : impl_->queue) close(accepted.fd);  // accepted, never served
    impl_->queue.clear();
    workers.swap(impl_->workers);
  }
  impl_->work.notify_all();
  for (auto& worker : workers) worker.join();
}

}  // namespace shapeq
