#pragma once
// The storage options: one struct, one field table (StorageOptionFields) that a plan file and the
// command line both go through, and their checks.
#include <optional>
#include <string>
#include <vector>

#include "common/option_fields.h"

namespace shapeq {

struct StorageKernelSpec;

struct StorageOptions {
  std::vector<std::string> kernels;  // empty: every kernel
  double runtime_s = 20;
  double ramp_s = 3;                 // excluded from the figures (fio ramp_time)
  unsigned repeats = 3;
  unsigned seq_iodepth = 0;          // 0: from the fingerprint (NVMe 32, other 16)
  unsigned rand_iodepth = 0;         // 0: from the fingerprint (NVMe 64, other 32)
  unsigned numjobs = 0;              // 0: from the fingerprint (local cores / local drives, 1..4)
  std::string steady_state = "iops_slope:2%";  // fio steadystate=; empty: off
  double latency_target_ms = 1.0;
  double latency_percentile = 99;
  std::string ioengine = "io_uring";
  bool direct = true;                // O_DIRECT: bypass the page cache
  bool precondition = false;         // run PreconditionSteps on each target first (writes: same safety rules)
  bool allow_destructive = false;
  bool force_async = false;          // io_uring's IOSQE_ASYNC on every I/O (see StorageOptionFields)
  // The served kernels' erasure code (served_write encodes k+m on every block). 0: not chosen;
  // qualify fills in the model's scheme (ServedErasureCode), `shapeq storage` its default.
  unsigned ec_k = 0, ec_m = 0;
  std::string fio = "fio";           // the binary
  // The suite's ioengine (shapeq_datapath.so) for the served kernels; empty: not built, and the
  // served kernels are skipped with that reason. Like the fio binary, never a plan field.
  std::string served_engine;
};

// served_write's erasure code where no model is at hand (`shapeq storage`): ec-146+4, the
// scheme a measured node is scored under by default (kMeasuredDefaultProtection).
inline constexpr unsigned kDefaultServedK = 146, kDefaultServedM = 4;

// The suite's ioengine this build made (SHAPEQ_IOENGINE overrides); empty when it was not built.
std::string BuiltServedEngine();
// `options` ready for the served kernels: the engine this build made, and the default code
// (kDefaultServedK + kDefaultServedM) where neither ec_k nor ec_m was chosen.
StorageOptions WithServedDefaults(StorageOptions options);

// Every option a plan file, the command line and a measurement's params name, with its range.
// "iodepth" sets both queue depths (callers copy seq_iodepth to rand_iodepth). Not here, on
// purpose: the fio binary (a plan file must not choose what runs).
const std::vector<OptionField<StorageOptions>>& StorageOptionFields();

// --quick, the one definition qualify and `shapeq storage` share: short runs that show the stage
// works, not figures to quote (2 s after a 0.5 s ramp, one repeat, a 256 MiB scratch file).
StorageOptions QuickStorageOptions(StorageOptions options);
inline constexpr uint64_t kQuickScratchMib = 256;

// fio's steady-state window for a run of `runtime_s`: half the run, at most 10 s. fio samples
// once a second and fits a slope, so a window under kMinSteadyStateWindowS has too few samples
// (fio prints -nan): such runs go without steady-state detection. nullopt: off.
inline constexpr double kMinSteadyStateWindowS = 3;
std::optional<double> SteadyStateWindowS(const StorageKernelSpec& kernel, const StorageOptions& options);

// Throws Error(kUsage) naming the field (kernels, runtime_s, ioengine, steady_state ...) for a
// value that makes no sense or that fio would read as job-file syntax (a newline, '[', ';', '#'),
// an ioengine the installed fio does not list (or one that is not storage I/O, like exec), or a
// steady_state outside fio's grammar.
void ValidateStorageOptions(const StorageOptions& options);
// fio's steadystate= grammar: (iops|iops_slope|bw|bw_slope):NUMBER[%].
bool FioSteadyStateValue(const std::string& value);

}  // namespace shapeq
