#pragma once
// The few socket operations the network kernel needs, each failing with a clear Error.
#include <time.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "workloads/endpoint.h"

namespace shapeq {

// Owns a descriptor.
class Socket {
 public:
  Socket() = default;
  explicit Socket(int fd) : fd_(fd) {}
  Socket(Socket&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  Socket& operator=(Socket&& other) noexcept;
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  ~Socket();
  int fd() const { return fd_; }
  // Wakes any thread blocked on it; the descriptor stays open until destruction.
  void Shutdown() const;

 private:
  int fd_ = -1;
};

// Throws Error(kEnvironment): "peer HOST:PORT: unreachable (connect timed out after 5 s)",
// "... connection refused", and the like.
Socket Connect(const Endpoint& peer, double timeout_s);
// Binds and listens; Error(kEnvironment) "HOST:PORT: port in use" when it is.
Socket Listen(const Endpoint& address);
uint16_t LocalPort(const Socket& socket);

// A stream socket at a filesystem path (fio's server and client talk over one here).
// ListenUnix makes the socket file mode 600; ConnectUnix retries until `timeout_s` while the
// listener is still starting. Both throw Error(kEnvironment) naming the path.
Socket ListenUnix(const std::string& path);
Socket ConnectUnix(const std::string& path, double timeout_s);
// The next connection within `timeout_s`, or an empty Socket.
Socket AcceptWithin(const Socket& listener, double timeout_s);

// Sends all of `bytes`; false when the peer went away or a send timed out.
bool SendAll(const Socket& socket, std::string_view bytes);

// Carries bytes both ways between two connected sockets until a side closes (""), `deadline_s`
// seconds pass, `stop()` says so, or `filter` refuses: it sees what `a` sends, puts what may pass
// into its second argument and returns why not ("" while all may). Returns why it ended early.
using CarryFilter = std::function<std::string(std::string_view from_a, std::string& pass)>;
std::string CarryBoth(const Socket& a, const Socket& b, double deadline_s, const std::function<bool()>& stop, const CarryFilter& filter = {});

// Short control lines, '\n'-terminated. ReadLine gives nullopt on EOF, error, or when the whole
// line has not arrived within timeout_s (one deadline, not one per byte).
bool SendLine(const Socket& socket, const std::string& line);
std::optional<std::string> ReadLine(const Socket& socket, double timeout_s);

// Blocking sends and receives give up after this long, so a frozen peer ends a run.
void SetIoTimeout(const Socket& socket, double seconds);
void SetBufferBytes(const Socket& socket, int bytes);

struct TcpCounters {
  uint64_t bytes_acked = 0;     // sent and acknowledged by the receiver
  uint32_t total_retransmits = 0;
};
TcpCounters ReadTcpCounters(const Socket& socket);

// CPU seconds a thread has used, by its clock (CLOCK_THREAD_CPUTIME_ID: this thread's).
double ThreadCpuSeconds(clockid_t clock);

// Pins the calling thread to a CPU list ("0-3,8"); false when the list is unusable here.
bool PinThisThread(const std::string& cpus);

}  // namespace shapeq
