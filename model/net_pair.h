#pragma once
// A fleet network measurement's pair (shapeq net --hosts): who sent to whom, in which round of
// which pattern. Read once from Measurement::detail (workloads/net_fleet writes it); forgiving:
// a missing field reads as empty, `from` as the measurement's target.
#include <cstddef>
#include <string>

#include "model/measurement.h"

namespace shapeq {

struct NetPair {
  std::string from, to;   // HOST:PORT of the sender's and the receiver's net-serve
  std::string pattern;    // ring, pairwise, all-to-all, incast
  size_t round = 0;
  double round_wall_s = 0;
};

NetPair NetPairOf(const Measurement& m);

}  // namespace shapeq
