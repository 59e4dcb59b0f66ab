#include "workloads/device_safety.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "common/error.h"

namespace shapeq {
namespace {

std::string IdOf(const struct stat& st) { return std::to_string(major(st.st_rdev)) + ":" + std::to_string(minor(st.st_rdev)); }

// The kernel's name for a device number (DEVNAME in /sys/dev/block/ID/uevent), or "".
std::string KernelName(const std::string& device_id) {
  std::ifstream uevent("/sys/dev/block/" + device_id + "/uevent");
  for (std::string line; std::getline(uevent, line);) {
    if (line.rfind("DEVNAME=", 0) == 0) return line.substr(8);
  }
  return "";
}

}  // namespace

std::string BlockDeviceId(const std::string& path) {
  // O_PATH: the node itself, without opening the device (no driver open, no media spin-up).
  const int fd = open(path.c_str(), O_PATH | O_CLOEXEC);
  if (fd < 0) throw BadInput(path, errno == ENOENT ? "no such device" : std::string("cannot open: ") + std::strerror(errno));
  struct stat st {};
  const int rc = fstat(fd, &st);
  close(fd);
  if (rc != 0 || !S_ISBLK(st.st_mode)) throw BadInput(path, "not a block device");
  return IdOf(st);
}

std::string CanonicalDevicePath(const std::string& device_id, const std::string& given) {
  const std::string name = KernelName(device_id);
  if (name.empty() || name.find("..") != std::string::npos) throw BadInput(given, "block device " + device_id + " has no name in /sys/dev/block");
  const std::string canonical = "/dev/" + name;
  struct stat st {};
  if (lstat(canonical.c_str(), &st) != 0 || !S_ISBLK(st.st_mode) || IdOf(st) != device_id) {
    throw BadInput(given, "is block device " + device_id + ", but " + canonical + " is not that device node");
  }
  return canonical;
}

const Drive* FindDriveById(const Fingerprint& fp, const std::string& device_id) {
  for (const auto& drive : fp.drives) {
    if (!device_id.empty() && drive.linux_device_id == device_id) return &drive;
  }
  return nullptr;
}

std::optional<std::string> RefuseDeviceWrites(const Fingerprint& fp, const std::string& device_id, const std::string& shown,
                                              bool allow_destructive) {
  const Drive* drive = FindDriveById(fp, device_id);
  const std::string who = shown + ": refusing to write";
  if (!drive) return who + ": the probe found no drive with device number " + (device_id.empty() ? "(none)" : device_id);
  if (drive->system_disk) return who + ": it holds the running system (" + (drive->mountpoints.empty() ? "via a holder" : drive->mountpoints.front()) + ")";
  if (drive->mounted) return who + ": it is mounted on " + drive->mountpoints.front();
  if (drive->held) return who + ": it is held by " + (drive->holders.empty() ? std::string("swap") : drive->holders.front());
  if (drive->partitioned) return who + ": it has partitions (" + drive->partitions.front() + ")";
  if (drive->read_only) return who + ": it is read-only";
  if (!allow_destructive) return who + " without --allow-destructive (its data would be destroyed)";
  return std::nullopt;
}

std::optional<std::string> DeviceClaims::Claim(const std::string& path, const std::string& device_id) {
  const int fd = open(path.c_str(), O_RDONLY | O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    const int saved = errno;
    if (saved == EBUSY) return path + ": refusing to write: it is in use (mounted, held or swap): the kernel refused an exclusive claim";
    return path + ": refusing to write: cannot claim it: " + std::strerror(saved);
  }
  struct stat st {};
  if (fstat(fd, &st) != 0 || !S_ISBLK(st.st_mode) || IdOf(st) != device_id) {
    close(fd);
    return path + ": refusing to write: it is no longer device " + device_id;
  }
  fds_.push_back(fd);
  return std::nullopt;
}

DeviceClaims::~DeviceClaims() {
  for (const int fd : fds_) close(fd);
}

}  // namespace shapeq
