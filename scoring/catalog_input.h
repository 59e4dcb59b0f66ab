#pragma once
// An input of the catalog by name, NAME.FIELD in the profile's unit: a shape's figure, a
// target's field, or model.FIELD. The one path every --set (score, claims, design, qualify), a
// claim's solve_for and a sweep go through, so a name means the same thing everywhere.
#include <optional>
#include <string>

#include "scoring/catalog.h"

namespace shapeq {

// NAME.FIELD's value now (nullopt: an unknown figure). Error(kUsage) for an unknown name or field.
std::optional<double> InputValue(const Catalog& catalog, const std::string& input);

// Sets NAME.FIELD (a shape's figure is then marked supplied by the user). Error(kUsage) for an
// unknown name or field, or a value the field cannot hold.
void SetInput(Catalog& catalog, const std::string& input, double value);

// "NAME.FIELD=VALUE" as --set gives it. Error(kUsage) naming the setting for a bad form or number.
void ApplySetting(Catalog& catalog, const std::string& setting);

// All of `text` as a number; Error(kUsage) "WHAT: 'TEXT' is not a number" otherwise.
double ParseNumberText(const std::string& text, const std::string& what);

}  // namespace shapeq
