#include "common/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

#include "common/error.h"

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
void DrainPipes(Fd& out, Fd& err, std::string& out_text, std::string& err_text) {
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
      } else if (n == 0 || errno != EINTR) {
        pipe.reset();
      }
    }
  }
}

}  // namespace

ProcessResult RunProcess(const std::vector<std::string>& argv) {
  if (argv.empty()) throw Error(ExitCode::kInternal, "RunProcess: empty argv");
  int out_pipe[2];
  int err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0) throw Error(ExitCode::kEnvironment, "pipe: " + std::string(std::strerror(errno)));
  Fd out_read{out_pipe[0]}, out_write{out_pipe[1]};
  if (pipe2(err_pipe, O_CLOEXEC) != 0) throw Error(ExitCode::kEnvironment, "pipe: " + std::string(std::strerror(errno)));
  Fd err_read{err_pipe[0]}, err_write{err_pipe[1]};

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out_write.fd, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_write.fd, STDERR_FILENO);

  std::vector<char*> args;
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);

  pid_t pid = 0;
  int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    throw Error(ExitCode::kEnvironment, "cannot run " + argv[0] + ": " + std::strerror(rc));
  }
  out_write.reset();
  err_write.reset();

  ProcessResult result;
  DrainPipes(out_read, err_read, result.stdout_text, result.stderr_text);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw Error(ExitCode::kInternal, "waitpid: " + std::string(std::strerror(errno)));
  }
  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.term_signal = WTERMSIG(status);
  }
  return result;
}

}  // namespace shapeq
