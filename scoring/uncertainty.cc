#include "scoring/uncertainty.h"

#include <algorithm>
#include <cmath>

#include "scoring/ranged_inputs.h"

namespace shapeq {
namespace {

// SplitMix64 (Steele, Lea and Flood 2014): the same stream from the same seed everywhere,
// unlike std::uniform_real_distribution, whose algorithm each library chooses.
class Draws {
 public:
  explicit Draws(uint64_t seed) : state_(seed) {}
  double Uniform() {  // [0, 1), 53 bits
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    return static_cast<double>(z >> 11) * 0x1.0p-53;
  }
  // Triangular on [low, high] peaking at `mode`: an estimate is likeliest at its value.
  double Triangular(double low, double mode, double high) {
    const double u = Uniform();
    const double width = high - low;
    if (width <= 0) return mode;
    const double left = (mode - low) / width;
    return u < left ? low + std::sqrt(u * width * (mode - low)) : high - std::sqrt((1 - u) * width * (high - mode));
  }

 private:
  uint64_t state_;
};

struct Collected {
  std::vector<double> usd_per_pb_month, nodes, racks, kw;
};

std::optional<Percentiles> PercentilesOf(std::vector<double>& values) {
  if (values.empty()) return std::nullopt;
  return Percentiles{Quantile(values, 0.1), Quantile(values, 0.5), Quantile(values, 0.9)};
}

}  // namespace

double Quantile(std::vector<double>& values, double q) {
  const size_t rank = static_cast<size_t>(std::ceil(q * static_cast<double>(values.size())));
  const size_t index = std::min(values.size() - 1, rank == 0 ? 0 : rank - 1);
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(index), values.end());
  return values[index];
}

UncertaintyRun SampleVerdicts(const std::vector<Shape>& shapes, const std::vector<Target>& targets, const Model& model,
                              size_t samples, uint64_t seed, const std::string& protection) {
  UncertaintyRun run;
  run.seed = seed;
  run.samples = samples;
  // Working copies, set in place each draw: every ranged input is drawn anew each time.
  Model drawn_model = model;
  std::vector<Shape> drawn = shapes;
  const std::vector<RangedInput> terms = RangedModelTerms(model);
  std::vector<std::vector<RangedInput>> figures;
  for (const auto& shape : shapes) {
    std::vector<RangedInput> own = RangedInputs(shape, model);
    own.erase(std::remove_if(own.begin(), own.end(), [](const RangedInput& i) { return i.model_term; }), own.end());
    figures.push_back(std::move(own));
  }
  // Pair (t, s) at t * shapes + s, as ScoreAll orders them.
  std::vector<VerdictSpread> spreads(shapes.size() * targets.size());
  std::vector<Collected> collected(spreads.size());
  for (size_t t = 0; t < targets.size(); ++t) {
    for (size_t s = 0; s < shapes.size(); ++s) {
      spreads[t * shapes.size() + s].shape = shapes[s].name;
      spreads[t * shapes.size() + s].target = targets[t].name;
    }
  }
  Draws draws(seed);
  Shape unused;
  for (size_t i = 0; i < samples; ++i) {
    for (const auto& term : terms) SetRanged(unused, drawn_model, term, draws.Triangular(term.low, term.value, term.high));
    for (size_t s = 0; s < shapes.size(); ++s) {
      for (const auto& figure : figures[s]) SetRanged(drawn[s], drawn_model, figure, draws.Triangular(figure.low, figure.value, figure.high));
      for (size_t t = 0; t < targets.size(); ++t) {
        const Verdict v = ScoreFigures(drawn[s], targets[t], drawn_model, protection);
        VerdictSpread& spread = spreads[t * shapes.size() + s];
        Collected& c = collected[t * shapes.size() + s];
        ++spread.samples;
        if (v.status == Status::kPass) ++spread.passed;
        if (v.status == Status::kUnknown) ++spread.unknown;
        c.nodes.push_back(v.nodes);
        if (v.usd_per_pb_month) c.usd_per_pb_month.push_back(*v.usd_per_pb_month);
        if (v.racks) c.racks.push_back(*v.racks);
        if (v.kw) c.kw.push_back(*v.kw);
      }
    }
  }
  for (size_t i = 0; i < spreads.size(); ++i) {
    spreads[i].usd_per_pb_month = PercentilesOf(collected[i].usd_per_pb_month);
    spreads[i].nodes = PercentilesOf(collected[i].nodes);
    spreads[i].racks = PercentilesOf(collected[i].racks);
    spreads[i].kw = PercentilesOf(collected[i].kw);
  }
  run.spreads = std::move(spreads);
  return run;
}

nlohmann::json UncertaintyJson(const UncertaintyRun& run) {
  auto percentiles = [](const std::optional<Percentiles>& p) {
    return p ? nlohmann::json{{"p10", p->p10}, {"p50", p->p50}, {"p90", p->p90}} : nlohmann::json();
  };
  nlohmann::json verdicts = nlohmann::json::array();
  for (const auto& s : run.spreads) {
    verdicts.push_back({{"shape", s.shape}, {"target", s.target}, {"samples", s.samples}, {"pass_probability", s.pass_probability()},
                        {"unknown", s.unknown}, {"usd_per_pb_month", percentiles(s.usd_per_pb_month)}, {"nodes", percentiles(s.nodes)},
                        {"racks", percentiles(s.racks)}, {"kw", percentiles(s.kw)}});
  }
  return {{"seed", run.seed}, {"samples", run.samples}, {"distribution", "triangular(low, value, high)"}, {"spreads", verdicts}};
}

void MarkPassProbability(std::vector<ScoredPair>& pairs, const UncertaintyRun& run) {
  for (auto& pair : pairs) {
    for (const auto& spread : run.spreads) {
      if (spread.shape == pair.shape->name && spread.target == pair.target->name && spread.unknown < spread.samples) {
        pair.verdict.pass_probability = spread.pass_probability();
      }
    }
  }
}

}  // namespace shapeq
