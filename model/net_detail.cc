#include "model/net_detail.h"

#include "model/json_fields.h"

namespace shapeq {

using namespace json_fields;

NetPair NetPairOf(const Measurement& m) {
  NetPair p;
  p.from = TextAt(m.detail, "from", m.target);
  p.to = TextAt(m.detail, "to");
  p.pattern = TextAt(m.detail, "pattern");
  p.round = CountAt(m.detail, "round", 1e6);
  p.round_wall_s = NumberAt(m.detail, "round_wall_s").value_or(0);
  return p;
}

NetDetail NetDetailOf(const Measurement& m) {
  NetDetail detail;
  detail.partial_bytes_per_s = NumberAt(m.detail, "partial_bytes_per_s");
  for (const nlohmann::json& r : ArrayAt(m.detail, "repeats")) {
    if (!r.is_object()) continue;
    NetRepeat repeat;
    repeat.client_cpu_cores = NumberAt(r, "client_cpu_cores").value_or(0);
    repeat.server_cpu_cores = NumberAt(r, "server_cpu_cores");
    for (const nlohmann::json& s : ArrayAt(r, "streams")) {
      if (!s.is_object()) continue;
      repeat.streams.push_back({CountAt(s, "index"), TextAt(s, "direction"), NumberAt(s, "bits_per_s").value_or(0), CountAt(s, "retransmits")});
    }
    detail.repeats.push_back(repeat);
  }
  return detail;
}

}  // namespace shapeq
