// Where the storage kernels run: raw block devices the probe knows, or a scratch file.
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>

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

ScratchFile::ScratchFile(const std::string& dir, uint64_t cap_bytes, const std::string& tag) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  struct statvfs vfs {};
  if (ec || statvfs(dir.c_str(), &vfs) != 0) throw Error(ExitCode::kEnvironment, dir + ": cannot use it for a scratch file: " + (ec ? ec.message() : std::strerror(errno)));
  const uint64_t free_bytes = static_cast<uint64_t>(vfs.f_bavail) * vfs.f_frsize;
  const uint64_t size = std::min(cap_bytes, free_bytes / 2) / kMiB * kMiB;
  if (size < kMinScratchBytes) {
    throw Error(ExitCode::kEnvironment, dir + ": only " + std::to_string(free_bytes / kMiB) + " MiB free; a scratch file needs " +
                                            std::to_string(2 * kMinScratchBytes / kMiB) + " MiB free (choose another --dir)");
  }
  target_.path = (fs::absolute(dir) / ("shapeq-scratch-" + std::to_string(getpid()) + tag + ".dat")).string();
  target_.name = "scratch";
  target_.size_bytes = size;
}

ScratchFile::~ScratchFile() { unlink(target_.path.c_str()); }

std::vector<std::string> PossibleDataDrives(const Fingerprint& fp) {
  std::vector<std::string> paths;
  for (const auto& d : fp.drives) {
    if (d.kind != "loop" && NotDataDriveReason(d).empty()) paths.push_back("/dev/" + d.name);
  }
  return paths;
}

void RequireBlockDevice(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) throw BadInput(path, "no such device");
  if (!S_ISBLK(st.st_mode)) throw BadInput(path, "not a block device");
}

std::vector<StorageTarget> DeviceTargets(const Fingerprint& fp, std::vector<std::string> devices, bool all_nvme) {
  if (all_nvme) {
    const size_t named = devices.size();
    for (const auto& d : fp.drives) {
      if (d.kind == "nvme" && !d.system_disk) devices.push_back("/dev/" + d.name);
    }
    if (devices.size() == named) throw Error(ExitCode::kEnvironment, "--all-nvme: the probe found no NVMe drive the system does not run from");
  }
  std::vector<StorageTarget> targets;
  for (const auto& path : devices) {
    CheckFioValue("device", path, ":");
    RequireBlockDevice(path);
    StorageTarget t;
    t.path = path;
    t.raw_device = true;
    t.name = path.substr(path.rfind('/') + 1);
    if (const Drive* d = FindDrive(fp, path)) {
      t.size_bytes = d->capacity_bytes;
      t.cpus = d->locality.cpus;
      t.nvme = d->kind == "nvme";
    }
    targets.push_back(t);
  }
  return targets;
}

}  // namespace shapeq
