#pragma once
// A results directory for a person: `shapeq show` (one run) and `shapeq compare` (two runs or
// two nodes, figure by figure). Reporters over finished values; they compute only the change.
#include <string>

#include "results/run_dir.h"

namespace shapeq {

std::string FormatRunSummary(const RunFiles& run);
// Every figure both runs have, with the change from `before` to `after` in percent.
std::string FormatRunComparison(const RunFiles& before, const RunFiles& after);

}  // namespace shapeq
