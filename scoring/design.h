#pragma once
// `shapeq design`: from customer targets to the node to build. A parts catalog (profiles/parts/:
// drives, NICs, CPUs, chassis, each with its source or marked an estimate) is composed into every
// node design the chassis allow (bays of the drive's form factor, the power budget), each design
// is an ordinary Shape scored against every target with the same scorer and model, and the
// designs that pass them all are reduced to their Pareto front on $/month, racks and kW.
// Docs: docs/scoring.md ("Designing a shape").
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "scoring/scorer.h"

namespace shapeq {

struct Part {
  std::string name;
  std::string kind;  // drive, nic, cpu, chassis
  std::map<std::string, double> figures;  // in the part file's units (capacity_tb, watts, price_usd ...)
  std::string form_factor;  // drives and chassis
  std::string protection;   // chassis: the scheme its designs are scored under
  std::string basis;        // rated, estimated, derived
  std::string source;       // a key of its file's sources
  std::string note;
  Range price_range;        // price_low_usd to price_high_usd, with price_range_note
  double Get(const std::string& figure, double otherwise = 0) const {
    const auto it = figures.find(figure);
    return it == figures.end() ? otherwise : it->second;
  }
};

struct PartsCatalog {
  std::vector<Part> drives, nics, cpus, chassis;
  std::string dir;
};

// Every profiles/parts/*.json; BadInput naming the file and field for anything out of place.
PartsCatalog LoadParts(const std::string& dir, const Model& model);

struct Design {
  std::string name;  // design-1u-22-e1l-22xqlc-122tb-e1l-2x400gbe-2x32c
  const Part* chassis = nullptr;
  const Part* drive = nullptr;
  const Part* nic = nullptr;
  const Part* cpu = nullptr;
  int drive_count = 0;
  Shape shape;
  std::vector<Verdict> verdicts;  // one per target, in the targets' order
  bool passes = false;            // every verdict passes
  double usd_per_month = 0;       // summed over the targets' deployments (unknown cost: infinity)
  double racks = 0;
  double kw = 0;
};

// A design as a shape profile would hold it (figures derived from the parts, basis derived).
Shape DesignShape(const Part& chassis, const Part& drive, int count, const Part& nic, const Part& cpu);

// Every design the parts allow (drives fill all, three quarters or half of the bays), each scored
// against every target.
std::vector<Design> EvaluateDesigns(const PartsCatalog& parts, const std::vector<Target>& targets, const Model& model);

// `a` is no worse than `b` on $/month, racks and kW, and better on one.
bool Dominates(const Design& a, const Design& b);
// Indexes of the passing designs no other passing design dominates; cheapest first.
std::vector<size_t> ParetoFront(const std::vector<Design>& designs);

// The shape as a profile file (schema shapeq.shape): `shapeq score --shape-file` scores it the same.
nlohmann::json ShapeProfileJson(const Shape& shape);

}  // namespace shapeq
