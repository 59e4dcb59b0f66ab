#pragma once
// Measurements as the stage commands print them on a terminal: storage kernels with their
// latency percentiles, one network run, a fleet of pairs (slow ones marked), data-path kernels.
#include <string>
#include <vector>

#include "model/measurement.h"

namespace shapeq {

std::string FormatStorage(const std::vector<Measurement>& results);
std::string FormatNetMeasurement(const Measurement& m);
std::string FormatNetFleet(const std::vector<Measurement>& pairs);
std::string FormatDatapath(const std::vector<Measurement>& results);

}  // namespace shapeq
