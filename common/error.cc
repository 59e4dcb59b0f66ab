#include "common/error.h"

namespace shapeq {

Error BadInput(const std::string& where, const std::string& problem) {
  return Error(ExitCode::kBadInput, where + ": " + problem);
}

}  // namespace shapeq
