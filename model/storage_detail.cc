#include "model/storage_detail.h"

#include "model/json_fields.h"

namespace shapeq {
namespace {

using nlohmann::json;
using namespace json_fields;

StorageDirection DirectionOf(const json& j) {
  StorageDirection d;
  d.bytes_per_s = NumberAt(j, "bytes_per_s").value_or(0);
  d.iops = NumberAt(j, "iops").value_or(0);
  if (const json* percentiles = Field(j, "clat_percentiles_s"); percentiles && percentiles->is_object()) {
    for (const auto& [name, value] : percentiles->items()) {
      if (value.is_number()) d.clat_percentiles_s[name] = value.get<double>();
    }
  }
  return d;
}

StorageTargetFigures TargetOf(const json& j) {
  return {TextAt(j, "target"), NumberAt(j, "bytes_per_s").value_or(0), NumberAt(j, "iops").value_or(0), NumberAt(j, "p99_s")};
}

}  // namespace

std::optional<double> StorageDirection::Percentile(const std::string& name) const {
  const auto it = clat_percentiles_s.find(name);
  return it == clat_percentiles_s.end() ? std::nullopt : std::optional(it->second);
}

const StorageDirection* StorageRepeat::Named(const std::string& direction) const {
  return direction == "read" ? &read : direction == "write" ? &write : nullptr;
}

StorageDetail StorageDetailOf(const Measurement& m) {
  const json& detail = m.detail;
  StorageDetail d;
  d.fio_version = TextAt(detail, "fio_version");
  d.steady = FlagAt(detail, "steady");
  for (const json& entry : ArrayAt(detail, "repeats")) {
    if (!entry.is_object()) continue;
    StorageRepeat r;
    for (const char* direction : {"read", "write"}) {
      const json* side = Field(entry, direction);
      if (!side || !side->is_object()) continue;
      r.directions_reported.push_back(direction);
      (std::string(direction) == "read" ? r.read : r.write) = DirectionOf(*side);
    }
    for (const json& t : ArrayAt(entry, "per_target")) r.per_target.push_back(TargetOf(t));
    if (const json* bound = Field(entry, "latency_bound")) r.latency_bound_depth = NumberAt(*bound, "depth");
    d.repeats.push_back(r);
  }
  const json& figures = ArrayAt(detail, "per_host");
  d.fleet = Field(detail, "per_host") != nullptr;
  for (const json& asked : ArrayAt(detail, "hosts")) {
    StorageHost h;
    h.host = TextAt(asked, "host");
    h.ran = TextAt(asked, "status") == "ran";
    h.reason = TextAt(asked, "reason");
    h.hostname = TextAt(asked, "hostname");
    for (const json& f : figures) {
      if (TextAt(f, "host") != h.host) continue;
      h.has_figures = true;
      if (h.hostname.empty()) h.hostname = TextAt(f, "hostname");
      h.bytes_per_s = NumberAt(f, "bytes_per_s");
      h.iops = NumberAt(f, "iops");
      h.p99_s = NumberAt(f, "p99_s");
      h.status = TextAt(f, "status");
    }
    d.hosts.push_back(h);
  }
  return d;
}

}  // namespace shapeq
