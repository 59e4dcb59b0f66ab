#pragma once
// One input figure of a profile: its value, where it comes from (basis and source), and for an
// estimate or a price the range it may lie in. Shapes hold them per field; the model per term.
#include <optional>
#include <string>

namespace shapeq {

// Where a figure comes from. A verdict shows it beside every number it used.
enum class Basis { kRated, kMeasured, kEstimated, kDerived, kUnknown };
const char* BasisName(Basis basis);

// How far an estimate or a price may be from its value, and why: the span the sensitivity and
// uncertainty runs move it across (docs/scoring.md, "Ranges").
struct Range {
  double low = 0;  // SI, like the value it brackets
  double high = 0;
  std::string why;
};

struct Figure {
  std::optional<double> value;  // SI; empty when unknown
  Basis basis = Basis::kUnknown;
  std::string source;  // a key of the profile's sources
  std::string note;
  std::optional<Range> range = std::nullopt;  // required of an estimate and of any price in a shipped profile
  bool known() const { return value.has_value(); }
};

}  // namespace shapeq
