#pragma once
// Ctrl-C, SIGTERM and SIGHUP for long runs: the first sets a flag every stage checks between its steps,
// and passes the signal on to the child running at that moment (fio stops at once and still
// writes what it measured). Stages return what they have; the caller marks the run incomplete.
#include <sys/types.h>

namespace shapeq {

void InstallInterruptHandlers();
bool Interrupted();
// RunProcess registers the child it waits for, so the handler can pass the signal on.
void SetCurrentChild(pid_t pid);

}  // namespace shapeq
