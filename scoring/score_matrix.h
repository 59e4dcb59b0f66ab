#pragma once
// The score matrix: every shape against every target under one model, the one loop that
// `shapeq score`, its sweeps and `shapeq qualify` share.
#include <string>
#include <vector>

#include "scoring/scorer.h"

namespace shapeq {

// One scored pair with the inputs it came from (pointers into the caller's catalog).
struct ScoredPair {
  const Shape* shape;
  const Target* target;
  Verdict verdict;
};

// Target by target, each against every shape, in the order given. `protection` (optional)
// overrides every shape's scheme.
std::vector<ScoredPair> ScoreAll(const std::vector<Shape>& shapes, const std::vector<Target>& targets, const Model& model,
                                 const std::string& protection = "");

// The passing pair with the lowest $/PB-month among pairs[begin, end) (one target's); null when
// none passes with a known cost.
const ScoredPair* CheapestPass(const std::vector<ScoredPair>& pairs, size_t begin, size_t end);

}  // namespace shapeq
