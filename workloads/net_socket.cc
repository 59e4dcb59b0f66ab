#include "workloads/net_socket.h"

#include <fcntl.h>
#include <linux/tcp.h>  // the kernel's tcp_info: glibc's lacks tcpi_bytes_acked
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <chrono>
#include <vector>
#include <cmath>
#include <cstring>
#include <sstream>

#include "common/error.h"

namespace shapeq {

Socket& Socket::operator=(Socket&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) close(fd_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

Socket::~Socket() {
  if (fd_ >= 0) close(fd_);
}

void Socket::Shutdown() const {
  if (fd_ >= 0) shutdown(fd_, SHUT_RDWR);
}

Socket Connect(const Endpoint& peer, double timeout_s) {
  Socket s(socket(peer.address.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (s.fd() < 0) throw Error(ExitCode::kEnvironment, "socket: " + std::string(std::strerror(errno)));
  const std::string who = "peer " + peer.ToString();
  if (connect(s.fd(), reinterpret_cast<const sockaddr*>(&peer.address), peer.address_length) != 0 && errno != EINPROGRESS) {
    throw Error(ExitCode::kEnvironment, who + ": cannot connect: " + std::strerror(errno));
  }
  pollfd p{s.fd(), POLLOUT, 0};
  const int ready = poll(&p, 1, static_cast<int>(timeout_s * 1000));
  if (ready == 0) {
    char text[96];
    std::snprintf(text, sizeof text, ": unreachable (connect timed out after %g s)", timeout_s);
    throw Error(ExitCode::kEnvironment, who + text);
  }
  int error = 0;
  socklen_t length = sizeof error;
  getsockopt(s.fd(), SOL_SOCKET, SO_ERROR, &error, &length);
  if (ready < 0 || error != 0) {
    const int e = ready < 0 ? errno : error;
    throw Error(ExitCode::kEnvironment, who + (e == ECONNREFUSED ? ": connection refused (is shapeq net-serve running there?)"
                                                                 : ": unreachable (" + std::string(std::strerror(e)) + ")"));
  }
  fcntl(s.fd(), F_SETFL, fcntl(s.fd(), F_GETFL) & ~O_NONBLOCK);
  return s;
}

Socket Listen(const Endpoint& address) {
  Socket s(socket(address.address.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (s.fd() < 0) throw Error(ExitCode::kEnvironment, "socket: " + std::string(std::strerror(errno)));
  const int one = 1;
  setsockopt(s.fd(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind(s.fd(), reinterpret_cast<const sockaddr*>(&address.address), address.address_length) != 0) {
    const int e = errno;
    throw Error(ExitCode::kEnvironment, address.ToString() + (e == EADDRINUSE ? ": port in use" : ": cannot bind: " + std::string(std::strerror(e))));
  }
  // A deep accept queue: a burst of connections waits for the acceptor instead of being dropped
  // (a dropped SYN costs the client a 1 s retransmit).
  if (listen(s.fd(), SOMAXCONN) != 0) throw Error(ExitCode::kEnvironment, address.ToString() + ": cannot listen: " + std::strerror(errno));
  return s;
}

uint16_t LocalPort(const Socket& socket) {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  getsockname(socket.fd(), reinterpret_cast<sockaddr*>(&address), &length);
  if (address.ss_family == AF_INET6) return ntohs(reinterpret_cast<sockaddr_in6*>(&address)->sin6_port);
  return ntohs(reinterpret_cast<sockaddr_in*>(&address)->sin_port);
}

namespace {

sockaddr_un UnixAddress(const std::string& path) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (path.empty() || path.size() >= sizeof address.sun_path) throw Error(ExitCode::kEnvironment, path + ": too long for a socket path");
  std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
  return address;
}

}  // namespace

Socket ListenUnix(const std::string& path) {
  const sockaddr_un address = UnixAddress(path);
  Socket s(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (s.fd() < 0 || bind(s.fd(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0 || chmod(path.c_str(), 0600) != 0 ||
      listen(s.fd(), 8) != 0) {
    throw Error(ExitCode::kEnvironment, path + ": cannot listen: " + std::strerror(errno));
  }
  return s;
}

Socket ConnectUnix(const std::string& path, double timeout_s) {
  const sockaddr_un address = UnixAddress(path);
  for (int waited_ms = 0;; waited_ms += 20) {
    Socket s(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (s.fd() >= 0 && connect(s.fd(), reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0) return s;
    if (waited_ms >= timeout_s * 1000) throw Error(ExitCode::kEnvironment, path + ": cannot connect: " + std::strerror(errno));
    usleep(20000);
  }
}

Socket AcceptWithin(const Socket& listener, double timeout_s) {
  pollfd p{listener.fd(), POLLIN, 0};
  if (poll(&p, 1, static_cast<int>(timeout_s * 1000)) <= 0) return Socket();
  return Socket(accept4(listener.fd(), nullptr, nullptr, SOCK_CLOEXEC));
}

bool SendAll(const Socket& socket, std::string_view bytes) {
  size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = send(socket.fd(), bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    sent += static_cast<size_t>(n);
  }
  return true;
}

std::string CarryBoth(const Socket& a, const Socket& b, double deadline_s, const std::function<bool()>& stop, const CarryFilter& filter) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(static_cast<int64_t>(deadline_s * 1000));
  std::vector<char> buffer(1 << 16);
  std::string pass;
  while (!(stop && stop())) {
    if (std::chrono::steady_clock::now() >= deadline) return "the time cap passed";
    pollfd p[2] = {{a.fd(), POLLIN, 0}, {b.fd(), POLLIN, 0}};
    const int ready = poll(p, 2, 200);
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) return std::strerror(errno);
    for (int side = 0; side < 2; ++side) {
      if (!p[side].revents) continue;
      const Socket& from = side == 0 ? a : b;
      const Socket& to = side == 0 ? b : a;
      const ssize_t n = recv(from.fd(), buffer.data(), buffer.size(), 0);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return "";
      const std::string_view bytes(buffer.data(), static_cast<size_t>(n));
      std::string refused;
      if (side == 0 && filter) {
        pass.clear();
        refused = filter(bytes, pass);
      }
      if (!SendAll(to, side == 0 && filter ? std::string_view(pass) : bytes)) return "";
      if (!refused.empty()) return "refused " + refused;
    }
  }
  return "stopped";
}

bool SendLine(const Socket& socket, const std::string& line) { return SendAll(socket, line + "\n"); }

std::optional<std::string> ReadLine(const Socket& socket, double timeout_s) {
  // One deadline for the whole line: a peer sending a byte now and then cannot stretch it.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                                                std::chrono::duration<double>(std::max(0.0, timeout_s)));
  std::string line;
  while (line.size() < 65536) {
    const auto left_ms = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
    if (left_ms <= 0) return std::nullopt;
    pollfd p{socket.fd(), POLLIN, 0};
    const int ready = poll(&p, 1, static_cast<int>(std::min<long long>(left_ms, INT32_MAX)));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return std::nullopt;
    char c = 0;
    const ssize_t n = recv(socket.fd(), &c, 1, 0);  // control lines are short: byte at a time is fine
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return std::nullopt;
    if (c == '\n') return line;
    line.push_back(c);
  }
  return std::nullopt;
}

void SetIoTimeout(const Socket& socket, double seconds) {
  timeval tv{static_cast<time_t>(seconds), static_cast<suseconds_t>(std::fmod(seconds, 1.0) * 1e6)};
  setsockopt(socket.fd(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(socket.fd(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

void SetBufferBytes(const Socket& socket, int bytes) {
  setsockopt(socket.fd(), SOL_SOCKET, SO_SNDBUF, &bytes, sizeof bytes);
  setsockopt(socket.fd(), SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes);
}

TcpCounters ReadTcpCounters(const Socket& socket) {
  tcp_info info{};
  socklen_t length = sizeof info;
  TcpCounters counters;
  if (getsockopt(socket.fd(), IPPROTO_TCP, TCP_INFO, &info, &length) == 0) {
    counters.bytes_acked = info.tcpi_bytes_acked;
    counters.total_retransmits = info.tcpi_total_retrans;
  }
  return counters;
}

double ThreadCpuSeconds(clockid_t clock) {
  timespec ts{};
  if (clock_gettime(clock, &ts) != 0) return 0;
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

bool PinThisThread(const std::string& cpus) {
  cpu_set_t set;
  CPU_ZERO(&set);
  std::istringstream ranges(cpus);
  for (std::string range; std::getline(ranges, range, ',');) {
    unsigned first = 0, last = 0;
    if (std::sscanf(range.c_str(), "%u-%u", &first, &last) == 2 || (std::sscanf(range.c_str(), "%u", &first) == 1 && (last = first, true))) {
      for (unsigned cpu = first; cpu <= last && cpu < CPU_SETSIZE; ++cpu) CPU_SET(cpu, &set);
    }
  }
  return CPU_COUNT(&set) > 0 && pthread_setaffinity_np(pthread_self(), sizeof set, &set) == 0;
}

}  // namespace shapeq
