// Scorer speed: shape x target evaluations per second over the shipped catalog, so sweeps of
// any size stay instant. Reported as items_per_second (one item = one evaluation).
#include <benchmark/benchmark.h>

#include "scoring/catalog.h"
#include "scoring/design.h"
#include "scoring/scorer.h"

namespace {

const shapeq::Catalog& TheCatalog() {
  static const shapeq::Catalog catalog = shapeq::LoadCatalog(SHAPEQ_PROFILES);
  return catalog;
}

void BM_ScoreCatalog(benchmark::State& state) {
  const auto& c = TheCatalog();
  for (auto _ : state) {
    for (const auto& target : c.targets) {
      for (const auto& shape : c.shapes) benchmark::DoNotOptimize(shapeq::Score(shape, target, c.model));
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * c.targets.size() * c.shapes.size()));
}
BENCHMARK(BM_ScoreCatalog);

// A failing pair does the extra work of finding what it would take.
void BM_ScoreFailingWithLevers(benchmark::State& state) {
  const auto& c = TheCatalog();
  const auto& shape = *std::find_if(c.shapes.begin(), c.shapes.end(), [](const auto& s) { return s.name == "azure-l96s-v4"; });
  const auto& target = *std::find_if(c.targets.begin(), c.targets.end(), [](const auto& t) { return t.name == "gpu-cluster-8k"; });
  for (auto _ : state) benchmark::DoNotOptimize(shapeq::Score(shape, target, c.model));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ScoreFailingWithLevers);

// shapeq design over the shipped parts for the AI lab and the GPU cluster: designs composed and
// scored against both targets per second.
void BM_DesignAiLabAndGpuCluster(benchmark::State& state) {
  const auto& c = TheCatalog();
  const auto parts = shapeq::LoadParts(std::string(SHAPEQ_PROFILES) + "/parts", c.model);
  std::vector<shapeq::Target> targets;
  for (const auto& t : c.targets) {
    if (t.name == "ai-lab-1eb" || t.name == "gpu-cluster-8k") targets.push_back(t);
  }
  size_t designs = 0;
  for (auto _ : state) {
    const auto evaluated = shapeq::EvaluateDesigns(parts, targets, c.model);
    designs += evaluated.size();
    benchmark::DoNotOptimize(shapeq::ParetoFront(evaluated));
  }
  state.SetItemsProcessed(static_cast<int64_t>(designs));
}
BENCHMARK(BM_DesignAiLabAndGpuCluster);

}  // namespace

BENCHMARK_MAIN();
