#pragma once
// `shapeq design`'s text: the Pareto front of designs as a table, and a family's asks.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "scoring/design.h"
#include "scoring/family_asks.h"

namespace shapeq {

// The front as a table, one row per design (`front` indexes `designs`, cheapest first), with the
// head line that counts what was composed from `parts`; `names` are the targets, joined.
std::string FormatDesignFront(const PartsCatalog& parts, const std::vector<Design>& designs, const std::vector<size_t>& front,
                              const std::string& names);

// A design as `shapeq design --json` lists it: parts, shape profile, verdicts and totals.
nlohmann::json DesignJson(const Design& d);

// "What FAMILY would need": per target, its status and each ask with today's value beside it.
std::string FormatFamilyAsks(const Shape& family, const Model& model, const std::vector<FamilyVerdict>& verdicts);

}  // namespace shapeq
