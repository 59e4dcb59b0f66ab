#pragma once
// Whether a storage kernel may touch a raw block device, judged by what the device is (its
// device number, from fstat of the opened node), never by its file name: a node or link named
// after a free drive but pointing at a mounted one is the mounted one. Reads are always allowed.
// Writes need the user's explicit --allow-destructive, and are refused even then when the device
// is mounted, partitioned, held (md, LVM, dm, swap), read-only or the disk the system runs from;
// right before fio starts, the kernel is asked for an exclusive claim on it too (DeviceClaims).
#include <optional>
#include <string>
#include <vector>

#include "model/fingerprint.h"

namespace shapeq {

// A block device as the kernel names it: "MAJOR:MINOR" (the probe's linux_device_id).
// BadInput(path, ...) when `path` is missing or not a block device. Links are followed; what
// counts is the node they end at.
std::string BlockDeviceId(const std::string& path);

// The canonical node of a block device: /dev/NAME for the kernel's NAME of `device_id`, checked
// to be that very device. BadInput naming `given` when there is none.
std::string CanonicalDevicePath(const std::string& device_id, const std::string& given);

// The probed drive with this device number, or null.
const Drive* FindDriveById(const Fingerprint& fp, const std::string& device_id);

// nullopt when allowed; otherwise the one-line reason, naming the device (`shown`: the path as
// given, and the node it is when that differs).
std::optional<std::string> RefuseDeviceWrites(const Fingerprint& fp, const std::string& device_id, const std::string& shown,
                                              bool allow_destructive);

// Exclusive claims (O_EXCL) on raw devices, held while fio writes them: the kernel refuses the
// claim for a device that is mounted, held by md/dm or in use as swap at this moment, and while
// it is held nothing can mount it. Each node is opened without following a link and checked to
// still be the device the plan judged.
class DeviceClaims {
 public:
  DeviceClaims() = default;
  ~DeviceClaims();
  DeviceClaims(const DeviceClaims&) = delete;
  DeviceClaims& operator=(const DeviceClaims&) = delete;
  // nullopt when claimed; otherwise why not, naming the device.
  std::optional<std::string> Claim(const std::string& path, const std::string& device_id);

 private:
  std::vector<int> fds_;
};

}  // namespace shapeq
