#include "model/net_detail.h"

namespace shapeq {

NetPair NetPairOf(const Measurement& m) {
  const nlohmann::json& d = m.detail;
  auto text = [&d](const char* key, const std::string& otherwise) {
    return d.is_object() && d.contains(key) && d[key].is_string() ? d[key].get<std::string>() : otherwise;
  };
  auto number = [&d](const char* key) { return d.is_object() && d.contains(key) && d[key].is_number() ? d[key].get<double>() : 0.0; };
  NetPair p;
  p.from = text("from", m.target);
  p.to = text("to", "");
  p.pattern = text("pattern", "");
  const double round = number("round");
  p.round = round >= 0 && round < 1e6 ? static_cast<size_t>(round) : 0;
  p.round_wall_s = number("round_wall_s");
  return p;
}

NetDetail NetDetailOf(const Measurement& m) {
  using nlohmann::json;
  const json& d = m.detail;
  auto number = [](const json& j, const char* key) {
    return j.is_object() && j.contains(key) && j[key].is_number() ? std::optional(j[key].get<double>()) : std::nullopt;
  };
  auto count = [&number](const json& j, const char* key) {
    const double value = number(j, key).value_or(0);
    return value >= 0 && value < 4e9 ? static_cast<unsigned>(value) : 0u;
  };
  NetDetail detail;
  detail.partial_bytes_per_s = number(d, "partial_bytes_per_s");
  if (!d.is_object() || !d.contains("repeats") || !d["repeats"].is_array()) return detail;
  for (const json& r : d["repeats"]) {
    if (!r.is_object()) continue;
    NetRepeat repeat;
    repeat.client_cpu_cores = number(r, "client_cpu_cores").value_or(0);
    repeat.server_cpu_cores = number(r, "server_cpu_cores");
    if (r.contains("streams") && r["streams"].is_array()) {
      for (const json& s : r["streams"]) {
        if (!s.is_object()) continue;
        const std::string direction = s.contains("direction") && s["direction"].is_string() ? s["direction"].get<std::string>() : "";
        repeat.streams.push_back({count(s, "index"), direction, number(s, "bits_per_s").value_or(0), count(s, "retransmits")});
      }
    }
    detail.repeats.push_back(repeat);
  }
  return detail;
}

}  // namespace shapeq
