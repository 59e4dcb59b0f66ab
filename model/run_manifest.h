#pragma once
// A results directory's manifest.json as plain data: how the run went, stage by stage. Written by
// results/run_record as the run goes; read once here (after run_dir checks its JSON's shape), so
// reports and samples take these fields and look no key up themselves.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace shapeq {

struct StageRecord {
  std::string name;     // probe, storage, network, datapath, score, report, push
  std::string status;   // ok, failed, skipped, stopped
  std::string summary;  // "5 of 6 kernels ok"
  std::string reason;   // why it failed or was skipped
  std::optional<double> seconds;
};

struct RunManifest {
  bool complete = false;
  bool interrupted = false;
  std::string mode;          // quick, default, plan
  std::string plan;
  std::string started_utc, finished_utc;
  std::string rated_shape;   // the catalog shape the node was taken for; empty: none
  std::string results_digest;
  std::optional<std::vector<std::string>> files;  // every file the run wrote; absent in a run before shapeq listed them
  std::vector<StageRecord> stages;
  // The stage named `name`; nullptr when the run has none.
  const StageRecord* Stage(const std::string& name) const;
};

// Forgiving: a field missing or of another type reads as empty (run_dir checks the shape first).
void from_json(const nlohmann::json& j, RunManifest& manifest);
void to_json(nlohmann::json& j, const RunManifest& manifest);

}  // namespace shapeq
