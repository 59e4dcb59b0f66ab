#include "common/interrupt.h"

#include <signal.h>

#include <atomic>

namespace shapeq {
namespace {

volatile sig_atomic_t g_interrupted = 0;
std::atomic<pid_t> g_child{0};  // lock-free, so the handler may read it

void OnSignal(int) {
  g_interrupted = 1;
  if (const pid_t child = g_child.load(); child > 0) kill(child, SIGTERM);
}

}  // namespace

void InstallInterruptHandlers() {
  struct sigaction action {};
  action.sa_handler = OnSignal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  // The terminal or the ssh connection closing: stop the same way, keeping what was measured.
  sigaction(SIGHUP, &action, nullptr);
  // With the terminal gone, printing fails with EPIPE instead of killing shapeq before it has
  // stopped fio and removed the scratch file.
  signal(SIGPIPE, SIG_IGN);
}

bool Interrupted() { return g_interrupted != 0; }

void SetCurrentChild(pid_t pid) { g_child.store(pid); }

}  // namespace shapeq
