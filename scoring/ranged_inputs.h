#pragma once
// The inputs a verdict turns on that have a range: a shape's figures and the model's terms, each
// with its value, low and high in the profile's unit, and the one way to set it (with what is
// tied to it). What the sensitivity and uncertainty runs move.
#include <string>
#include <vector>

#include "scoring/profiles.h"

namespace shapeq {

struct RangedInput {
  std::string name;  // SHAPE.FIELD or model.FIELD, as --set names it
  std::string field;
  bool model_term = false;
  double value = 0;  // profile unit
  double low = 0;
  double high = 0;
  std::string why;
  Figure Shape::*figure = nullptr;  // the shape's, or
  double Model::*term = nullptr;    // the model's
  double to_si = 1;
};

// The shape's ranged figures (those a range spans: low < high), then the model's, in field
// order. A cloud VM's watts and rack_units are left out where its host figures give them: the
// host's figures move them.
std::vector<RangedInput> RangedInputs(const Shape& shape, const Model& model);
// The model's alone (shared by every shape: a run draws them once).
std::vector<RangedInput> RangedModelTerms(const Model& model);

// Sets `input` to `profile_value` on the copies given, with what follows from it (a drive's
// price moves capex; a host figure re-derives watts), keeping the figure's basis and source.
void SetRanged(Shape& shape, Model& model, const RangedInput& input, double profile_value);

}  // namespace shapeq
