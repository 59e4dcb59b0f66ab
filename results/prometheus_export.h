#pragma once
// A run's figures as Prometheus metric families (base units, Prometheus naming), for a push
// (results/pushgateway.h) or /metrics (results/latest_run_metrics.h).
#include <memory>
#include <optional>
#include <string>

#include <prometheus/registry.h>

#include "results/fleet_files.h"
#include "results/run_dir.h"

namespace shapeq {

// The metric families, labelled with shape, cloud and run. A fleet's runs, when given, add
// shapeq_fleet_storage_* (per kernel and host; host "all" the fleet's sum) and
// shapeq_fleet_network_bytes_per_second (per pair).
std::shared_ptr<prometheus::Registry> RunMetrics(const RunFiles& run, const FleetRuns& fleet = {});

}  // namespace shapeq
