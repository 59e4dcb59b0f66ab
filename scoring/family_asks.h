#pragma once
// What a shape family (a cloud VM, a catalog shape) would need to pass each target: its verdict,
// and each ask that re-scores to a pass: a lever alone, all of them together, and a larger drive
// asked for as more drives of today's size. The ask to put in front of the hyperscaler.
#include <optional>
#include <string>
#include <vector>

#include "scoring/scorer.h"

namespace shapeq {

struct FamilyAsk {
  std::vector<Lever> levers;  // applied together, they re-score to a pass
  bool together = false;      // several of the verdict's levers at once, not one alone
  bool as_more_drives = false;  // drive_capacity_tb asked for as drive_count of today's drives
};

struct FamilyVerdict {
  Verdict verdict;
  std::vector<FamilyAsk> asks;  // empty when it passes as it is, or nothing re-scored to a pass
};

std::vector<FamilyVerdict> AskFamily(const Shape& family, const std::vector<Target>& targets, const Model& model);

// A lever's field today, in the profile's unit (a shape figure, or the model's term); nullopt
// when the figure is unknown or the field is no input (protection_width).
std::optional<double> LeverFieldNow(const Shape& shape, const Model& model, const std::string& field);

}  // namespace shapeq
