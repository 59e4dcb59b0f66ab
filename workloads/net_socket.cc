#include "workloads/net_socket.h"

#include <fcntl.h>
#include <linux/tcp.h>  // the kernel's tcp_info: glibc's lacks tcpi_bytes_acked
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
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

bool SendLine(const Socket& socket, const std::string& line) {
  const std::string text = line + "\n";
  size_t sent = 0;
  while (sent < text.size()) {
    const ssize_t n = send(socket.fd(), text.data() + sent, text.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    sent += static_cast<size_t>(n);
  }
  return true;
}

std::optional<std::string> ReadLine(const Socket& socket, double timeout_s) {
  std::string line;
  while (line.size() < 65536) {
    pollfd p{socket.fd(), POLLIN, 0};
    const int ready = poll(&p, 1, static_cast<int>(timeout_s * 1000));
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
