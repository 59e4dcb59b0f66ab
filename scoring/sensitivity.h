#pragma once
// What decides a verdict: each ranged input (ranged_inputs.h) moved alone to its low and its
// high end, the rest at their values. Which inputs flip pass/fail and where, and how far each
// moves $/PB-month, racks and kW: the tornado (docs/scoring.md, "What decides a verdict").
#include <string>
#include <vector>

#include "scoring/ranged_inputs.h"
#include "scoring/score_matrix.h"

namespace shapeq {

// Every input that moves the verdict of `shape` x `target` (InputEffect), flipping ones first,
// then by swing. Each flip is bisected to the value where it happens (about 40 scores).
std::vector<InputEffect> InputEffects(const Shape& shape, const Target& target, const Model& model, const std::string& protection);

// Fills each verdict's `deciding` and `flips_within_ranges`, keeping at most `keep` inputs.
void MarkRangeEffects(std::vector<ScoredPair>& pairs, const Model& model, const std::string& protection, size_t keep = 8);

}  // namespace shapeq
