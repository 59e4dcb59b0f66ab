#pragma once
// The served storage kernels (the drives with a storage server's data path on every block)
// against what the rest of the run predicts: the drives' own figure from the raw kernel on the
// same targets, and the data path's per-core rate times the node's cores. Plain arithmetic on
// Measurements, for the report and the metrics.
#include <optional>
#include <string>
#include <vector>

#include "model/measurement.h"

namespace shapeq {

// Two throughputs of one node closer than this fraction are the same within run-to-run noise
// (a VM's is +-10%): a served figure this far under the drives' own is cores-bound, and one this
// far from its prediction is flagged.
inline constexpr double kServedNoiseFraction = 0.15;

struct ServedComparison {
  std::string kernel;      // fio.served_read
  std::string raw_kernel;  // fio.seq_read, on the same targets
  std::string datapath;    // "CRC-32C", "EC 146+4 + CRC-32C"
  std::optional<double> served_bytes_per_s, raw_bytes_per_s;
  std::optional<double> cpu_cores_busy;          // fio's threads, where the data path runs
  std::optional<double> per_core_bytes_per_s;    // the data path on one core (datapath kernels)
  double cores = 0;                              // the node's hardware threads
  std::optional<double> predicted_bytes_per_s;   // min(raw, cores x per core)
  std::string prediction_note;                   // what it rests on, or why there is none

  // 1 - served / raw: what the data path costs in throughput.
  std::optional<double> Tax() const;
  std::optional<double> PerBusyCore() const;
  // served / predicted - 1.
  std::optional<double> VsPrediction() const;
  bool Disagrees() const;  // |VsPrediction| > kServedNoiseFraction
};

// One comparison per served kernel that ran ok, in the order they ran.
std::vector<ServedComparison> CompareServed(const std::vector<Measurement>& storage, const std::vector<Measurement>& datapath,
                                            double hardware_threads);

}  // namespace shapeq
