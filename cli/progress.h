#pragma once
// What a person watching `shapeq qualify` sees. On a terminal: each step's line, and under it
// one status line redrawn in place: the stage, the kernel running, its live rate, the time
// spent and the time left. Anywhere else (CI logs, pipes, files): plain lines, one per step,
// and nothing redrawn, so a log reads top to bottom.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace shapeq::cli {

class Progress {
 public:
  explicit Progress(bool terminal);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  static bool StdoutIsTerminal();
  bool terminal() const { return terminal_; }

  // A line that stays (a stage started or ended, a kernel finished).
  void Line(const std::string& text);
  // A stage is running: the status line shows `label`, the time spent, and the time left
  // (from `planned_s` until Live says better; 0: unknown).
  void StageStarted(const std::string& label, double planned_s);
  void StageEnded();
  // What is running right now and how fast; terminal only (a log gets the finished figures).
  void Live(const std::string& text, std::optional<double> seconds_left);

 private:
  using Clock = std::chrono::steady_clock;
  void DrawLocked();
  void ClearLocked();

  const bool terminal_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::thread ticker_;  // redraws the status line while a stage runs (terminal only)
  bool stopping_ = false;
  bool stage_running_ = false;
  bool drawn_ = false;
  std::string label_, live_;
  double planned_s_ = 0;
  std::optional<double> seconds_left_;
  Clock::time_point stage_start_, live_at_;
};

}  // namespace shapeq::cli
