#pragma once
// Measurements as the stage commands print them on a terminal: storage kernels with their
// latency percentiles, one network run, a fleet of pairs (slow ones marked), data-path kernels.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/measurement.h"

namespace shapeq {

std::string FormatStorage(const std::vector<Measurement>& results);
// `shapeq storage --hosts`: each kernel's fleet figures, then every host's line (or why it refused).
std::string FormatStorageFleet(const std::vector<Measurement>& results);
std::string FormatNetMeasurement(const Measurement& m);
// A fleet network run as a matrix: every host in the order it first appears (as sender or
// receiver), each measured pair's rate, and the schedule it ran in. The text and the report's
// heat map are both drawn from it.
struct FleetMatrix {
  std::vector<std::string> hosts;
  std::map<std::pair<std::string, std::string>, double> bytes_per_s;  // (from, to): pairs measured ok
  std::string pattern;
  size_t rounds = 0;
  double wall_s = 0;  // the rounds' wall times summed
};
FleetMatrix FleetNetworkMatrix(const std::vector<Measurement>& pairs);

// The pairs, then the matrix (Gbit/s, a row per sender) and, for a pairwise run, the bisection estimate.
std::string FormatNetFleet(const std::vector<Measurement>& pairs);
// From a pairwise fleet run: the slowest round's total rate, one direction (bytes/s): every round
// is a perfect matching, which some cut of the hosts into halves carries whole. nullopt otherwise.
std::optional<double> BisectionEstimate(const std::vector<Measurement>& pairs);
std::string FormatDatapath(const std::vector<Measurement>& results);

}  // namespace shapeq
