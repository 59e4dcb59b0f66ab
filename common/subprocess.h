#pragma once
// Child processes with argv vectors (posix_spawnp), never a shell string.
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
ProcessResult RunProcess(const std::vector<std::string>& argv);

}  // namespace shapeq
