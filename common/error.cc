#include "common/error.h"

#include <cstdio>

namespace shapeq {

std::string OneLine(const std::string& text) {
  std::string line;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '\n') {
      line += "\\n";
    } else if (byte < 0x20 || byte == 0x7f) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", byte);
      line += escaped;
    } else {
      line += c;
    }
  }
  return line;
}

Error BadInput(const std::string& where, const std::string& problem) {
  return Error(ExitCode::kBadInput, where + ": " + problem);
}

}  // namespace shapeq
