#pragma once
// Forgiving reads of one field of a JSON object, for the typed details and the manifest
// (storage_detail, net_detail, datapath_detail, run_manifest): a field that is missing, or of
// another type, or read from something that is not an object, reads as nothing. Never throws.
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace shapeq::json_fields {

inline const nlohmann::json* Field(const nlohmann::json& j, const char* key) {
  if (!j.is_object()) return nullptr;
  const auto it = j.find(key);
  return it == j.end() ? nullptr : &*it;
}

inline std::optional<double> NumberAt(const nlohmann::json& j, const char* key) {
  const nlohmann::json* f = Field(j, key);
  return f && f->is_number() ? std::optional(f->get<double>()) : std::nullopt;
}

inline std::string TextAt(const nlohmann::json& j, const char* key, const std::string& otherwise = "") {
  const nlohmann::json* f = Field(j, key);
  return f && f->is_string() ? f->get<std::string>() : otherwise;
}

inline std::optional<bool> FlagAt(const nlohmann::json& j, const char* key) {
  const nlohmann::json* f = Field(j, key);
  return f && f->is_boolean() ? std::optional(f->get<bool>()) : std::nullopt;
}

// The list at `key`, else an empty one.
inline const nlohmann::json& ArrayAt(const nlohmann::json& j, const char* key) {
  static const nlohmann::json kEmpty = nlohmann::json::array();
  const nlohmann::json* f = Field(j, key);
  return f && f->is_array() ? *f : kEmpty;
}

// A whole count in [0, limit), else 0 (a negative or huge number in a hostile file).
inline unsigned CountAt(const nlohmann::json& j, const char* key, double limit = 4e9) {
  const double value = NumberAt(j, key).value_or(0);
  return value >= 0 && value < limit ? static_cast<unsigned>(value) : 0u;
}

}  // namespace shapeq::json_fields
