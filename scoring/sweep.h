#pragma once
// A sweep: one target scored against every shape with one input stepped (a target field, or
// model.FIELD), each step on its own copy.
#include <string>
#include <vector>

#include "scoring/score_matrix.h"

namespace shapeq {

struct Sweep {
  std::string field;           // a target field, or model.FIELD
  std::vector<double> values;  // in the field's profile unit
};

// FIELD=START:STOP[:STEPS]: STEPS values from START to STOP inclusive (10 by default).
// Error(kUsage) naming --sweep for a bad form or range.
Sweep ParseSweep(const std::string& text);

struct SweepStep {
  double value = 0;
  Target target;  // the target at this step
  Model model;    // the model at this step
  std::vector<ScoredPair> pairs;  // point at `target` and the caller's shapes
};

// Every step scored. The steps' pairs point into the steps themselves: move the vector, never
// copy it. Error(kUsage) for a field or value the target or model cannot take.
std::vector<SweepStep> RunSweep(const Sweep& sweep, const std::vector<Shape>& shapes, const Target& target, const Model& model,
                                const std::string& protection = "");

}  // namespace shapeq
