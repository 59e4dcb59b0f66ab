#pragma once
// A network measurement's detail, typed and read once from Measurement::detail (workloads/
// net_kernel and net_fleet write it): each repeat's streams and CPU, what was measured before a
// failure, and a fleet pair's place in its pattern. Forgiving: a missing field or one of another
// type reads as unknown.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "model/measurement.h"

namespace shapeq {

// A fleet pair (shapeq net --hosts): who sent to whom, in which round of which pattern; `from`
// is the measurement's target when the detail does not say.
struct NetPair {
  std::string from, to;   // HOST:PORT of the sender's and the receiver's net-serve
  std::string pattern;    // ring, pairwise, all-to-all, incast
  size_t round = 0;
  double round_wall_s = 0;
};

NetPair NetPairOf(const Measurement& m);

struct NetStream {
  unsigned index = 0;
  std::string direction;  // up, down
  double bits_per_s = 0;
  unsigned retransmits = 0;
};

struct NetRepeat {
  std::vector<NetStream> streams;
  double client_cpu_cores = 0;
  std::optional<double> server_cpu_cores;
};

struct NetDetail {
  std::vector<NetRepeat> repeats;
  std::optional<double> partial_bytes_per_s;  // a run that failed: what it measured before
};

NetDetail NetDetailOf(const Measurement& m);

}  // namespace shapeq
