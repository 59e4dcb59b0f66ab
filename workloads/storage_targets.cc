// Where the storage kernels run: raw block devices the probe knows, or a scratch file.
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <random>
#include <set>

#include "common/error.h"
#include "workloads/device_safety.h"
#include "workloads/fio_runner.h"
#include "workloads/storage_kernel.h"

namespace shapeq {
namespace {

namespace fs = std::filesystem;

constexpr uint64_t kMiB = 1ULL << 20;
constexpr uint64_t kMinScratchBytes = 64 * kMiB;

}  // namespace

std::string ShownPath(const StorageTarget& target) { return target.shown.empty() ? target.path : target.shown; }

void CheckStorageTarget(const StorageTarget& t) {
  // ':' separates files in filename=; the CPU list is hwloc's (digits, ',' and '-').
  CheckFioValue("filename", t.path, ":");
  CheckFioValue("target name", t.name, ":");
  if (t.cpus.find_first_not_of("0123456789,-") != std::string::npos) {
    throw Error(ExitCode::kUsage, "cpus_allowed: " + Quoted(t.cpus) + " is not a CPU list");
  }
}

ScratchFile::ScratchFile(const std::string& dir, uint64_t cap_bytes) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  // Everything below goes through descriptors: the directory as opened now, a private directory
  // made in it, and a file made in that, none of them by a name anyone else can swap.
  parent_fd_ = ec ? -1 : open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  struct statvfs vfs {};
  if (parent_fd_ < 0 || fstatvfs(parent_fd_, &vfs) != 0) {
    const std::string why = ec ? ec.message() : std::strerror(errno);
    if (parent_fd_ >= 0) close(parent_fd_);
    throw Error(ExitCode::kEnvironment, dir + ": cannot use it for a scratch file: " + why);
  }
  const uint64_t free_bytes = static_cast<uint64_t>(vfs.f_bavail) * vfs.f_frsize;
  const uint64_t size = std::min(cap_bytes, free_bytes / 2) / kMiB * kMiB;
  auto fail = [&](const std::string& why) {
    Remove();
    return Error(ExitCode::kEnvironment, dir + ": " + why);
  };
  if (size < kMinScratchBytes) {
    throw fail("only " + std::to_string(free_bytes / kMiB) + " MiB free; a scratch file needs " +
               std::to_string(2 * kMinScratchBytes / kMiB) + " MiB free (choose another --dir)");
  }
  // A fresh private directory: a random name, made here with mode 0700 (mkdirat fails on any
  // name that already exists, a planted link included).
  std::random_device random_seed;
  for (int attempt = 0; attempt < 100 && dir_fd_ < 0; ++attempt) {
    char name[40];
    std::snprintf(name, sizeof name, "shapeq-scratch-%08x%08x", random_seed(), random_seed());
    if (mkdirat(parent_fd_, name, 0700) != 0) {
      if (errno == EEXIST) continue;
      throw fail(std::string("cannot make a private directory for the scratch file: ") + std::strerror(errno));
    }
    dir_name_ = name;
    dir_fd_ = openat(parent_fd_, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (dir_fd_ < 0) throw fail(std::string("cannot open its private directory: ") + std::strerror(errno));
  }
  if (dir_fd_ < 0) throw fail("cannot make a private directory for the scratch file");
  file_fd_ = openat(dir_fd_, "scratch.dat", O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (file_fd_ < 0) throw fail(std::string("cannot create the scratch file: ") + std::strerror(errno));
  // Its blocks allocated first (where the file system can: 1 GiB then writes in 0.2 s here
  // instead of 2.9 s), then written whole with random bytes, so fio never lays it out (fio
  // would open it by name).
  if (fallocate(file_fd_, 0, 0, static_cast<off_t>(size)) != 0 && errno != EOPNOTSUPP) {
    throw fail(std::string("cannot allocate the scratch file: ") + std::strerror(errno));
  }
  // xorshift64*: random enough that no device compresses or deduplicates it, and fast enough
  // that writing the file costs what fio's own layout costs.
  std::vector<uint64_t> block(kMiB / sizeof(uint64_t));
  uint64_t state = (static_cast<uint64_t>(random_seed()) << 32 | random_seed()) | 1;
  for (uint64_t written = 0; written < size; written += kMiB) {
    for (auto& word : block) {
      state ^= state >> 12;
      state ^= state << 25;
      state ^= state >> 27;
      word = state * 0x2545F4914F6CDD1DULL;
    }
    if (pwrite(file_fd_, block.data(), kMiB, static_cast<off_t>(written)) != static_cast<ssize_t>(kMiB)) {
      throw fail(std::string("cannot write the scratch file: ") + (errno ? std::strerror(errno) : "short write"));
    }
  }
  if (fsync(file_fd_) != 0) throw fail(std::string("cannot write the scratch file: ") + std::strerror(errno));
  target_.path = "/proc/" + std::to_string(getpid()) + "/fd/" + std::to_string(file_fd_);
  target_.shown = (fs::absolute(dir) / dir_name_ / "scratch.dat").string();
  target_.name = "scratch";
  target_.size_bytes = size;
}

ScratchFile::~ScratchFile() { Remove(); }

void ScratchFile::Remove() {
  if (dir_fd_ >= 0) {
    unlinkat(dir_fd_, "scratch.dat", 0);
    close(dir_fd_);
    dir_fd_ = -1;
  }
  if (file_fd_ >= 0) close(file_fd_);
  file_fd_ = -1;
  if (parent_fd_ >= 0) {
    if (!dir_name_.empty()) unlinkat(parent_fd_, dir_name_.c_str(), AT_REMOVEDIR);
    close(parent_fd_);
    parent_fd_ = -1;
  }
}

std::vector<std::string> PossibleDataDrives(const Fingerprint& fp) {
  std::vector<std::string> paths;
  for (const auto& d : fp.drives) {
    if (d.kind != "loop" && NotDataDriveReason(d).empty()) paths.push_back("/dev/" + d.name);
  }
  return paths;
}

void RequireBlockDevice(const std::string& path) { BlockDeviceId(path); }

std::vector<StorageTarget> DeviceTargets(const Fingerprint& fp, std::vector<std::string> devices, bool all_nvme) {
  if (all_nvme) {
    const size_t named = devices.size();
    for (const auto& d : fp.drives) {
      if (d.kind == "nvme" && !d.system_disk) devices.push_back("/dev/" + d.name);
    }
    if (devices.size() == named) throw Error(ExitCode::kEnvironment, "--all-nvme: the probe found no NVMe drive the system does not run from");
  }
  std::vector<StorageTarget> targets;
  std::set<std::string> seen;
  for (const auto& given : devices) {
    CheckFioValue("device", given, ":");
    // What the device is, not what it is called: its number, then its own node under /dev.
    StorageTarget t;
    t.device_id = BlockDeviceId(given);
    t.path = CanonicalDevicePath(t.device_id, given);
    t.shown = t.path == given ? "" : given + " (" + t.path + ")";
    if (!seen.insert(t.device_id).second) {
      if (all_nvme) continue;  // named, and an NVMe drive --all-nvme adds too
      throw BadInput(given, "names device " + t.device_id + " (" + t.path + ") a second time");
    }
    t.raw_device = true;
    t.name = t.path.substr(t.path.rfind('/') + 1);
    if (const Drive* d = FindDriveById(fp, t.device_id)) {
      t.size_bytes = d->capacity_bytes;
      t.cpus = d->locality.cpus;
      t.nvme = d->kind == "nvme";
    }
    targets.push_back(t);
  }
  return targets;
}

ChosenTargets ChooseStorageTargets(const Fingerprint& fp, std::vector<std::string> devices, bool all_nvme, bool data_drives,
                                   const std::string& scratch_dir, uint64_t scratch_cap_bytes) {
  if (devices.empty() && !all_nvme && data_drives) devices = PossibleDataDrives(fp);
  ChosenTargets chosen;
  chosen.targets = DeviceTargets(fp, std::move(devices), all_nvme);
  if (chosen.targets.empty()) {
    chosen.scratch = std::make_unique<ScratchFile>(scratch_dir, scratch_cap_bytes);
    chosen.targets.push_back(chosen.scratch->target());
  }
  return chosen;
}

}  // namespace shapeq
