#pragma once
// Child processes with argv vectors (posix_spawnp), never a shell string.
#include <sys/types.h>

#include <functional>
#include <optional>
#include <string_view>
#include <string>
#include <vector>

namespace shapeq {

struct ProcessResult {
  int exit_code = -1;    // the child's exit status, or -1 when it died from a signal
  int term_signal = 0;   // the signal that killed it, 0 when it exited
  std::string stdout_text;
  std::string stderr_text;
};

// Runs argv[0] (looked up in PATH) with the given arguments, waits for it and returns what it
// printed. Throws Error(kEnvironment) when the program cannot be started at all.
// `on_stdout` (optional) hears stdout as it arrives, in chunks (a live status line, say).
using OutputChunk = std::function<void(std::string_view chunk)>;
ProcessResult RunProcess(const std::vector<std::string>& argv, const OutputChunk& on_stdout = {});

// A child left running (a server, a fio job): stdout is readable line by line; stderr is
// discarded. The destructor kills (SIGKILL) and reaps a child still running; with `own_group`
// (a server that forks a child per connection) it kills the child's whole process group.
class ChildProcess {
 public:
  explicit ChildProcess(const std::vector<std::string>& argv, bool own_group = false);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  pid_t pid() const { return pid_; }
  // The next stdout line, or nullopt on EOF or after `timeout_s`.
  std::optional<std::string> ReadLine(double timeout_s);
  void Signal(int signal_number) const;
  // Waits for exit: the exit code, or 128 + signal when a signal ended it.
  int Wait();

 private:
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::string pending_;
  bool reaped_ = false;
  bool own_group_ = false;
  int status_ = 0;
};

}  // namespace shapeq
