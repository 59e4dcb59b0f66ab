#include "workloads/measurement.h"

#include <algorithm>

#include "common/json_optional.h"

namespace shapeq {

void to_json(nlohmann::json& j, const Measurement& m) {
  j = {{"schema", kMeasurementSchema}, {"schema_version", kMeasurementSchemaVersion},
       {"kernel", m.kernel},           {"target", m.target},
       {"status", m.status},           {"reason", m.reason},
       {"params", m.params},           {"bytes_per_s", m.bytes_per_s},
       {"repeats_bytes_per_s", m.repeats_bytes_per_s}, {"spread_fraction", m.spread_fraction},
       {"cpu_cores_busy", m.cpu_cores_busy}, {"duration_s", m.duration_s},
       {"detail", m.detail}};
}

void from_json(const nlohmann::json& j, Measurement& m) {
  j.at("kernel").get_to(m.kernel);
  j.at("target").get_to(m.target);
  j.at("status").get_to(m.status);
  m.reason = j.value("reason", "");
  m.params = j.value("params", nlohmann::json::object());
  m.bytes_per_s = j.value("bytes_per_s", std::optional<double>());
  m.repeats_bytes_per_s = j.value("repeats_bytes_per_s", std::vector<double>());
  m.spread_fraction = j.value("spread_fraction", std::optional<double>());
  m.cpu_cores_busy = j.value("cpu_cores_busy", std::optional<double>());
  m.duration_s = j.value("duration_s", 0.0);
  m.detail = j.value("detail", nlohmann::json::object());
}

void SummarizeRepeats(Measurement& m) {
  if (m.repeats_bytes_per_s.empty()) return;
  std::vector<double> sorted = m.repeats_bytes_per_s;
  std::sort(sorted.begin(), sorted.end());
  const size_t n = sorted.size();
  const double median = n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  m.bytes_per_s = median;
  m.spread_fraction = median > 0 ? std::optional((sorted.back() - sorted.front()) / median) : std::nullopt;
}

}  // namespace shapeq
