#include "common/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <csignal>
#include <cerrno>
#include <cstring>

#include "common/error.h"
#include "common/interrupt.h"

extern char** environ;

namespace shapeq {
namespace {

// Closes a descriptor once, whichever way the scope is left.
struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) close(fd);
  }
  void reset() {
    if (fd >= 0) close(fd);
    fd = -1;
  }
};

// Reads both pipes until both close, with poll so neither pipe can fill up and block the child.
void DrainPipes(Fd& out, Fd& err, std::string& out_text, std::string& err_text, const OutputChunk& on_stdout) {
  std::array<char, 65536> buffer{};
  while (out.fd >= 0 || err.fd >= 0) {
    std::array<pollfd, 2> fds{{{out.fd, POLLIN, 0}, {err.fd, POLLIN, 0}}};
    if (poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      throw Error(ExitCode::kInternal, std::string("poll: ") + std::strerror(errno));
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      Fd& pipe = i == 0 ? out : err;
      std::string& text = i == 0 ? out_text : err_text;
      ssize_t n = read(pipe.fd, buffer.data(), buffer.size());
      if (n > 0) {
        text.append(buffer.data(), static_cast<size_t>(n));
        if (i == 0 && on_stdout) on_stdout(std::string_view(buffer.data(), static_cast<size_t>(n)));
      } else if (n == 0 || errno != EINTR) {
        pipe.reset();
      }
    }
  }
}

// Starts argv with stdout and stderr on pipes (stderr to /dev/null when err_read is null); the
// caller owns the read ends.
// `own_group`: the child leads a new process group, so it and whatever it forks stop together.
pid_t Spawn(const std::vector<std::string>& argv, Fd& out_read, Fd* err_read, bool own_group = false) {
  if (argv.empty()) throw Error(ExitCode::kInternal, "Spawn: empty argv");
  int out_pipe[2];
  int err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0) throw Error(ExitCode::kEnvironment, "pipe: " + std::string(std::strerror(errno)));
  out_read.fd = out_pipe[0];
  Fd out_write{out_pipe[1]};
  Fd err_write;
  if (err_read) {
    if (pipe2(err_pipe, O_CLOEXEC) != 0) throw Error(ExitCode::kEnvironment, "pipe: " + std::string(std::strerror(errno)));
    err_read->fd = err_pipe[0];
    err_write.fd = err_pipe[1];
  }

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out_write.fd, STDOUT_FILENO);
  if (err_read) {
    posix_spawn_file_actions_adddup2(&actions, err_write.fd, STDERR_FILENO);
  } else {
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  }

  std::vector<char*> args;
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);

  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  if (own_group) {
    posix_spawnattr_setpgroup(&attributes, 0);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
  }
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, args[0], &actions, &attributes, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (rc != 0) {
    throw Error(ExitCode::kEnvironment, "cannot run " + argv[0] + ": " + std::strerror(rc));
  }
  return pid;
}

}  // namespace

ProcessResult RunProcess(const std::vector<std::string>& argv, const OutputChunk& on_stdout) {
  Fd out_read, err_read;
  const pid_t pid = Spawn(argv, out_read, &err_read);
  SetCurrentChild(pid);
  ProcessResult result;
  DrainPipes(out_read, err_read, result.stdout_text, result.stderr_text, on_stdout);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      SetCurrentChild(0);
      throw Error(ExitCode::kInternal, "waitpid: " + std::string(std::strerror(errno)));
    }
  }
  SetCurrentChild(0);
  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.term_signal = WTERMSIG(status);
  }
  return result;
}

ChildProcess::ChildProcess(const std::vector<std::string>& argv, bool own_group) : own_group_(own_group) {
  Fd out_read;
  pid_ = Spawn(argv, out_read, nullptr, own_group);
  stdout_fd_ = out_read.fd;
  out_read.fd = -1;  // kept open by this object
}

ChildProcess::~ChildProcess() {
  if (own_group_ && pid_ > 0) kill(-pid_, SIGKILL);  // whatever it forked, even once it is gone
  if (!reaped_ && pid_ > 0) {
    kill(pid_, SIGKILL);
    Wait();
  }
  if (stdout_fd_ >= 0) close(stdout_fd_);
}

std::optional<std::string> ChildProcess::ReadLine(double timeout_s) {
  const auto deadline_ms = static_cast<int>(timeout_s * 1000);
  while (true) {
    if (const auto newline = pending_.find('\n'); newline != std::string::npos) {
      std::string line = pending_.substr(0, newline);
      pending_.erase(0, newline + 1);
      return line;
    }
    pollfd p{stdout_fd_, POLLIN, 0};
    if (poll(&p, 1, deadline_ms) <= 0) return std::nullopt;
    char buffer[4096];
    const ssize_t n = read(stdout_fd_, buffer, sizeof buffer);
    if (n <= 0) return std::nullopt;
    pending_.append(buffer, static_cast<size_t>(n));
  }
}

void ChildProcess::Signal(int signal_number) const {
  if (!reaped_ && pid_ > 0) kill(pid_, signal_number);
}

int ChildProcess::Wait() {
  if (!reaped_) {
    while (waitpid(pid_, &status_, 0) < 0 && errno == EINTR) {
    }
    reaped_ = true;
  }
  return WIFEXITED(status_) ? WEXITSTATUS(status_) : 128 + WTERMSIG(status_);
}

}  // namespace shapeq
