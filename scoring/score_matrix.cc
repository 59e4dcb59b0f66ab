#include "scoring/score_matrix.h"

namespace shapeq {

std::vector<ScoredPair> ScoreAll(const std::vector<Shape>& shapes, const std::vector<Target>& targets, const Model& model,
                                 const std::string& protection) {
  std::vector<ScoredPair> pairs;
  pairs.reserve(shapes.size() * targets.size());
  for (const auto& target : targets) {
    for (const auto& shape : shapes) pairs.push_back({&shape, &target, Score(shape, target, model, protection)});
  }
  return pairs;
}

}  // namespace shapeq
