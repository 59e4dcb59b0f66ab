#include "scoring/score_matrix.h"

#include "scoring/sensitivity.h"

namespace shapeq {

const ScoredPair* CheapestPass(const std::vector<ScoredPair>& pairs, size_t begin, size_t end) {
  const ScoredPair* cheapest = nullptr;
  for (size_t i = begin; i < end; ++i) {
    const Verdict& v = pairs[i].verdict;
    if (v.status == Status::kPass && v.usd_per_pb_month && (!cheapest || *v.usd_per_pb_month < *cheapest->verdict.usd_per_pb_month)) {
      cheapest = &pairs[i];
    }
  }
  return cheapest;
}

std::vector<ScoredPair> ScoreAll(const std::vector<Shape>& shapes, const std::vector<Target>& targets, const Model& model,
                                 const std::string& protection) {
  std::vector<ScoredPair> pairs;
  pairs.reserve(shapes.size() * targets.size());
  for (const auto& target : targets) {
    const size_t first = pairs.size();
    for (const auto& shape : shapes) pairs.push_back({&shape, &target, Score(shape, target, model, protection)});
    // The cheapest passing shape of this target, and for each shape without a price the price
    // that would match it.
    const ScoredPair* cheapest = CheapestPass(pairs, first, pairs.size());
    if (!cheapest) continue;
    for (size_t i = first; i < pairs.size(); ++i) {
      Verdict& v = pairs[i].verdict;
      if (!v.break_even) continue;
      v.break_even->to_match = PriceFor(v, *cheapest->verdict.usd_per_pb_month, *pairs[i].shape, target, model);
      v.break_even->cheapest_shape = cheapest->shape->name;
      v.break_even->cheapest_usd_per_pb_month = cheapest->verdict.usd_per_pb_month;
    }
  }
  MarkRangeEffects(pairs, model, protection);
  return pairs;
}

}  // namespace shapeq
