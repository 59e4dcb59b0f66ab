#pragma once
// A run's figures as Prometheus metric families (base units, Prometheus naming), for a push
// (results/pushgateway.h) or /metrics (results/latest_run_metrics.h).
#include <memory>
#include <optional>
#include <string>

#include <prometheus/registry.h>

#include "results/run_dir.h"

namespace shapeq {

// The metric families, labelled with shape, cloud and run.
std::shared_ptr<prometheus::Registry> RunMetrics(const RunFiles& run);

}  // namespace shapeq
