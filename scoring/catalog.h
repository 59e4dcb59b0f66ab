#pragma once
// The catalogs on disk: profiles/shapes/*.json, profiles/targets/*.json, profiles/models/*.json.
#include <string>
#include <vector>

#include "scoring/profiles.h"

namespace shapeq {

struct Catalog {
  std::vector<Shape> shapes;    // sorted by name
  std::vector<Target> targets;  // sorted by name
  Model model;
};

// Loads every profile under `profiles_dir` and the model `model_name` (models/<name>.json).
// Throws Error(kBadInput) naming the file and field of the first bad profile.
Catalog LoadCatalog(const std::string& profiles_dir, const std::string& model_name = "default");

// The shape named `name` in `shapes`, or null.
const Shape* FindShape(const std::vector<Shape>& shapes, const std::string& name);
// The target named `name` in `targets`, or null.
const Target* FindTarget(const std::vector<Target>& targets, const std::string& name);

// Every *.json in `dir`, sorted; BadInput when `dir` is missing or holds none.
std::vector<std::string> ProfileFiles(const std::string& dir);

// Refuses what cannot be scored: a protection scheme the model lacks, or a target needing a
// figure (read, write, IOPS) that no shape given knows.
void CheckCatalog(const std::vector<Shape>& shapes, const std::vector<Target>& targets, const Model& model);

}  // namespace shapeq
