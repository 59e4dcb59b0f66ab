#pragma once
// What `shapeq qualify` runs, as data: the built-in plans (--quick, the default) and a custom
// one from --plan FILE, which overrides the built-in plan field by field. The plan a run used is
// written to its results directory (plan.json), so a run can be repeated exactly.
//
//   {"schema": "shapeq.plan",
//    "storage":  {"kernels": ["seq_read", ...], "runtime_s": 10, "ramp_s": 2, "repeats": 2,
//                 "devices": ["/dev/nvme0n1"], "all_nvme": false, "allow_destructive": false,
//                 "precondition": false, "scratch_mib": 1024, "iodepth": 0, "numjobs": 0,
//                 "ioengine": "io_uring", "steady_state": "iops_slope:2%"},
//    "network":  {"enabled": true, "peer": "10.0.0.2:5201", "streams": 0, "direction": "up",
//                 "duration_s": 5, "warmup_s": 1, "repeats": 3},
//    "datapath": {"enabled": true, "min_time_s": 0.5, "repetitions": 3, "filter": ""},
//    "score":    {"profiles": "profiles/", "model": "default"}}
#include <string>

#include <nlohmann/json.hpp>

#include "workloads/measure_plan.h"

namespace shapeq::cli {

// The measure kernels' plan (workloads/measure_plan.h) and the score stage's choices.
struct QualifyPlan : MeasurePlan {
  std::string name;          // quick, default, or the plan file's path
  std::string profiles;      // empty: $SHAPEQ_PROFILES or the installed catalog
  std::string model = "default";
  bool scale_from_subset = false;  // a storage run on some of the drives scaled up to all (marked derived)
};

QualifyPlan QuickPlan();
QualifyPlan DefaultPlan();

// `base` with the fields the file sets. Throws BadInput naming the file and the field for
// malformed JSON, a wrong type, an unknown field, or a value the kernels refuse.
QualifyPlan ReadPlanFile(const std::string& path, QualifyPlan base);

nlohmann::json PlanJson(const QualifyPlan& plan);

}  // namespace shapeq::cli
