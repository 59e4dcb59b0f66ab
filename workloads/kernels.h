#pragma once
// The measure kernels as one table (the way fio lists its ioengines): storage, network and data
// path, each with what it measures into, whether the plan runs it, how long it is planned to take
// and its run. Qualify walks the table; `shapeq storage`, `net` and `datapath` each run their
// entry. A kernel settles its plan's "auto" choices against the node itself (the drives through
// ChooseStorageTargets, the streams and CPUs through AutoNetPlacement): the same policy whoever
// runs it. A new kernel is one entry here and its module in workloads/.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/error.h"
#include "model/fingerprint.h"
#include "model/measurement.h"
#include "workloads/measure_plan.h"

namespace shapeq {

// Each kernel's file in a results directory (run_dir.h lists them with the others).
inline constexpr const char* kStorageFile = "storage.json";
inline constexpr const char* kNetworkFile = "network.json";
inline constexpr const char* kDatapathFile = "datapath.json";

// Where a kernel runs and who watches it.
struct KernelContext {
  const Fingerprint* fp = nullptr;  // the probed node; nullptr: the kernel probes when it must (a fleet never does)
  std::string scratch_dir;          // where a scratch file goes (removed when the run ends)
  // A line that stays (a kernel finished, with its figure and what is left); optional.
  std::function<void(const std::string& line)> step;
  // What runs right now and how fast, about once a second; optional (a log wants only the steps).
  std::function<void(const std::string& text, std::optional<double> seconds_left)> live;
};

struct MeasureKernel {
  const char* name;          // storage, network, datapath: the stage, the command and the plan's section
  const char* results_file;  // run_dir.h's name for its measurements
  bool single;               // one Measurement (a node's network run), not a list
  bool (*in_plan)(const MeasurePlan& plan);
  double (*planned_s)(const MeasurePlan& plan);  // for the ETA; 0: the kernel's own progress says
  // Plan in, Measurements out. A kernel that ran and failed is a Measurement with status failed
  // and its reason; Error only when it cannot run at all (no fio, no peer, bad input).
  std::vector<Measurement> (*run)(const MeasurePlan& plan, const KernelContext& context);
  std::string (*summary)(const std::vector<Measurement>& measured, const MeasurePlan& plan);
};

const std::vector<MeasureKernel>& MeasureKernels();
// The entry named `name`; Error(kInternal) when there is none (a programming error).
const MeasureKernel& MeasureKernelNamed(const std::string& name);

// "5 of 6 kernels ok": a stage's summary, and its failure's.
std::string KernelsOkText(const std::vector<Measurement>& measured);

// A measure command's exit code: 130 when stopped by a signal, 5 when a kernel failed, 2 when
// nothing could run (every kernel skipped), else 0.
ExitCode KernelsExitCode(const std::vector<Measurement>& measured);

}  // namespace shapeq
