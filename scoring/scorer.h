#pragma once
// The scorer: one shape against one target under one model. Nodes for each requirement, the
// binding one named as the limiting factor, then racks, kW, cost and delivered figures; every
// limit checked with its margin, and for each failure what it would take to pass.
// The formulas are in docs/scoring.md; every figure used is in the Verdict beside the results.
#include <optional>
#include <string>

#include "model/served.h"
#include "scoring/cost.h"
#include "scoring/levers.h"
#include "scoring/profiles.h"
#include "scoring/verdict.h"

namespace shapeq {

// What limited a read or write figure: the cores when it is a served figure well under the
// drives' own (raw_*) by more than kServedNoiseFraction, else the drives.
Bound ServedBound(const Figure& figure, const Figure& drives_alone);

// The data path's CPU cost the scorer uses for `shape`: its own figure (measured on it), else the
// model's; nullopt: no cores bound.
std::optional<double> CoresPerGbytesPerS(const Shape& shape, const Model& model);

// Throws Error(kBadInput) when the scheme the shape or target names is not in the model.
// `protection_override` (may be empty) beats both.
Verdict Score(const Shape& shape, const Target& target, const Model& model, const std::string& protection_override = "");

// The verdict's figures and checks without what it would take (no levers, no break-even): what
// the sensitivity and uncertainty runs score thousands of times.
Verdict ScoreFigures(const Shape& shape, const Target& target, const Model& model, const std::string& protection_override = "");

}  // namespace shapeq
