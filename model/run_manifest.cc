#include "model/run_manifest.h"

#include "model/json_fields.h"

namespace shapeq {

using nlohmann::json;
using namespace json_fields;

const StageRecord* RunManifest::Stage(const std::string& name) const {
  for (const auto& stage : stages) {
    if (stage.name == name) return &stage;
  }
  return nullptr;
}

void from_json(const json& j, RunManifest& m) {
  m = RunManifest{};
  if (!j.is_object()) return;
  m.complete = FlagAt(j, "complete").value_or(false);
  m.interrupted = FlagAt(j, "interrupted").value_or(false);
  m.mode = TextAt(j, "mode");
  m.plan = TextAt(j, "plan");
  m.started_utc = TextAt(j, "started_utc");
  m.finished_utc = TextAt(j, "finished_utc");
  m.rated_shape = TextAt(j, "rated_shape");
  m.results_digest = TextAt(j, "results_digest");
  // "files" absent (a run before shapeq listed them) is not "files" empty: a list of none.
  if (const json* files = Field(j, "files"); files && files->is_array()) {
    m.files.emplace();
    for (const auto& file : *files) {
      if (file.is_string()) m.files->push_back(file.get<std::string>());
    }
  }
  for (const auto& s : ArrayAt(j, "stages")) {
    if (!s.is_object()) continue;
    m.stages.push_back({TextAt(s, "name"), TextAt(s, "status"), TextAt(s, "summary"), TextAt(s, "reason"), NumberAt(s, "seconds")});
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
