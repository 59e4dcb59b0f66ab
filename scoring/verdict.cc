#include "scoring/verdict.h"

namespace shapeq {

const char* NeedName(Need need) {
  static constexpr const char* kNames[] = {"capacity", "read", "write", "iops", "protection width"};
  return kNames[static_cast<size_t>(need)];
}

const char* BoundName(Bound bound) {
  static constexpr const char* kNames[] = {"drives", "nic", "cores", "unknown"};
  return kNames[static_cast<size_t>(bound)];
}

const char* StatusName(Status status) {
  static constexpr const char* kNames[] = {"pass", "fail", "unknown"};
  return kNames[static_cast<size_t>(status)];
}

const char* ShownStatus(const Verdict& v) {
  if (v.status == Status::kUnknown) return StatusName(v.status);
  const bool sampled_both = v.pass_probability && *v.pass_probability > 0 && *v.pass_probability < 1;
  return v.flips_within_ranges || sampled_both ? "uncertain" : StatusName(v.status);
}

}  // namespace shapeq
