#include "results/run_record.h"

#include <sys/utsname.h>

#include <chrono>
#include <ctime>

#include "common/error.h"
#include "common/interrupt.h"
#include "shapeq/version.h"

namespace shapeq {
namespace {

using Clock = std::chrono::steady_clock;

nlohmann::json NewManifest(const nlohmann::json& header) {
  utsname host{};
  uname(&host);
  nlohmann::json manifest = {{"schema", "shapeq.manifest"}, {"schema_version", 1}, {"shapeq_version", kVersion},
                             {"kernel", host.release}, {"started_utc", UtcNow()}, {"complete", false},
                             {"interrupted", false}, {"stages", nlohmann::json::array()}};
  manifest.update(header);
  return manifest;
}

}  // namespace

std::string UtcNow(bool compact) {
  const std::time_t now = std::time(nullptr);
  char text[32];
  std::strftime(text, sizeof text, compact ? "%Y%m%dT%H%M%SZ" : "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  return text;
}

RunRecord::RunRecord(const std::filesystem::path& dir, bool force, int stages, const nlohmann::json& header, StageObserver observer)
    : files_(dir, force, NewManifest(header)), stages_(stages), observer_(std::move(observer)) {}

void RunRecord::Stage(const std::string& name, const std::function<std::string()>& body, double planned_s, bool after_interrupt) {
  ++index_;
  nlohmann::json stage = {{"name", name}};
  const bool interrupted_before = Interrupted();
  const std::string step = "[" + std::to_string(index_) + "/" + std::to_string(stages_) + "] " + name;
  if (interrupted_before && !after_interrupt) {
    stage["status"] = "skipped";
    stage["reason"] = "interrupted";
  } else {
    observer_.line(step + " ...");
    observer_.started(step, planned_s);
    const auto start = Clock::now();
    try {
      const std::string summary = body();
      stage["status"] = Interrupted() && !interrupted_before ? "interrupted" : "ok";
      stage["summary"] = summary;
    } catch (const std::exception& e) {
      stage["status"] = Interrupted() && !interrupted_before ? "interrupted" : "failed";
      stage["reason"] = e.what();
    }
    observer_.ended();
    stage["seconds"] = std::chrono::duration<double>(Clock::now() - start).count();
    observer_.line(step + ": " + stage["status"].get<std::string>() +
                   (stage.contains("summary") ? " — " + stage["summary"].get<std::string>() : "") +
                   (stage.contains("reason") ? " — " + stage["reason"].get<std::string>() : ""));
  }
  manifest()["stages"].push_back(stage);
  Save();
}

void RunRecord::Skip(const std::string& name, const std::string& reason) {
  ++index_;
  observer_.line("[" + std::to_string(index_) + "/" + std::to_string(stages_) + "] " + name + ": skipped — " + reason);
  manifest()["stages"].push_back({{"name", name}, {"status", "skipped"}, {"reason", reason}});
  Save();
}

void RunRecord::Conclude() {
  manifest()["finished_utc"] = UtcNow();
  manifest()["interrupted"] = Interrupted();
  manifest()["complete"] = !Interrupted();
  Save();
}

int RunRecord::Finish() {
  Conclude();
  bool failed = false;
  for (const auto& s : manifest()["stages"]) failed = failed || s["status"] == "failed";
  observer_.line("shapeq: results in " + dir().string() + (Interrupted() ? " (incomplete: interrupted)" : ""));
  if (Interrupted()) return static_cast<int>(ExitCode::kInterrupted);
  return static_cast<int>(failed ? ExitCode::kRunFailed : ExitCode::kOk);
}

}  // namespace shapeq
