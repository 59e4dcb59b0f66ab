#include "model/datapath_detail.h"

namespace shapeq {

DatapathDetail DatapathDetailOf(const Measurement& m) {
  auto number = [&m](const char* key) {
    const nlohmann::json& d = m.detail;
    return d.is_object() && d.contains(key) && d[key].is_number() ? std::optional(d[key].get<double>()) : std::nullopt;
  };
  return {number("cores_per_gbytes_per_s"), number("relative_to_memcpy")};
}

}  // namespace shapeq
