#pragma once
// The one way shapeq reads JSON, from a file, a plan, a results directory, fio or a peer: nesting
// at most kJsonMaxDepth deep, no key twice in one object, every number within double's range.
// Anything else is BadInput naming where it came from (exit 3): never a crash on a deep document
// (nlohmann's recursive walks would overflow the stack), never a silently dropped duplicate.
#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace shapeq {

inline constexpr int kJsonMaxDepth = 64;
inline constexpr size_t kJsonMaxFileBytes = size_t{256} << 20;  // fio's json+ of a long run is a few MB

// `where` names the text in errors ("plan.json", "the peer's reply").
nlohmann::json ParseJson(std::string_view text, const std::string& where, bool allow_comments = false);

// The text of a regular file (not a directory, FIFO or device: those could hang or never end),
// at most `max_bytes`. BadInput naming the path otherwise.
std::string ReadRegularFile(const std::string& path, size_t max_bytes = kJsonMaxFileBytes);

// ReadRegularFile + ParseJson.
nlohmann::json ReadJsonFile(const std::string& path, bool allow_comments = false);

// Checks the parts of a document that readers use against `shape`, a small subset of JSON
// Schema: "type" (a name or a list: object, array, string, number, integer, boolean, null),
// "properties" (checked when present; others are allowed, for newer writers), "values" (every
// member of an object), "items" (every element of an array), "minimum" and "maximum". Every
// number must also lie within +-kJsonMaxMagnitude, so no figure read turns infinite when scaled.
// Throws BadInput(file, "field PATH: expected ...") at the first mismatch.
inline constexpr double kJsonMaxMagnitude = 1e30;
void CheckJsonShape(const nlohmann::json& value, const nlohmann::json& shape, const std::string& file, const std::string& path = "");

}  // namespace shapeq
