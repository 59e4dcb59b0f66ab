#include "model/datapath_detail.h"

#include "model/json_fields.h"

namespace shapeq {

DatapathDetail DatapathDetailOf(const Measurement& m) {
  using json_fields::NumberAt;
  return {NumberAt(m.detail, "cores_per_gbytes_per_s"), NumberAt(m.detail, "relative_to_memcpy")};
}

}  // namespace shapeq
