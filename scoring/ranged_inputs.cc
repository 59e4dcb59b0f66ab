#include "scoring/ranged_inputs.h"

namespace shapeq {

std::vector<RangedInput> RangedModelTerms(const Model& model) {
  std::vector<RangedInput> inputs;
  for (const auto& spec : ModelFields()) {
    const auto it = model.sourced.find(spec.name);
    if (!spec.member || it == model.sourced.end() || !it->second.range) continue;
    const Range& r = *it->second.range;
    if (r.low >= r.high) continue;
    inputs.push_back({std::string("model.") + spec.name, spec.name, true, model.*spec.member, r.low, r.high, r.why, nullptr, spec.member, 1});
  }
  return inputs;
}

std::vector<RangedInput> RangedInputs(const Shape& shape, const Model& model) {
  std::vector<RangedInput> inputs;
  const bool from_host = shape.host_share.known() && shape.host_watts.known() && shape.host_rack_units.known();
  for (const auto& spec : ShapeFields()) {
    const Figure& f = shape.*spec.member;
    if (!f.known() || !f.range || f.range->low >= f.range->high) continue;
    if (from_host && (spec.member == &Shape::watts || spec.member == &Shape::rack_units)) continue;
    inputs.push_back({shape.name + "." + spec.name, spec.name, false, *f.value / spec.to_si, f.range->low / spec.to_si,
                      f.range->high / spec.to_si, f.range->why, spec.member, nullptr, spec.to_si});
  }
  for (auto& term : RangedModelTerms(model)) inputs.push_back(std::move(term));
  return inputs;
}

void SetRanged(Shape& shape, Model& model, const RangedInput& input, double profile_value) {
  if (input.term) {
    model.*input.term = profile_value;
  } else {
    SetCoupledFigure(shape, input.figure, profile_value * input.to_si);
  }
}

}  // namespace shapeq
