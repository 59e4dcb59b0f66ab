#pragma once
// The measure stage's output: one kernel's figures on one target, as plain data. A kernel
// that could not run, or failed part-way, is still a Measurement (status and reason say why,
// and what it measured before failing is kept): a partial failure is data.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace shapeq {

inline constexpr const char* kMeasurementSchema = "shapeq.measurement";
inline constexpr int kMeasurementSchemaVersion = 1;

// How a kernel run ended. JSON: "ok", "failed", "skipped" (a kernel that could not or may not
// run here, with its reason).
enum class MeasurementStatus { kOk, kFailed, kSkipped };
const char* MeasurementStatusName(MeasurementStatus status);

struct Measurement {
  std::string kernel;     // "net.tcp", later "fio.seq_read", "datapath.crc32c"...
  std::string target;     // what was measured: "127.0.0.1:5201", "/dev/nvme0n1"
  MeasurementStatus status = MeasurementStatus::kOk;
  std::string reason;     // why it failed or was skipped
  nlohmann::json params;  // exactly what ran (options, with defaults filled in)
  std::optional<double> bytes_per_s;          // median over repeats
  std::optional<double> iops;                 // median over repeats (storage kernels)
  std::vector<double> repeats_bytes_per_s;    // every repeat, in order
  std::vector<double> repeats_iops;
  std::optional<double> spread_fraction;      // (max - min) / median over repeats
  std::optional<double> cpu_cores_busy;       // this node's CPU use while measuring
  double duration_s = 0;                      // measured window of one repeat (warm-up excluded)
  nlohmann::json detail = nlohmann::json::object();  // kernel-specific figures
};

void to_json(nlohmann::json& j, const Measurement& m);
void from_json(const nlohmann::json& j, Measurement& m);

// What a reader may rely on in a measurement's JSON (CheckJsonShape): the fields' types and
// ranges, down to the per-repeat figures and latency percentiles reports and metrics use.
const nlohmann::json& MeasurementShape();

// The median of `values` (the mean of the middle two for an even count); nullopt when empty.
std::optional<double> Median(std::vector<double> values);

// Median (of bytes/s and IOPS) and spread (of bytes/s) of the repeats.
void SummarizeRepeats(Measurement& m);

// A storage measurement's completion-latency percentile ("p50", "p99", "p99.9") in seconds:
// its last repeat's, of the busier direction; nullopt when fio reported none.
std::optional<double> StorageLatencyPercentile(const Measurement& m, const std::string& percentile);

}  // namespace shapeq
