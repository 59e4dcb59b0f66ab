#pragma once
// The measure stages qualify runs, in order, as one table (the way fio lists its ioengines):
// each binds a kernel to the plan, the fingerprint and the progress display. Qualify iterates
// the table; a new kernel is one entry here and its module in workloads/.
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/progress.h"
#include "cli/qualify_plan.h"
#include "model/fingerprint.h"
#include "model/measurement.h"

namespace shapeq::cli {

struct StageInputs {
  const QualifyPlan& plan;
  const Fingerprint& fp;
  const std::filesystem::path& dir;  // the results directory (a scratch file may go under it)
  Progress& progress;
  nlohmann::json& manifest;          // for what a kernel learns of its tools (fio's version)
};

struct MeasureStage {
  const char* name;          // the manifest's stage name: storage, network, datapath
  const char* results_file;  // run_dir.h's name for its measurements
  bool single;               // the file holds one Measurement, not a list
  bool (*in_plan)(const QualifyPlan& plan);
  double (*planned_s)(const QualifyPlan& plan);  // for the ETA; 0: the stage's own progress says
  // Plan in, Measurements out. A kernel that ran and failed is a Measurement with status failed
  // and its reason; Error only when the kernel cannot run at all (no fio, no peer).
  std::vector<Measurement> (*run)(const StageInputs& in);
  std::string (*summary)(const std::vector<Measurement>& measured, const QualifyPlan& plan);
};

const std::vector<MeasureStage>& MeasureStages();

// "5 of 6 kernels ok": a stage's summary, and its failure's.
std::string KernelsOkText(const std::vector<Measurement>& measured);

}  // namespace shapeq::cli
