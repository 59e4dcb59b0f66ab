#include "scoring/sensitivity.h"

#include <algorithm>
#include <cmath>

#include "scoring/levers.h"

namespace shapeq {
namespace {

// |high - low| / |now| of one figure; 0 when any is unknown or today's is 0.
double Spread(const std::optional<double>& now, const std::optional<double>& low, const std::optional<double>& high) {
  if (!now || !low || !high || *now == 0) return 0;
  return std::abs(*high - *low) / std::abs(*now);
}

bool Decided(Status status) { return status == Status::kPass || status == Status::kFail; }

// The value between `from` (status as today) and `to` (status turned) where it turns: bisection
// on the input, rounded at three figures toward `to` so that what is printed does turn it.
double FlipPoint(const Shape& shape, const Target& target, const Model& model, const std::string& protection,
                 const RangedInput& input, double from, double to, Status today) {
  Shape s = shape;
  Model m = model;
  for (int i = 0; i < 40; ++i) {
    const double mid = (from + to) / 2;
    SetRanged(s, m, input, mid);
    (ScoreFigures(s, target, m, protection).status == today ? from : to) = mid;
  }
  return RoundToThreeFigures(to, to > from);
}

}  // namespace

std::vector<InputEffect> InputEffects(const Shape& shape, const Target& target, const Model& model, const std::string& protection) {
  const Verdict now = ScoreFigures(shape, target, model, protection);
  std::vector<InputEffect> effects;
  for (const RangedInput& input : RangedInputs(shape, model)) {
    InputEffect e;
    e.input = input.name;
    e.value = input.value;
    e.low = input.low;
    e.high = input.high;
    e.why = input.why;
    for (const bool low : {true, false}) {
      Shape s = shape;
      Model m = model;
      SetRanged(s, m, input, low ? input.low : input.high);
      const Verdict end = ScoreFigures(s, target, m, protection);
      (low ? e.at_low : e.at_high) = end.status;
      (low ? e.usd_per_pb_month_low : e.usd_per_pb_month_high) = end.usd_per_pb_month;
      (low ? e.racks_low : e.racks_high) = end.racks;
      (low ? e.kw_low : e.kw_high) = end.kw;
      (low ? e.nodes_low : e.nodes_high) = end.nodes;
    }
    e.swing = std::max({Spread(now.usd_per_pb_month, e.usd_per_pb_month_low, e.usd_per_pb_month_high),
                        Spread(now.racks, e.racks_low, e.racks_high), Spread(now.kw, e.kw_low, e.kw_high),
                        Spread(now.nodes, e.nodes_low, e.nodes_high)});
    if (Decided(now.status)) {
      if (Decided(e.at_low) && e.at_low != now.status) e.flips_below = FlipPoint(shape, target, model, protection, input, input.value, input.low, now.status);
      if (Decided(e.at_high) && e.at_high != now.status) e.flips_above = FlipPoint(shape, target, model, protection, input, input.value, input.high, now.status);
    }
    if (e.swing > 1e-12 || e.flips()) effects.push_back(std::move(e));
  }
  std::stable_sort(effects.begin(), effects.end(), [](const InputEffect& a, const InputEffect& b) {
    if (a.flips() != b.flips()) return a.flips();
    return a.swing > b.swing;
  });
  return effects;
}

void MarkRangeEffects(std::vector<ScoredPair>& pairs, const Model& model, const std::string& protection, size_t keep) {
  for (auto& pair : pairs) {
    std::vector<InputEffect> effects = InputEffects(*pair.shape, *pair.target, model, protection);
    pair.verdict.flips_within_ranges = std::any_of(effects.begin(), effects.end(), [](const InputEffect& e) { return e.flips(); });
    if (effects.size() > keep) effects.resize(keep);
    pair.verdict.deciding = std::move(effects);
  }
}

}  // namespace shapeq
