#pragma once
// The verdict's figures, one row each: how it is read from a Verdict, its key in verdicts.json,
// the name and unit the CSV and a claim give it, and its Prometheus gauge. verdicts.json, the CSV, the
// metrics and claims all read a figure through this table.
#include <optional>
#include <string>
#include <vector>

#include "scoring/verdict.h"

namespace shapeq {

struct VerdictFigure {
  const char* name;  // in the CSV and claims, in `unit`: usable_pb, read_tbps
  const char* unit;  // what one of `name` is: "PB", "TB/s", "$/month"
  std::optional<double> (*held)(const Verdict&);  // as the Verdict holds it (bytes, bytes/s, kW, $)
  double held_per_unit;    // 1e15 for usable_pb: bytes per PB
  const char* metric;      // its Prometheus gauge, in base units, or nullptr when not exported
  double metric_per_held;  // 1e3 for kW -> watts
  const char* help;
  bool in_csv = true;      // a column of `shapeq score --csv` (and the report's CSV)
  const char* json_key = nullptr;  // its key in verdicts.json's verdict (held as is), or nullptr when it sits elsewhere
  std::optional<double> InUnit(const Verdict& v) const {
    const auto value = held(v);
    return value ? std::optional(*value / held_per_unit) : std::nullopt;
  }
  std::optional<double> InMetric(const Verdict& v) const {
    const auto value = held(v);
    return value ? std::optional(*value * metric_per_held) : std::nullopt;
  }
};

// In the CSV's column order.
const std::vector<VerdictFigure>& VerdictFigures();
// The row named `name`, or nullptr.
const VerdictFigure* FindVerdictFigure(const std::string& name);

}  // namespace shapeq
