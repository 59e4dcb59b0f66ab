#pragma once
// Whether a storage kernel may touch a raw block device. Reads are always allowed. Writes need
// the user's explicit --allow-destructive, and are refused even then when the device is
// mounted, partitioned, held (md, LVM, dm, swap) or the disk the system runs from.
#include <optional>
#include <string>

#include "model/fingerprint.h"

namespace shapeq {

// nullopt when allowed; otherwise the one-line reason, naming the device.
std::optional<std::string> RefuseDeviceWrites(const Fingerprint& fp, const std::string& device_path, bool allow_destructive);

// The probed drive behind /dev/NAME, or null.
const Drive* FindDrive(const Fingerprint& fp, const std::string& device_path);

}  // namespace shapeq
