#pragma once
// A run's figures as PerfKitBenchmarker samples (pkb_samples.json beside the results): one JSON
// object per line with metric, value, unit, metadata and timestamp, and the fields PKB's JSON
// publisher writes (test, run_uri, sample_uri, product_name, official, owner), so pipelines that
// load PKB results load shapeq's. Storage: bandwidth (MB/s), IOPS and p99 latency (usec) per
// kernel; network: throughput (Mbits/sec); data path: one core's MB/s per kernel; the measured
// node's verdicts: nodes, racks and $/PB-month per target; a fleet's runs beside them.
#include <string>

#include "results/fleet_files.h"
#include "results/run_dir.h"

namespace shapeq {

// A fleet's runs (`fleet`), when given, add their samples: per kernel the fleet's sum and each
// host's (test shapeq_fleet_storage), and each pair's throughput (test shapeq_fleet_network).
std::string PkbSamples(const RunFiles& run, const FleetRuns& fleet = {});

}  // namespace shapeq
