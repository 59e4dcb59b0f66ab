#include "model/run_manifest.h"

namespace shapeq {
namespace {

using nlohmann::json;

std::string TextAt(const json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

bool FlagAt(const json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_boolean() && it->get<bool>();
}

}  // namespace

const StageRecord* RunManifest::Stage(const std::string& name) const {
  for (const auto& stage : stages) {
    if (stage.name == name) return &stage;
  }
  return nullptr;
}

void from_json(const json& j, RunManifest& m) {
  m = RunManifest{};
  if (!j.is_object()) return;
  m.complete = FlagAt(j, "complete");
  m.interrupted = FlagAt(j, "interrupted");
  m.mode = TextAt(j, "mode");
  m.plan = TextAt(j, "plan");
  m.started_utc = TextAt(j, "started_utc");
  m.finished_utc = TextAt(j, "finished_utc");
  m.rated_shape = TextAt(j, "rated_shape");
  m.results_digest = TextAt(j, "results_digest");
  if (const auto files = j.find("files"); files != j.end() && files->is_array()) {
    m.files.emplace();
    for (const auto& file : *files) {
      if (file.is_string()) m.files->push_back(file.get<std::string>());
    }
  }
  if (const auto stages = j.find("stages"); stages != j.end() && stages->is_array()) {
    for (const auto& s : *stages) {
      if (!s.is_object()) continue;
      StageRecord stage{TextAt(s, "name"), TextAt(s, "status"), TextAt(s, "summary"), TextAt(s, "reason"), std::nullopt};
      if (const auto seconds = s.find("seconds"); seconds != s.end() && seconds->is_number()) stage.seconds = seconds->get<double>();
      m.stages.push_back(stage);
    }
  }
}

void to_json(json& j, const RunManifest& m) {
  j = {{"schema", "shapeq.manifest"}, {"complete", m.complete}, {"interrupted", m.interrupted}};
  for (const auto& [key, value] : {std::pair{"mode", &m.mode}, {"plan", &m.plan}, {"started_utc", &m.started_utc}, {"finished_utc", &m.finished_utc},
                                   {"rated_shape", &m.rated_shape}, {"results_digest", &m.results_digest}}) {
    if (!value->empty()) j[key] = *value;
  }
  if (m.files) j["files"] = *m.files;
  j["stages"] = json::array();
  for (const auto& s : m.stages) {
    json stage = {{"name", s.name}, {"status", s.status}};
    if (!s.summary.empty()) stage["summary"] = s.summary;
    if (!s.reason.empty()) stage["reason"] = s.reason;
    if (s.seconds) stage["seconds"] = *s.seconds;
    j["stages"].push_back(stage);
  }
}

}  // namespace shapeq
