#include "model/measurement.h"

#include <algorithm>

#include "common/error.h"
#include "common/json_optional.h"
#include "model/storage_detail.h"

namespace shapeq {

const char* MeasurementStatusName(MeasurementStatus status) {
  switch (status) {
    case MeasurementStatus::kOk: return "ok";
    case MeasurementStatus::kFailed: return "failed";
    case MeasurementStatus::kSkipped: return "skipped";
  }
  return "?";
}

void to_json(nlohmann::json& j, const Measurement& m) {
  j = {{"schema", kMeasurementSchema}, {"schema_version", kMeasurementSchemaVersion},
       {"kernel", m.kernel},           {"target", m.target},
       {"status", MeasurementStatusName(m.status)},           {"reason", m.reason},
       {"params", m.params.is_object() ? m.params : nlohmann::json::object()}, {"bytes_per_s", m.bytes_per_s},
       {"iops", m.iops},               {"repeats_iops", m.repeats_iops},
       {"repeats_bytes_per_s", m.repeats_bytes_per_s}, {"spread_fraction", m.spread_fraction},
       {"cpu_cores_busy", m.cpu_cores_busy}, {"duration_s", m.duration_s},
       {"detail", m.detail.is_object() ? m.detail : nlohmann::json::object()}};
}

void from_json(const nlohmann::json& j, Measurement& m) {
  j.at("kernel").get_to(m.kernel);
  j.at("target").get_to(m.target);
  const std::string status = j.at("status").get<std::string>();
  if (status == "ok") {
    m.status = MeasurementStatus::kOk;
  } else if (status == "failed") {
    m.status = MeasurementStatus::kFailed;
  } else if (status == "skipped") {
    m.status = MeasurementStatus::kSkipped;
  } else {
    throw Error(ExitCode::kBadInput, "field status: expected ok, failed or skipped, got \"" + status + "\"");
  }
  m.reason = j.value("reason", "");
  // null (which the shape allows) reads as empty: readers ask params and detail for fields.
  auto object = [&j](const char* key) { return j.contains(key) && j[key].is_object() ? j[key] : nlohmann::json::object(); };
  m.params = object("params");
  m.bytes_per_s = j.value("bytes_per_s", std::optional<double>());
  m.repeats_bytes_per_s = j.value("repeats_bytes_per_s", std::vector<double>());
  m.iops = j.value("iops", std::optional<double>());
  m.repeats_iops = j.value("repeats_iops", std::vector<double>());
  m.spread_fraction = j.value("spread_fraction", std::optional<double>());
  m.cpu_cores_busy = j.value("cpu_cores_busy", std::optional<double>());
  m.duration_s = j.value("duration_s", 0.0);
  m.detail = object("detail");
}

const nlohmann::json& MeasurementShape() {
  static const nlohmann::json shape = [] {
    nlohmann::json measurement = nlohmann::json::parse(R"({
      "type": "object",
      "properties": {
        "kernel": {"type": "string"}, "target": {"type": "string"}, "status": {"type": "string"}, "reason": {"type": "string"},
        "params": {"type": ["object", "null"]},
        "bytes_per_s": {"type": ["number", "null"], "minimum": 0}, "iops": {"type": ["number", "null"], "minimum": 0},
        "spread_fraction": {"type": ["number", "null"], "minimum": 0}, "cpu_cores_busy": {"type": ["number", "null"], "minimum": 0},
        "duration_s": {"type": "number", "minimum": 0},
        "repeats_bytes_per_s": {"type": "array", "items": {"type": "number", "minimum": 0}},
        "repeats_iops": {"type": "array", "items": {"type": "number", "minimum": 0}},
        "detail": {"type": "object", "properties": {
          "repeats": {"type": "array", "items": {"type": "object", "properties": {
            "latency_bound": {"type": "object", "properties": {"depth": {"type": "number"}}},
            "steady_state": {"type": "object", "properties": {"attained": {"type": "boolean"}}}}}},
          "steady": {"type": "boolean"}, "note": {"type": "string"}, "fio_version": {"type": "string"},
          "per_host": {"type": "array", "items": {"type": "object", "properties": {
            "host": {"type": "string"}, "hostname": {"type": "string"}, "status": {"type": "string"},
            "bytes_per_s": {"type": ["number", "null"], "minimum": 0}, "iops": {"type": ["number", "null"], "minimum": 0},
            "p99_s": {"type": ["number", "null"], "minimum": 0}}}},
          "hosts": {"type": "array", "items": {"type": "object", "properties": {
            "host": {"type": "string"}, "hostname": {"type": ["string", "null"]}, "status": {"type": "string"}, "reason": {"type": "string"}}}}}}}})");
    // The read and write sides of a repeat have one shape.
    const nlohmann::json direction = nlohmann::json::parse(R"({"type": "object", "properties": {
      "iops": {"type": "number"}, "bytes_per_s": {"type": "number"},
      "clat_percentiles_s": {"type": "object", "values": {"type": "number", "minimum": 0}}}})");
    auto& repeat = measurement["properties"]["detail"]["properties"]["repeats"]["items"]["properties"];
    repeat["read"] = repeat["write"] = direction;
    return measurement;
  }();
  return shape;
}

std::optional<double> Median(std::vector<double> values) {
  if (values.empty()) return std::nullopt;
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

void SummarizeRepeats(Measurement& m) {
  m.iops = Median(m.repeats_iops);
  m.bytes_per_s = Median(m.repeats_bytes_per_s);
  if (!m.bytes_per_s) return;
  const auto [low, high] = std::minmax_element(m.repeats_bytes_per_s.begin(), m.repeats_bytes_per_s.end());
  m.spread_fraction = *m.bytes_per_s > 0 ? std::optional((*high - *low) / *m.bytes_per_s) : std::nullopt;
}

std::optional<double> StorageLatencyPercentile(const Measurement& m, const std::string& percentile) {
  const StorageDetail detail = StorageDetailOf(m);
  return detail.Last() ? detail.Last()->Busier().Percentile(percentile) : std::nullopt;
}

}  // namespace shapeq
