#pragma once
// A data-path measurement's detail (workloads/datapath_kernel writes it), typed and read once:
// the cores a GB/s of it costs and its rate against memcpy on the same core. Unknown when absent
// or not a number.
#include <optional>

#include "model/measurement.h"

namespace shapeq {

struct DatapathDetail {
  std::optional<double> cores_per_gbytes_per_s;
  std::optional<double> relative_to_memcpy;
};

DatapathDetail DatapathDetailOf(const Measurement& m);

}  // namespace shapeq
