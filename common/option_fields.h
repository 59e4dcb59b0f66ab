#pragma once
// A kernel's options declared once, as data: each field's name (in plan files, measurement
// params and the peer protocol), its command-line flag, its accepted range or choices and its
// help. The JSON writer, the strict JSON reader, the range checks and the CLI flags
// (cli/option_flags.h) all walk the same table, so a new option is one line.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <set>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/error.h"

namespace shapeq {

template <typename Options>
struct OptionField {
  using Member = std::variant<std::string Options::*, std::vector<std::string> Options::*, unsigned Options::*,
                              uint64_t Options::*, double Options::*, bool Options::*>;
  const char* name;   // duration_s
  const char* flag;   // --duration; nullptr: the command spells this one itself, or has none
  Member member;
  double min = 0;     // numbers: the accepted range, inclusive
  double max = 0;
  const char* choices = nullptr;  // strings: "up|down|both"; nullptr: any
  const char* help = "";
};

namespace option_fields_detail {

inline std::string NumberText(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.10g", value);
  return text;
}

inline std::string RangeText(double min, double max) { return "from " + NumberText(min) + " to " + NumberText(max); }

inline bool IsChoice(const char* choices, const std::string& value) {
  if (!choices) return true;
  const std::string all = std::string("|") + choices + "|";
  return value.find('|') == std::string::npos && all.find("|" + value + "|") != std::string::npos;
}

}  // namespace option_fields_detail

// What is wrong with one field's value, or "" when nothing is: out of range, not a choice.
template <typename Options>
std::string OptionProblem(const Options& options, const OptionField<Options>& field) {
  using namespace option_fields_detail;
  return std::visit(
      [&](auto member) -> std::string {
        const auto& value = options.*member;
        using T = std::decay_t<decltype(value)>;
        if constexpr (std::is_same_v<T, std::string>) {
          if (!IsChoice(field.choices, value)) return "must be one of " + std::string(field.choices) + ", not " + nlohmann::json(value).dump();
        } else if constexpr (std::is_arithmetic_v<T> && !std::is_same_v<T, bool>) {
          const double v = static_cast<double>(value);
          if (!(v >= field.min && v <= field.max)) return RangeText(field.min, field.max) + ", not " + NumberText(v);
        }
        return "";
      },
      field.member);
}

// Throws Error(kUsage, "--flag (name): problem") for the first field out of its range.
template <typename Options>
void ValidateOptionFields(const Options& options, const std::vector<OptionField<Options>>& fields) {
  for (const auto& field : fields) {
    if (const std::string problem = OptionProblem(options, field); !problem.empty()) {
      throw Error(ExitCode::kUsage, std::string(field.name) + (field.flag ? std::string(" (") + field.flag + ")" : "") + ": " + problem);
    }
  }
}

template <typename Options>
nlohmann::json OptionFieldsJson(const Options& options, const std::vector<OptionField<Options>>& fields) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& field : fields) std::visit([&](auto member) { j[field.name] = options.*member; }, field.member);
  return j;
}

// The fields `object` sets, read over `options` strictly: each of its type and in its range.
// `known` collects the names read (a section may take fields from more than one table; the
// caller refuses any other). Throws BadInput(where, "field PREFIX.NAME: ...").
template <typename Options>
void ReadOptionFields(const nlohmann::json& object, Options& options, const std::vector<OptionField<Options>>& fields,
                      const std::string& where, const std::string& prefix, std::set<std::string>* known = nullptr) {
  for (const auto& field : fields) {
    if (known) known->insert(field.name);
    if (!object.is_object() || !object.contains(field.name)) continue;
    const nlohmann::json& v = object[field.name];
    const std::string name = "field " + prefix + field.name;
    std::visit(
        [&](auto member) {
          auto& out = options.*member;
          using T = std::decay_t<decltype(out)>;
          bool ok = false;
          std::string expected;
          if constexpr (std::is_same_v<T, bool>) {
            ok = v.is_boolean(), expected = "true or false";
          } else if constexpr (std::is_same_v<T, std::string>) {
            ok = v.is_string(), expected = "a string";
          } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
            ok = v.is_array() && std::all_of(v.begin(), v.end(), [](const nlohmann::json& e) { return e.is_string(); });
            expected = "a list of strings";
          } else if constexpr (std::is_integral_v<T>) {
            ok = v.is_number_integer() && (v.is_number_unsigned() || v.get<int64_t>() >= 0) &&
                 v.get<uint64_t>() <= std::numeric_limits<T>::max();
            expected = "a whole number " + option_fields_detail::RangeText(field.min, field.max);
          } else {
            ok = v.is_number(), expected = "a number " + option_fields_detail::RangeText(field.min, field.max);
          }
          if (!ok) throw BadInput(where, name + ": expected " + expected + ", got " + v.dump());
          out = v.get<T>();
        },
        field.member);
    if (const std::string problem = OptionProblem(options, field); !problem.empty()) throw BadInput(where, name + ": " + problem);
  }
}

// Refuses any member of `object` not in `known`: a typo must not fall back to a default.
inline void RefuseUnknownFields(const nlohmann::json& object, const std::set<std::string>& known, const std::string& where,
                                const std::string& prefix) {
  if (!object.is_object()) return;
  for (const auto& [key, v] : object.items()) {
    if (known.count(key)) continue;
    std::string list;
    for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
    throw BadInput(where, "field " + prefix + key + ": unknown (known: " + list + ")");
  }
}

}  // namespace shapeq
