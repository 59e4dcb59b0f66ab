#include "scoring/target_profile.h"

#include <cstdio>

#include "common/error.h"
#include "scoring/profile_json.h"

namespace shapeq {
namespace {

// A profile value in SI (x to_si), or nothing when the profile leaves it out.
std::optional<double> InSi(std::optional<double> value, double to_si) {
  if (value) *value *= to_si;
  return value;
}

}  // namespace

const std::vector<TargetField>& TargetFields() {
  static const std::vector<TargetField> fields = {
      {"usable_pb", &Target::stated_usable_bytes, kPB, "usable capacity after protection and fill, PB (or from the scenario below)"},
      {"isolation_hours", &Target::isolation_s, kSecondsPerHour, "hours the GPUs must keep working from this storage alone (a network cut)"},
      {"gbytes_per_s_per_gpu", &Target::bytes_per_s_per_gpu, kGB, "data each GPU reads while working, GB/s (with isolation_hours)"},
      {"duty", &Target::duty, 1, "fraction of the isolation the GPUs read at that rate (default 1)"},
      {"pb_per_gpu", &Target::bytes_per_gpu, kPB, "usable PB per GPU"},
      {"read_tbps", &Target::read_bytes_per_s, kTB, "aggregate read, TB/s"},
      {"write_tbps", &Target::write_bytes_per_s, kTB, "aggregate write, TB/s"},
      {"iops_per_pb", &Target::iops_per_pb, 1, "random read IOPS per usable PB"},
      {"checkpoint_tb", &Target::checkpoint_bytes, kTB, "checkpoint size, TB"},
      {"checkpoint_window_s", &Target::checkpoint_window_s, 1, "seconds a checkpoint may take to write"},
      {"gpus", &Target::gpus, 1, "GPUs served (for PB per GPU)"},
      {"write_fraction", &Target::write_fraction, 1, "share of the iops_per_pb operations that are random writes (0, 1]"},
      {"p99_latency_ms", &Target::p99_latency_s, 1e-3, "p99 latency bound, ms"},
      {"max_rebuild_hours", &Target::max_rebuild_s, kSecondsPerHour, "longest a failed node's data may take to rebuild, hours"},
      {"budget_usd_per_pb_month", &Target::budget_usd_per_pb_month, 1, "price cap, $ per usable PB-month"},
      {"max_racks", &Target::max_racks, 1, "rack positions available"},
      {"max_kw", &Target::max_kw, 1, "power available, kW"},
  };
  return fields;
}

Target LoadTarget(const std::string& path) {
  const nlohmann::json json = ParseProfileFile(path);
  const FieldReader r(path, json);
  std::vector<std::string> names = {"schema", "schema_version", "title", "note", "sources", "protection",
                                    "data_reduction_ratio", "must_survive"};
  for (const auto& spec : TargetFields()) names.push_back(spec.name);
  r.OnlyFields(names);
  r.Schema("shapeq.target", 1);
  Target target;
  ReadProfileHead(r, path, target);
  target.note = r.String("note", false);
  target.protection = r.String("protection", false);
  if (const auto it = json.find("sources"); it != json.end()) {
    if (!it->is_array()) r.Fail("sources", "expected a list of strings");
    for (const auto& source : *it) {
      if (!source.is_string()) r.Fail("sources", "expected a list of strings");
      target.sources.push_back(source.get<std::string>());
    }
  }
  for (const auto& spec : TargetFields()) target.*spec.member = InSi(r.Number(spec.name, false), spec.to_si);
  target.data_reduction_ratio = r.Number("data_reduction_ratio", false).value_or(1.0);
  if (target.duty && *target.duty > 1) r.Fail("duty", "expected a fraction in (0, 1]");
  if (target.write_fraction && *target.write_fraction > 1) r.Fail("write_fraction", "expected a fraction in (0, 1]");
  target.must_survive = r.String("must_survive", false);
  if (!target.must_survive.empty() && target.must_survive != "drive" && target.must_survive != "node" && target.must_survive != "rack") {
    r.Fail("must_survive", "expected \"drive\", \"node\" or \"rack\"");
  }
  if (target.isolation_s.has_value() != target.bytes_per_s_per_gpu.has_value()) {
    r.Fail(target.isolation_s ? "gbytes_per_s_per_gpu" : "isolation_hours", "isolation_hours and gbytes_per_s_per_gpu go together");
  }
  if ((target.isolation_s || target.bytes_per_gpu) && !target.gpus) r.Fail("gpus", "missing: the scenario sizes capacity per GPU");
  DeriveUsable(target);
  if (!target.usable_bytes) r.Fail("usable_pb", "missing: every target states the usable capacity it needs, or a scenario that sizes it");
  if (target.checkpoint_bytes.has_value() != target.checkpoint_window_s.has_value()) {
    r.Fail(target.checkpoint_bytes ? "checkpoint_window_s" : "checkpoint_tb", "checkpoint_tb and checkpoint_window_s go together");
  }
  return target;
}

void DeriveUsable(Target& target) {
  char text[200];
  target.usable_bytes = target.stated_usable_bytes;
  target.usable_basis = target.stated_usable_bytes ? "stated" : "";
  auto consider = [&](std::optional<double> bytes, const std::string& basis) {
    if (bytes && (!target.usable_bytes || *bytes > *target.usable_bytes)) {
      target.usable_bytes = bytes;
      target.usable_basis = basis;
    }
  };
  if (target.gpus && target.isolation_s && target.bytes_per_s_per_gpu) {
    const double duty = target.duty.value_or(1);
    std::snprintf(text, sizeof text, "%g h of isolation x %g GPUs x %g GB/s each x duty %g", *target.isolation_s / kSecondsPerHour, *target.gpus,
                  *target.bytes_per_s_per_gpu / kGB, duty);
    consider(*target.gpus * *target.bytes_per_s_per_gpu * duty * *target.isolation_s, text);
  }
  if (target.gpus && target.bytes_per_gpu) {
    std::snprintf(text, sizeof text, "%g GPUs x %g PB each", *target.gpus, *target.bytes_per_gpu / kPB);
    consider(*target.gpus * *target.bytes_per_gpu, text);
  }
}

void SetTargetField(Target& target, const std::string& field, double profile_value) {
  if (field == "data_reduction_ratio") {
    CheckSetValue(target.name, field, profile_value);
    target.data_reduction_ratio = profile_value;
    return;
  }
  for (const auto& spec : TargetFields()) {
    if (field != spec.name) continue;
    CheckSetValue(target.name, field, profile_value);
    if ((field == "duty" || field == "write_fraction") && profile_value > 1) {
      throw Error(ExitCode::kUsage, "--set " + target.name + "." + field + ": expected a fraction in (0, 1]");
    }
    target.*spec.member = profile_value * spec.to_si;
    DeriveUsable(target);
    return;
  }
  throw Error(ExitCode::kUsage, field + " is not a target field");
}

}  // namespace shapeq
