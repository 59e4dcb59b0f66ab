#include "scoring/profile_json.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "common/error.h"
#include "common/json_read.h"

namespace shapeq {

std::string ProfileName(const std::string& path) { return std::filesystem::path(path).stem().string(); }

void CheckSetValue(const std::string& name, const std::string& field, double value, bool allow_zero) {
  if (allow_zero && value == 0) return;
  if (!(value >= kMinProfileNumber) || !std::isfinite(value) || value > kMaxProfileNumber) {
    throw Error(ExitCode::kUsage, "--set " + name + "." + field + ": expected a positive number from 1e-6 up to 1e15" +
                                      (allow_zero ? ", or 0" : ""));
  }
  if ((field == "drive_count" || field == "cores") && value != std::floor(value)) {
    throw Error(ExitCode::kUsage, "--set " + name + "." + field + ": expected a whole number");
  }
}


nlohmann::json ParseProfileFile(const std::string& path) {
  return ReadJsonFile(path, /*allow_comments=*/true);
}

FieldReader::FieldReader(std::string file, const nlohmann::json& object, std::string path)
    : file_(std::move(file)), object_(object), path_(std::move(path)) {
  if (!object_.is_object()) {
    throw BadInput(file_, path_.empty() ? "expected a JSON object" : "field " + path_ + ": expected an object");
  }
}

std::string FieldReader::Where(const std::string& field) const { return path_.empty() ? field : path_ + "." + field; }

void FieldReader::Fail(const std::string& field, const std::string& problem) const {
  throw BadInput(file_, "field " + Where(field) + ": " + problem);
}

FieldReader FieldReader::Nested(const char* field, const nlohmann::json& object) const {
  return FieldReader(file_, object, Where(field));
}

std::string FieldReader::String(const char* field, bool required) const {
  const auto it = object_.find(field);
  if (it == object_.end() || it->is_null()) {
    if (required) Fail(field, "missing (a string is required)");
    return "";
  }
  if (!it->is_string()) Fail(field, "expected a string");
  if (required && it->get<std::string>().empty()) Fail(field, "must not be empty");
  return it->get<std::string>();
}

std::optional<double> FieldReader::Number(const char* field, bool required, bool allow_zero) const {
  const auto it = object_.find(field);
  if (it == object_.end() || it->is_null()) {
    if (required) Fail(field, "missing (a number is required)");
    return std::nullopt;
  }
  if (!it->is_number()) Fail(field, "expected a number");
  const double value = it->get<double>();
  if (!std::isfinite(value)) Fail(field, "expected a finite number");
  if (allow_zero ? value < 0 : value <= 0) Fail(field, allow_zero ? "must not be negative" : "expected a positive number");
  // Profiles are in humane units (TB, PB, GB/s, W, $): nothing real comes near 1e15, and the
  // bound keeps every product the scorer forms (x 1e15 to SI, x nodes, x $) finite.
  if (value > kMaxProfileNumber) Fail(field, "too large (at most 1e15 in the profile's unit)");
  if (value != 0 && value < kMinProfileNumber) Fail(field, "too small (at least 1e-6 in the profile's unit, or 0 where 0 is allowed)");
  return value;
}

std::optional<long long> FieldReader::Integer(const char* field, bool required) const {
  const auto it = object_.find(field);
  if (it != object_.end() && it->is_number_float()) Fail(field, "expected a positive integer");
  const auto value = Number(field, required);
  if (!value) return std::nullopt;
  if (*value > kMaxProfileNumber) Fail(field, "too large");
  return static_cast<long long>(*value);
}

const nlohmann::json* FieldReader::Object(const char* field, bool required) const {
  const auto it = object_.find(field);
  if (it == object_.end()) {
    if (required) Fail(field, "missing (an object is required)");
    return nullptr;
  }
  if (!it->is_object()) Fail(field, "expected an object");
  return &*it;
}

void FieldReader::OnlyFields(std::initializer_list<const char*> allowed) const {
  OnlyFields(std::vector<std::string>(allowed.begin(), allowed.end()));
}

void FieldReader::OnlyFields(const std::vector<std::string>& allowed) const {
  const std::set<std::string> known(allowed.begin(), allowed.end());
  for (const auto& [key, value] : object_.items()) {
    if (!known.count(key)) Fail(key, "unknown field");
  }
}

void FieldReader::Schema(const char* schema, int version) const {
  if (String("schema", true) != schema) Fail("schema", std::string("expected \"") + schema + "\"");
  const auto v = Integer("schema_version", true);
  if (*v != version) Fail("schema_version", "expected " + std::to_string(version));
}

std::optional<Range> ReadRange(const FieldReader& r, double value, bool allow_zero, double max, const char* above_max) {
  const auto low = r.Number("low", false, allow_zero);
  const auto high = r.Number("high", false, allow_zero);
  if (!low && !high) {
    if (r.json().contains("range_note")) r.Fail("range_note", "given without low and high");
    return std::nullopt;
  }
  if (!low || !high) r.Fail(low ? "high" : "low", "a range needs both low and high");
  if (*low > value * (1 + 1e-12)) r.Fail("low", "above the value");
  if (*high < value * (1 - 1e-12)) r.Fail("high", "below the value");
  if (*high > max) r.Fail("high", above_max);
  return Range{*low, *high, r.String("range_note", true)};
}

}  // namespace shapeq
