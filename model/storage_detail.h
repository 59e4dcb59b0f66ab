#pragma once
// A storage measurement's detail (what fio said beside the headline figures), typed and read
// once from Measurement::detail: reports, metrics, PKB samples and the terminal text take these
// structs and look no key up themselves. The writers are in workloads/ (fio_output, storage_kernel,
// storage_fleet). Reading is forgiving: a field missing or of another type reads as unknown.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/measurement.h"

namespace shapeq {

// One direction (read or write) of one repeat.
struct StorageDirection {
  double bytes_per_s = 0, iops = 0;
  std::map<std::string, double> clat_percentiles_s;  // "p50", "p99", "p99.9", "p99.99" -> seconds
  std::optional<double> Percentile(const std::string& name) const;
};

// One target's (a drive's, or a fleet host's) share of a repeat.
struct StorageTargetFigures {
  std::string target;
  double bytes_per_s = 0, iops = 0;
  std::optional<double> p99_s;
};

struct StorageRepeat {
  StorageDirection read, write;
  std::vector<StorageTargetFigures> per_target;
  std::optional<double> latency_bound_depth;  // latency-bounded kernels: the depth fio found under the bound
  // The direction that did the work: read when it has IOPS, else write.
  const StorageDirection& Busier() const { return read.iops > 0 ? read : write; }
  // The direction named "read" or "write"; nullptr for anything else.
  const StorageDirection* Named(const std::string& direction) const;
  std::vector<std::string> directions_reported;  // "read", "write": those fio's output held
};

// A fleet host: whether it ran (and why not), and its medians over the repeats.
struct StorageHost {
  std::string host;        // HOST:PORT as asked
  bool ran = false;
  std::string reason;      // why it refused
  std::string hostname;    // what it says it is
  std::optional<double> bytes_per_s, iops, p99_s;
  std::string status;      // its last run's: ok, failed
  bool has_figures = false;
};

struct StorageDetail {
  std::string fio_version;
  std::optional<bool> steady;           // fio's steady-state criterion met in every repeat
  std::vector<StorageRepeat> repeats;
  std::vector<StorageHost> hosts;       // a fleet run: every host asked, in order
  bool fleet = false;                   // per_host figures present
  const StorageRepeat* Last() const { return repeats.empty() ? nullptr : &repeats.back(); }
};

StorageDetail StorageDetailOf(const Measurement& m);

}  // namespace shapeq
