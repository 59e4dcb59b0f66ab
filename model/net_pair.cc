#include "model/net_pair.h"

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

}  // namespace shapeq
