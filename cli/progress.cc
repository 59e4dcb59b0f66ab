#include "cli/progress.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <iostream>

namespace shapeq::cli {
namespace {

std::string Duration(double seconds) {
  const long s = std::lround(std::max(0.0, seconds));
  char text[32];
  if (s >= 3600) {
    std::snprintf(text, sizeof text, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
  } else {
    std::snprintf(text, sizeof text, "%ld:%02ld", s / 60, s % 60);
  }
  return text;
}

size_t TerminalWidth() {
  winsize size{};
  return ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 20 ? size.ws_col : 100;
}

}  // namespace

Progress::Progress(bool terminal) : terminal_(terminal) {
  if (!terminal_) return;
  ticker_ = std::thread([this] {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      if (stage_running_) DrawLocked();
      wake_.wait_for(lock, std::chrono::milliseconds(250));
    }
  });
}

Progress::~Progress() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    ClearLocked();
  }
  wake_.notify_all();
  if (ticker_.joinable()) ticker_.join();
}

bool Progress::StdoutIsTerminal() { return isatty(STDOUT_FILENO) == 1; }

void Progress::Line(const std::string& text) {
  std::lock_guard lock(mutex_);
  ClearLocked();
  std::cout << text << std::endl;
  if (stage_running_) DrawLocked();
}

void Progress::StageStarted(const std::string& label, double planned_s) {
  std::lock_guard lock(mutex_);
  stage_running_ = true;
  label_ = label;
  live_.clear();
  planned_s_ = planned_s;
  seconds_left_.reset();
  stage_start_ = Clock::now();
}

void Progress::StageEnded() {
  std::lock_guard lock(mutex_);
  stage_running_ = false;
  ClearLocked();
}

void Progress::Live(const std::string& text, std::optional<double> seconds_left) {
  if (!terminal_) return;
  std::lock_guard lock(mutex_);
  live_ = text;
  seconds_left_ = seconds_left;
  live_at_ = Clock::now();
  DrawLocked();
}

void Progress::DrawLocked() {
  if (!terminal_) return;
  const auto now = Clock::now();
  const double spent = std::chrono::duration<double>(now - stage_start_).count();
  std::optional<double> left;
  if (seconds_left_) {
    left = *seconds_left_ - std::chrono::duration<double>(now - live_at_).count();
  } else if (planned_s_ > 0) {
    left = planned_s_ - spent;
  }
  // The time first: a narrow terminal cuts the end of the line.
  std::string line = "  " + label_ + "  [" + Duration(spent) + (left ? ", ETA " + Duration(std::max(0.0, *left)) : "") + "]" +
                     (live_.empty() ? "" : "  " + live_);
  const size_t width = TerminalWidth() - 1;
  if (line.size() > width) line = line.substr(0, width);
  std::cout << "\r\033[K" << line << std::flush;
  drawn_ = true;
}

void Progress::ClearLocked() {
  if (!drawn_) return;
  std::cout << "\r\033[K" << std::flush;
  drawn_ = false;
}

}  // namespace shapeq::cli
