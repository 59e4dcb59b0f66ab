#pragma once
// Strict reading of profile JSON (shapes, targets, models): comments allowed, unknown fields
// refused, every error one line naming the file and the field.
#include <initializer_list>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "common/units.h"
#include "scoring/figure.h"

namespace shapeq {

// The largest number a profile may hold, in its own unit.
inline constexpr double kMaxProfileNumber = 1e15;
// The smallest non-zero one: a denominator of 1e-320 would make every figure infinite.
inline constexpr double kMinProfileNumber = 1e-6;

// The profile units' scales to SI (the unit is in each field's name: _tb, _gbytes_per_s, _pb).

// A profile's name: its file's stem (azure-l96s-v4 for .../azure-l96s-v4.json).
std::string ProfileName(const std::string& path);

// A value given with --set NAME.FIELD=VALUE: positive, finite and bounded, as in a profile, or 0
// where allowed; whole where the profile wants a whole number. Error(kUsage) naming NAME.FIELD.
void CheckSetValue(const std::string& name, const std::string& field, double value, bool allow_zero = false);

// Parses FILE (comments allowed). Throws BadInput("FILE", ...) when unreadable or not JSON.
nlohmann::json ParseProfileFile(const std::string& path);

// Reads the fields of one JSON object, naming `file` and the field path in every error.
class FieldReader {
 public:
  FieldReader(std::string file, const nlohmann::json& object, std::string path = "");

  std::string String(const char* field, bool required) const;
  // A number > 0 (or >= 0 with allow_zero); nullopt when absent or null and not required.
  std::optional<double> Number(const char* field, bool required, bool allow_zero = false) const;
  // A positive whole number.
  std::optional<long long> Integer(const char* field, bool required) const;
  const nlohmann::json* Object(const char* field, bool required) const;
  // Refuses any field not listed: a typo must not silently fall back to a default.
  void OnlyFields(std::initializer_list<const char*> allowed) const;
  void OnlyFields(const std::vector<std::string>& allowed) const;
  // Checks schema and schema_version.
  void Schema(const char* schema, int version) const;

  [[noreturn]] void Fail(const std::string& field, const std::string& problem) const;
  FieldReader Nested(const char* field, const nlohmann::json& object) const;
  const std::string& file() const { return file_; }
  const nlohmann::json& json() const { return object_; }

 private:
  std::string Where(const std::string& field) const;
  std::string file_;
  const nlohmann::json& object_;
  std::string path_;
};

// A figure's range as a profile writes it: "low", "high" (both or neither, bracketing `value`,
// at most `max`, else `above_max`) and "range_note"; nullopt when neither is given. Values in the
// profile's unit.
std::optional<Range> ReadRange(const FieldReader& r, double value, bool allow_zero, double max = kMaxProfileNumber,
                               const char* above_max = "above the largest value the field holds");

// What every profile (shape, target, claim) says of itself: its file, its name (the file's stem)
// and its title, which is required.
template <typename Profile>
void ReadProfileHead(const FieldReader& r, const std::string& path, Profile& profile) {
  profile.file = path;
  profile.name = ProfileName(path);
  profile.title = r.String("title", true);
}

}  // namespace shapeq
