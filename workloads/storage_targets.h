#pragma once
// What the storage kernels run on: raw block devices judged by their device number, or a
// private scratch file fio reaches only through shapeq's own descriptor.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "model/fingerprint.h"

namespace shapeq {

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

// The targets a storage run measures, one policy for `shapeq storage` and qualify: the devices
// named (with all_nvme, every NVMe drive the system does not run from too), else with
// `data_drives` every possible data drive (PossibleDataDrives), else a scratch file under
// `scratch_dir` of at most `scratch_cap_bytes`, which `scratch` holds (and removes) until it goes.
struct ChosenTargets {
  std::vector<StorageTarget> targets;
  std::unique_ptr<ScratchFile> scratch;
};
ChosenTargets ChooseStorageTargets(const Fingerprint& fp, std::vector<std::string> devices, bool all_nvme, bool data_drives,
                                   const std::string& scratch_dir, uint64_t scratch_cap_bytes);

}  // namespace shapeq
