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

}  // namespace shapeq
