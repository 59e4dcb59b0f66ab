#pragma once
// A fleet's runs beside a node's: the -o files of `shapeq storage --hosts` and `shapeq net --hosts`
// (JSON lists of Measurements), read and checked once. The report, the metrics and the PKB samples
// take them as they take a node's run.
#include <string>
#include <vector>

#include "model/measurement.h"

namespace shapeq {

struct FleetRuns {
  std::vector<Measurement> storage;  // per kernel: the fleet's sum, each host in its detail (storage_detail.h)
  std::vector<Measurement> network;  // per pair (net_detail.h)
  bool empty() const { return storage.empty() && network.empty(); }
};

// Either file may be "" (not given). BadInput naming the file for one that is not a non-empty
// list of measurements, or whose kernels are of the other kind (a network file given as storage).
FleetRuns ReadFleetRuns(const std::string& storage_file, const std::string& network_file);

}  // namespace shapeq
