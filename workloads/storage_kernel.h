#pragma once
// The storage kernels: fio jobs generated from a plan (never hand-written per machine), run per
// drive and on all drives at once, each job pinned to the CPUs local to its drive.
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/option_fields.h"
#include "model/fingerprint.h"
#include "model/measurement.h"

namespace shapeq {

// One kernel, as data: what fio runs for it.
struct StorageKernelSpec {
  const char* name;
  const char* rw;          // fio rw=
  const char* block_size;  // fio bs=
  int read_percent;        // rwmixread= for mixed kernels, else -1
  bool writes;
  bool latency_bounded;    // highest IOPS whose percentile latency stays under the bound
  bool once_over;          // the whole target once (a fill), not for a time
  const char* help;
  // Served kernels run through the suite's ioengine with this data path on every block ("crc",
  // "ec"); nullptr: fio's own engine (StorageOptions::ioengine), the drives alone.
  const char* datapath = nullptr;
};
const std::vector<StorageKernelSpec>& StorageKernels();
// Preconditioning, as the cloud vendors' own qualification does: fill the target once
// sequentially, then random-write it, so measurements see a drive in steady use.
const std::vector<StorageKernelSpec>& PreconditionSteps();
// How many times `kernel` runs: a preconditioning step once (it prepares, it is not quoted),
// a measuring kernel options.repeats times. The one rule the node's and the fleet's runs share.
unsigned RunsOf(const StorageKernelSpec& kernel, unsigned repeats);

struct StorageTarget {
  std::string path;        // what fio opens: a scratch file's /proc/PID/fd/N, or /dev/nvme0n1
  std::string name;        // short: nvme0n1, scratch
  bool raw_device = false;
  uint64_t size_bytes = 0;
  std::string cpus;        // local CPUs (fio cpus_allowed); empty: anywhere
  bool nvme = false;
  std::string device_id;   // raw devices: "MAJOR:MINOR", what every write check goes by
  // What reports name: a scratch file's own path, or the device as given ("/dev/disk/by-id/X
  // (/dev/nvme0n1)" when it was given by another name). Empty: `path`.
  std::string shown;
};
// `shown`, or `path` when there is nothing else to show.
std::string ShownPath(const StorageTarget& target);

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

// The fio job file for `kernel` over `targets`: one job section per target, each its own
// reporting group, all running at once. `jobs_per_target` (served kernels): that many jobs in
// each target's section, each reading or writing its own slice of the target.
std::string FioJobFile(const StorageKernelSpec& kernel, const std::vector<StorageTarget>& targets, const StorageOptions& options,
                       unsigned seq_iodepth, unsigned rand_iodepth, unsigned numjobs, const std::vector<unsigned>& jobs_per_target = {});

// Queue depth and job count for these targets on this node.
struct StorageDepths {
  unsigned seq_iodepth, rand_iodepth, numjobs;
};
StorageDepths PlanDepths(const Fingerprint& fp, const std::vector<StorageTarget>& targets, const StorageOptions& options);


// Served kernels spread their jobs over all cores by NUMA locality: each target gets the CPUs
// local to it that this process may use, shared evenly among the targets local to the same CPUs
// (at least one job each).
// `usable_cpus`: the CPUs fio's threads may run on (ThisProcessCpus()); nullopt: all of them.
unsigned ServedJobsFor(const Fingerprint& fp, const std::vector<StorageTarget>& targets, const StorageTarget& target,
                       const std::optional<std::set<unsigned>>& usable_cpus = std::nullopt);
// The CPUs this process may run on (its affinity: a taskset or a cpuset); nullopt if unknown.
std::optional<std::set<unsigned>> ThisProcessCpus();

// One fio run the plan holds: a kernel over all targets.
struct StorageJob {
  const StorageKernelSpec* kernel;
  std::vector<StorageTarget> targets;
  StorageDepths depths;
  std::string job_file;      // empty when `skipped` says why it cannot run
  std::string skipped;
  std::vector<unsigned> jobs_per_target;  // served kernels: ServedJobsFor each target
};
// Raw block devices as targets, each judged by its device number: the path fio gets is the
// device's canonical /dev node (a link or another node of the same device is resolved and named),
// with its size and local CPUs from the probe; `all_nvme` adds every NVMe drive the system does
// not run from. Throws BadInput for a path that is not a block device or names one device twice,
// Error(kEnvironment) when --all-nvme finds none. Writing them is decided per kernel
// (RefuseDeviceWrites, then DeviceClaims right before fio starts), not here.
std::vector<StorageTarget> DeviceTargets(const Fingerprint& fp, std::vector<std::string> devices, bool all_nvme);
// The drives a qualify with no device named measures raw: every possible data drive
// (NotDataDriveReason empty), loop devices aside (a file on another drive: name it with
// --device). Reads never change a byte; writes stay refused without --allow-destructive.
std::vector<std::string> PossibleDataDrives(const Fingerprint& fp);
// The check DeviceTargets makes of each path, for callers that check before they probe.
void RequireBlockDevice(const std::string& path);
// A target's path, name and CPU list as fio may read them (no job syntax, no ':' in a path):
// Error(kUsage) naming the field otherwise.
void CheckStorageTarget(const StorageTarget& target);

// The kernels a run does, in order: the preconditioning steps when asked, then `kernels` (all
// when empty), in StorageKernels() order.
std::vector<const StorageKernelSpec*> SelectedKernels(const StorageOptions& options);

// One job per kernel (preconditioning steps first, when asked) over all targets at once, one
// reporting group per target.
std::vector<StorageJob> PlanStorageJobs(const Fingerprint& fp, const std::vector<StorageTarget>& targets, const StorageOptions& options);

// Runs every kernel on all targets at once: per-target figures in detail.per_target, the
// node's in the Measurement. Writes to raw
// devices are refused (and recorded as skipped) unless allowed and safe. A kernel that fails
// is a failed measurement with its reason and whatever fio reported; the others still run.
// Throws Error(kEnvironment) when fio cannot be run at all.
// `on_done` (optional) hears each measurement as it finishes, with how many of the planned jobs
// are done and the seconds the rest are planned to take: for progress and an ETA.
// `on_live` (optional) hears, about once a second, the running kernel's rate as fio's status line
// gives it, and the seconds the whole plan has left.
using StorageProgress = std::function<void(const Measurement& done, size_t finished, size_t total, double seconds_left)>;
struct StorageLive {
  std::string kernel, target;
  double bytes_per_s = 0, iops = 0;
  size_t finished = 0, total = 0;
  double seconds_left = 0;
};
using StorageLiveRate = std::function<void(const StorageLive&)>;
std::vector<Measurement> RunStorage(const Fingerprint& fp, const std::vector<StorageTarget>& targets, const StorageOptions& options,
                                    const StorageProgress& on_done = {}, const StorageLiveRate& on_live = {});

// A scratch file sized min(cap, half the free space of `dir`); Error(kEnvironment) naming the
// directory when under 64 MiB would be free for it. shapeq makes it itself, in a fresh private
// directory (mkdtemp, 0700) under `dir`, with O_CREAT|O_EXCL|O_NOFOLLOW, and writes it whole with
// random bytes (nothing on the way makes reads cheaper than real data). fio is handed only
// /proc/PID/fd/N of the descriptor held here: it opens this very file whatever names, links or
// variables anyone puts into `dir`. The destructor removes the file and the directory through
// the descriptors it opened them by.
class ScratchFile {
 public:
  explicit ScratchFile(const std::string& dir, uint64_t cap_bytes);
  ~ScratchFile();
  ScratchFile(const ScratchFile&) = delete;
  ScratchFile& operator=(const ScratchFile&) = delete;
  StorageTarget target() const { return target_; }

 private:
  void Remove();  // the file and its directory, by the descriptors they were made through
  StorageTarget target_;
  int parent_fd_ = -1, dir_fd_ = -1, file_fd_ = -1;
  std::string dir_name_;
};

}  // namespace shapeq
