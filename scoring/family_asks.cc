#include "scoring/family_asks.h"

#include <algorithm>
#include <cmath>

#include "common/error.h"
#include "scoring/catalog_input.h"
#include "scoring/field_bounds.h"

namespace shapeq {
namespace {

// A drive_capacity_tb ask as more drives of today's size instead, with the other asks as they
// are; kept only when that re-scores to a pass.
std::optional<std::vector<Lever>> AsMoreDrives(const Shape& family, const Target& target, const Model& model, std::vector<Lever> levers) {
  const auto it = std::find_if(levers.begin(), levers.end(), [](const Lever& l) { return l.field == "drive_capacity_tb"; });
  if (it == levers.end() || !family.drive_count.known() || !family.drive_capacity_bytes.known()) return std::nullopt;
  const double today_tb = *family.drive_capacity_bytes.value / 1e12;
  const double drives = std::ceil(*family.drive_count.value * it->value / today_tb);
  *it = {"drive_count", ">=", drives, it->why, false};
  // The drives added come with their power and their price: a bought node's drive price each, a
  // cloud VM's price per drive held (what the provider charges for its local storage today).
  const double added = drives - *family.drive_count.value;
  if (family.watts.known()) levers.push_back({"watts", ">=", *family.watts.value + added * kDriveActiveWatts, "more drives draw more", false});
  if (family.capex_usd.known() && family.drive_price_usd.known()) {
    levers.push_back({"capex_usd", ">=", *family.capex_usd.value + added * *family.drive_price_usd.value, "more drives cost more", false});
  }
  if (family.price_per_hour_usd.known()) {
    levers.push_back({"price_per_hour_usd", ">=", *family.price_per_hour_usd.value * drives / *family.drive_count.value, "more drives cost more", false});
  }
  Shape changed = family;
  Model m = model;
  for (const auto& lever : levers) {
    if (!ApplyLever(changed, m, lever)) return std::nullopt;
  }
  if (Score(changed, target, m).status != Status::kPass) return std::nullopt;
  return levers;
}

}  // namespace

std::vector<FamilyVerdict> AskFamily(const Shape& family, const std::vector<Target>& targets, const Model& model) {
  std::vector<FamilyVerdict> out;
  for (const auto& target : targets) {
    FamilyVerdict f{Score(family, target, model), {}};
    for (const auto& lever : f.verdict.levers) {
      if (!lever.alone) continue;
      f.asks.push_back({{lever}, false, false});
      if (auto more = AsMoreDrives(family, target, model, {lever})) f.asks.push_back({std::move(*more), false, true});
    }
    if (!f.verdict.levers_together.empty()) {
      f.asks.push_back({f.verdict.levers_together, true, false});
      if (auto more = AsMoreDrives(family, target, model, f.verdict.levers_together)) f.asks.push_back({std::move(*more), true, true});
    }
    out.push_back(std::move(f));
  }
  return out;
}

std::optional<double> LeverFieldNow(const Shape& shape, const Model& model, const std::string& field) {
  // The same NAME.FIELD lookup as --set and claims: the model's terms by "model.", the rest the shape's.
  const bool model_term = std::any_of(ModelFields().begin(), ModelFields().end(), [&](const ModelField& f) { return field == f.name; });
  const Catalog one{{shape}, {}, model};
  try {
    return InputValue(one, (model_term ? std::string("model") : shape.name) + "." + field);
  } catch (const Error&) {
    return std::nullopt;  // no input: protection_width
  }
}

}  // namespace shapeq
