#pragma once
// A qualify run's record: its results directory and manifest, rewritten after every stage (a
// crash leaves the last state, never half a file), each stage's status, summary or reason and
// seconds, and the exit code the whole run ends with. Progress is shown by the caller, through
// the StageObserver it gives.
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "results/run_dir.h"

namespace shapeq {

// ISO 8601 UTC; `compact` drops the separators (for directory names).
std::string UtcNow(bool compact = false);

// What a run tells whoever shows its progress.
struct StageObserver {
  std::function<void(const std::string& line)> line;                     // a line of its own
  std::function<void(const std::string& step, double planned_s)> started;  // "[2/6] storage", for the ETA
  std::function<void()> ended;
};

class RunRecord {
 public:
  // `stages`: how many Stage and Skip calls the run makes (for "[2/6]"); `header`: what the
  // manifest starts with beyond shapeq's own fields (the command line, what it was built with).
  RunRecord(const std::filesystem::path& dir, bool force, int stages, const nlohmann::json& header, StageObserver observer);

  const std::filesystem::path& dir() const { return files_.dir(); }
  nlohmann::json& manifest() { return files_.manifest(); }
  RunDirWriter& files() { return files_; }

  // Runs one stage: says where it is, records how it ended. `body` returns a one-line summary;
  // what it throws is the stage's failure, and the run goes on. `planned_s`: how long it should
  // take (0: unknown). `after_interrupt`: run even after Ctrl-C (a partial run's report).
  void Stage(const std::string& name, const std::function<std::string()>& body, double planned_s = 0, bool after_interrupt = false);
  // A stage the plan leaves out: recorded, so the report says it was not run and why.
  void Skip(const std::string& name, const std::string& reason);
  // Every file of this run is listed in the manifest: readers take only those, so nothing left
  // in the directory by another run is ever shown as this one's.
  void Write(const char* file, const std::string& text) { files_.Write(file, text); }
  // Marks the measurements done, so the report rendered next describes a finished run.
  void Conclude();
  // Exit code: 130 interrupted, 5 a stage failed, 0 all well.
  int Finish();

 private:
  void Save() const { files_.SaveManifest(); }
  RunDirWriter files_;
  int stages_;
  int index_ = 0;
  StageObserver observer_;
};

}  // namespace shapeq
