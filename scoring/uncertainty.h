#pragma once
// Every ranged input sampled together: each draw sets every shape figure and model term with a
// range to a value from a triangular distribution (low, the value as its peak, high), scores
// every shape x target, and counts. Seeded and reproducible on any machine: the generator and
// the draw order are this file's own (docs/scoring.md, "Sampling").
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "scoring/score_matrix.h"

namespace shapeq {

// What score and qualify sample when not asked for more: enough for a probability of pass to
// about +-1% (a binomial's standard error at 2,000 draws), in a tenth of a second for the catalog.
inline constexpr size_t kDefaultDraws = 2000;
inline constexpr uint64_t kDefaultSeed = 1;
// The most draws a command or a document may ask for.
inline constexpr size_t kMaxDraws = 1000000;

struct Percentiles {
  double p10 = 0, p50 = 0, p90 = 0;
};

struct VerdictSpread {
  std::string shape, target;
  size_t samples = 0;
  size_t passed = 0;
  size_t unknown = 0;  // draws whose verdict was unknown (a figure it needs is not known)
  double pass_probability() const { return samples ? static_cast<double>(passed) / static_cast<double>(samples) : 0; }
  std::optional<Percentiles> usd_per_pb_month, nodes, racks, kw;
};

struct UncertaintyRun {
  uint64_t seed = 0;
  size_t samples = 0;
  std::vector<VerdictSpread> spreads;  // target by target, shapes in the order given (as ScoreAll)
};

// `samples` draws of every shape x target. The model's terms are drawn once per draw and shared
// by every shape (one site's power price and rack limit); each shape's figures are its own.
UncertaintyRun SampleVerdicts(const std::vector<Shape>& shapes, const std::vector<Target>& targets, const Model& model,
                              size_t samples, uint64_t seed, const std::string& protection = "");

// Copies each spread's pass probability onto its verdict in `pairs` (same shapes and targets).
void MarkPassProbability(std::vector<ScoredPair>& pairs, const UncertaintyRun& run);

// {"seed", "samples", "distribution", "spreads": [{shape, target, pass_probability, unknown,
// usd_per_pb_month: {p10, p50, p90}, nodes, racks, kw}]} for score --json.
nlohmann::json UncertaintyJson(const UncertaintyRun& run);

// The value at fraction `q` of `values` by nearest rank (sorts a copy's part in place).
double Quantile(std::vector<double>& values, double q);

}  // namespace shapeq
