#pragma once
// SHA-256 (FIPS 180-4) of bytes, as lower-case hex: the digests a results directory's manifest
// lists and `shapeq verify` checks. Self-contained, so reading a run needs no crypto library.
#include <string>
#include <string_view>

namespace shapeq {

std::string Sha256Hex(std::string_view bytes);

}  // namespace shapeq
