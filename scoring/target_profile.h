#pragma once
// A target profile: what a customer needs (requirements, limits, the losses to survive), or the
// GPU scenario that sizes its capacity. Held in SI. Docs: docs/profiles.md.
#include <optional>
#include <string>
#include <vector>

namespace shapeq {

struct Target {
  std::string name;
  std::string title;
  std::string file;
  std::string protection;  // overrides the shape's scheme when set
  std::vector<std::string> sources;
  std::string note;
  // Requirements; empty when the customer did not set one.
  std::optional<double> usable_bytes;         // what the scorer sizes for: the largest of the three below
  std::optional<double> stated_usable_bytes;  // usable_pb as the profile states it
  // A GPU cluster's scenario, as inputs: capacity to keep `gpus` fed for `isolation_s` at
  // `bytes_per_s_per_gpu` x `duty` (a network cut), and capacity per GPU.
  std::optional<double> isolation_s;
  std::optional<double> bytes_per_s_per_gpu;
  std::optional<double> duty;
  std::optional<double> bytes_per_gpu;
  std::string usable_basis;  // which input sized usable_bytes, in words
  std::optional<double> read_bytes_per_s;
  std::optional<double> write_bytes_per_s;
  std::optional<double> iops_per_pb;
  std::optional<double> checkpoint_bytes;     // a checkpoint burst: this much...
  std::optional<double> checkpoint_window_s;  // ...written within this window
  std::optional<double> gpus;                 // for PB per GPU
  std::optional<double> p99_latency_s;
  std::optional<double> write_fraction;       // of the iops_per_pb operations, the share that are random writes
  // Availability: the losses the deployment must survive (drive, node or rack; empty: none
  // asked) and the longest a failed node's data may take to rebuild.
  std::string must_survive;
  std::optional<double> max_rebuild_s;
  // Limits the deployment must stay within.
  std::optional<double> budget_usd_per_pb_month;
  std::optional<double> max_racks;
  std::optional<double> max_kw;
  double data_reduction_ratio = 1.0;
};

struct TargetField {
  const char* name;
  std::optional<double> Target::*member;
  double to_si;
  const char* help;
};
const std::vector<TargetField>& TargetFields();

// Throws Error(kBadInput) naming the file and field.
Target LoadTarget(const std::string& path);

// A target's requirement or limit, or its data_reduction_ratio (the usable capacity derived again).
void SetTargetField(Target& target, const std::string& field, double profile_value);
// usable_bytes from the stated figure and the scenario (the largest), with usable_basis saying which.
void DeriveUsable(Target& target);

}  // namespace shapeq
