#include "workloads/device_safety.h"

#include <filesystem>

namespace shapeq {

const Drive* FindDrive(const Fingerprint& fp, const std::string& device_path) {
  const std::string name = std::filesystem::path(device_path).filename().string();
  for (const auto& drive : fp.drives) {
    if (drive.name == name) return &drive;
  }
  return nullptr;
}

std::optional<std::string> RefuseDeviceWrites(const Fingerprint& fp, const std::string& device_path, bool allow_destructive) {
  const Drive* drive = FindDrive(fp, device_path);
  const std::string who = device_path + ": refusing to write";
  if (!drive) return who + ": the probe found no such drive";
  if (drive->system_disk) return who + ": it holds the running system (" + (drive->mountpoints.empty() ? "via a holder" : drive->mountpoints.front()) + ")";
  if (drive->mounted) return who + ": it is mounted on " + drive->mountpoints.front();
  if (drive->held) return who + ": it is held by " + (drive->holders.empty() ? std::string("swap") : drive->holders.front());
  if (drive->partitioned) return who + ": it has partitions (" + drive->partitions.front() + ")";
  if (!allow_destructive) return who + " without --allow-destructive (its data would be destroyed)";
  return std::nullopt;
}

}  // namespace shapeq
