#include "results/answer_first.h"

#include <algorithm>

#include "results/verdict_tables.h"

namespace shapeq::report {
namespace {

bool Measured(const Shape& shape) {
  return std::any_of(ShapeFields().begin(), ShapeFields().end(), [&](const ShapeField& f) { return (shape.*f.member).basis == Basis::kMeasured; });
}

std::vector<Cell> Row(const std::string& target, const std::string& role, const Verdict& v) {
  const std::string probability = v.pass_probability ? ProbabilityText(*v.pass_probability) : "-";
  return {Text(target), Text(v.shape), Text(role), Text(ShownStatus(v), StatusClass(v)), Text(probability), CostCell(v),
          Text(NeedName(v.limiting)), Text(v.deciding.empty() ? "" : v.deciding.front().input)};
}

}  // namespace

std::vector<std::string> ClaimedShapes(const std::vector<ClaimResult>& claims) {
  std::vector<std::string> shapes;
  for (const auto& claim : claims) shapes.insert(shapes.end(), claim.shapes.begin(), claim.shapes.end());
  return shapes;
}

std::vector<std::string> SeedShapes(const std::vector<ScoredPair>& pairs, const std::vector<std::string>& claimed) {
  std::vector<std::string> seeds;
  auto add = [&seeds](const std::string& name) {
    if (std::find(seeds.begin(), seeds.end(), name) == seeds.end()) seeds.push_back(name);
  };
  for (const auto& p : pairs) {
    if (Measured(*p.shape)) add(p.shape->name);
  }
  for (const auto& shape : claimed) add(shape);
  return seeds;
}

Table AnswerFirstTable(const std::vector<ScoredPair>& pairs, const std::vector<std::string>& seeds) {
  Table t{"Per target: the cheapest passing shape, then each seed shape",
          {"target", "shape", "", "verdict", "P(pass)", "$/PB-month", "limited by", "decided most by"}, {}};
  for (size_t begin = 0, end = 0; begin < pairs.size(); begin = end) {
    const Target* target = pairs[begin].target;
    while (end < pairs.size() && pairs[end].target == target) ++end;
    const ScoredPair* cheapest = CheapestPass(pairs, begin, end);
    if (cheapest) {
      t.rows.push_back(Row(target->name, "cheapest pass", cheapest->verdict));
    } else {
      t.rows.push_back({Text(target->name), Text("(none)"), Text("cheapest pass"), Text("fail", "fail"), Text(""), Text(""), Text(""), Text("")});
    }
    t.notes.push_back({});
    for (const auto& seed : seeds) {
      for (size_t i = begin; i < end; ++i) {
        if (pairs[i].shape->name != seed || &pairs[i] == cheapest) continue;
        t.rows.push_back(Row(target->name, Measured(*pairs[i].shape) ? "this node" : "seed", pairs[i].verdict));
        t.notes.push_back({});
      }
    }
  }
  return t;
}

}  // namespace shapeq::report
