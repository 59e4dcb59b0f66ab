#include "scoring/catalog_input.h"

#include <utility>

#include "common/error.h"

namespace shapeq {
namespace {

// NAME and FIELD of "NAME.FIELD" (the last dot: shape names hold none, fields hold none).
std::pair<std::string, std::string> SplitInput(const std::string& input) {
  const size_t dot = input.rfind('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == input.size()) {
    throw Error(ExitCode::kUsage, input + ": expected NAME.FIELD (a shape, a target, or model)");
  }
  return {input.substr(0, dot), input.substr(dot + 1)};
}

}  // namespace

std::optional<double> InputValue(const Catalog& catalog, const std::string& input) {
  const auto [name, field] = SplitInput(input);
  if (name == "model") {
    for (const auto& spec : ModelFields()) {
      if (field == spec.name) return spec.member ? std::optional(catalog.model.*spec.member) : catalog.model.cores_per_gbytes_per_s;
    }
    throw Error(ExitCode::kUsage, input + ": not a model field");
  }
  if (const Shape* shape = FindShape(catalog.shapes, name)) {
    for (const auto& spec : ShapeFields()) {
      if (field != spec.name) continue;
      const Figure& f = shape->*spec.member;
      return f.known() ? std::optional(*f.value / spec.to_si) : std::nullopt;
    }
    throw Error(ExitCode::kUsage, input + ": " + field + " is not a shape figure");
  }
  for (const auto& target : catalog.targets) {
    if (target.name != name) continue;
    if (field == "data_reduction_ratio") return target.data_reduction_ratio;
    for (const auto& spec : TargetFields()) {
      if (field != spec.name) continue;
      const auto& value = target.*spec.member;
      return value ? std::optional(*value / spec.to_si) : std::nullopt;
    }
    throw Error(ExitCode::kUsage, input + ": " + field + " is not a target field");
  }
  throw Error(ExitCode::kUsage, input + ": no shape or target named '" + name + "'");
}

void SetInput(Catalog& catalog, const std::string& input, double value) {
  const auto [name, field] = SplitInput(input);
  if (name == "model") return SetModelField(catalog.model, field, value);
  for (auto& shape : catalog.shapes) {
    if (shape.name == name) return SetShapeFigure(shape, field, value);
  }
  for (auto& target : catalog.targets) {
    if (target.name == name) return SetTargetField(target, field, value);
  }
  throw Error(ExitCode::kUsage, input + ": no shape or target named '" + name + "'");
}

double ParseNumberText(const std::string& text, const std::string& what) {
  size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size()) throw Error(ExitCode::kUsage, what + ": '" + text + "' is not a number");
  return value;
}

void ApplySetting(Catalog& catalog, const std::string& setting) {
  const size_t eq = setting.find('=');
  const size_t dot = setting.rfind('.', eq);
  if (eq == std::string::npos || dot == std::string::npos || dot == 0) {
    throw Error(ExitCode::kUsage, "--set " + setting + ": expected NAME.FIELD=VALUE");
  }
  SetInput(catalog, setting.substr(0, eq), ParseNumberText(setting.substr(eq + 1), "--set " + setting));
}

}  // namespace shapeq
