#pragma once
// The cost model (docs/scoring.md, "Cost"): what a deployment of a shape costs a month, by part,
// and the inverse: the price at which it costs a given $/PB-month.
#include <optional>

#include "common/units.h"
#include "scoring/profiles.h"
#include "scoring/verdict.h"

namespace shapeq {


// `value` x `factor`, or nothing when the value is unknown.
inline std::optional<double> ScaledIfKnown(std::optional<double> value, double factor) {
  return value ? std::optional(*value * factor) : std::nullopt;
}

// A storage node's power and rack units with its share of front-end nodes (a disaggregated
// design's controllers); nullopt when the node's own is unknown.
std::optional<double> NodeWatts(const Shape& shape);
std::optional<double> NodeUnits(const Shape& shape);

// The deployment's monthly cost by part at `v`'s node and rack counts.
CostParts CostOf(const Shape& shape, const Model& model, const Verdict& v);

// The price (BreakEven::field's) at which `v`'s deployment costs `usd_per_pb_month`, at its node
// count (the cost formula inverted); nullopt when power alone costs more.
std::optional<double> PriceFor(const Verdict& v, double usd_per_pb_month, const Shape& shape, const Target& target, const Model& model);

}  // namespace shapeq
