#pragma once
// verdicts.json (schema shapeq.verdicts): a score matrix with the inputs it came from (the model,
// each shape's figures with their basis, each target's requirements), written by `score --json`
// and qualify, read back typed by the report, the metrics and serve. No reader picks at it by
// key names: it is read here once, into the same types the scorer made.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "scoring/claims.h"
#include "scoring/score_matrix.h"

namespace shapeq {

struct ScoreDocument {
  Model model;
  std::vector<Shape> shapes;    // in the order they were scored
  std::vector<Target> targets;
  std::vector<Verdict> verdicts;
  std::vector<ClaimResult> claims;  // evaluated at the same catalog (qualify); empty for score --json
  // How the probabilities of pass were drawn (uncertainty.h), to draw them again the same way.
  struct SampledWith {
    size_t samples = 0;
    uint64_t seed = 0;
  };
  std::optional<SampledWith> sampled;

  // Each verdict with the shape and target it judged (pointers into this document).
  std::vector<ScoredPair> Pairs() const;
  const Shape* FindShape(const std::string& name) const;
};

nlohmann::json WriteScoreDocument(const std::vector<ScoredPair>& pairs, const Model& model, const std::vector<ClaimResult>& claims = {});

// Checks the document's shape and reads it; throws BadInput(file, "field ...: ...") otherwise.
ScoreDocument ReadScoreDocument(const nlohmann::json& json, const std::string& file);

}  // namespace shapeq
