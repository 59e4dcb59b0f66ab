#include "probes/block_usage.h"

#include <algorithm>
#include <set>
#include <sstream>

namespace shapeq {
namespace {

// Mount tables escape blanks as octal (\040); decode so a mount point prints as it is.
std::string DecodeOctal(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 3 < text.size() && std::isdigit(static_cast<unsigned char>(text[i + 1]))) {
      out.push_back(static_cast<char>(std::stoi(text.substr(i + 1, 3), nullptr, 8)));
      i += 3;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

struct Mount {
  std::string device_id;  // "254:0" (mountinfo only)
  std::string source;     // "/dev/vda1"
  std::string mountpoint;
};

std::vector<Mount> ReadMounts(const SysRoot& sys) {
  std::vector<Mount> mounts;
  if (auto info = sys.ReadText("/proc/self/mountinfo")) {
    // id parent major:minor root mountpoint options [optional...] - fstype source superoptions
    std::istringstream lines(*info);
    for (std::string line; std::getline(lines, line);) {
      std::istringstream fields(line);
      std::vector<std::string> words;
      for (std::string word; fields >> word;) words.push_back(word);
      auto dash = std::find(words.begin(), words.end(), "-");
      if (words.size() < 5 || dash == words.end() || dash + 2 >= words.end()) continue;
      mounts.push_back({words[2], DecodeOctal(*(dash + 2)), DecodeOctal(words[4])});
    }
    return mounts;
  }
  // hwloc-gather-topology captures /proc/mounts only: source mountpoint fstype ...
  if (auto table = sys.ReadText("/proc/mounts")) {
    std::istringstream lines(*table);
    for (std::string line; std::getline(lines, line);) {
      std::istringstream fields(line);
      std::string source, mountpoint;
      if (fields >> source >> mountpoint) mounts.push_back({"", DecodeOctal(source), DecodeOctal(mountpoint)});
    }
  }
  return mounts;
}

std::set<std::string> ReadSwapDevices(const SysRoot& sys) {
  std::set<std::string> devices;
  if (auto swaps = sys.ReadText("/proc/swaps")) {
    std::istringstream lines(*swaps);
    std::string line;
    std::getline(lines, line);  // header
    while (std::getline(lines, line)) {
      std::istringstream fields(line);
      std::string device;
      if (fields >> device) devices.insert(device);
    }
  }
  return devices;
}

// A block device and what is built on it, each with the names a mount table may use for it.
struct Node {
  std::string name;        // sysfs name: vda1, dm-0
  std::string device_id;   // 254:1
  std::string mapper_name; // dm devices: /dev/mapper/<name>
};

// The drive's partitions, then every holder above the drive or a partition, transitively.
void CollectStack(const SysRoot& sys, const std::string& name, const std::string& path, int depth,
                  std::vector<Node>& stack, Drive& drive) {
  Node node{name, sys.ReadText(path + "/dev").value_or(""), sys.ReadText(path + "/dm/name").value_or("")};
  stack.push_back(node);
  if (depth > 8) return;  // a holder loop cannot exist, but a corrupt capture must not hang us
  for (const auto& holder : sys.List(path + "/holders")) {
    if (depth == 0 || std::find(drive.holders.begin(), drive.holders.end(), holder) == drive.holders.end()) {
      drive.holders.push_back(holder);
    }
    CollectStack(sys, holder, "/sys/class/block/" + holder, depth + 1, stack, drive);
  }
}

bool IsSystemMountpoint(const std::string& mountpoint) {
  return mountpoint == "/" || mountpoint == "/boot" || mountpoint == "/boot/efi" || mountpoint == "/usr" ||
         mountpoint == "/var";
}

}  // namespace

// What sysfs may say of one drive before it is junk (a hand-made or damaged captured root):
// 1 EiB, and 1 MiB blocks.
constexpr uint64_t kMaxSectors = (1ULL << 60) / 512;
constexpr uint64_t kMaxBlockBytes = 1ULL << 20;

void ReadBlockUsage(const SysRoot& sys, Drive& drive) {
  if (sys.empty()) return;
  const std::string base = "/sys/class/block/" + drive.name;
  if (!sys.Exists(base)) return;

  // Sysfs fallbacks for what hwloc did not report (it reads udev, which a capture may lack).
  if (drive.capacity_bytes == 0) {
    const auto sectors = ParseWholeNumber(sys.ReadText(base + "/size").value_or(""));
    if (sectors && *sectors <= kMaxSectors) drive.capacity_bytes = *sectors * 512ULL;
  }
  if (drive.logical_block_bytes == 0) {
    const auto lbs = ParseWholeNumber(sys.ReadText(base + "/queue/logical_block_size").value_or(""));
    if (lbs && *lbs <= kMaxBlockBytes) drive.logical_block_bytes = static_cast<uint32_t>(*lbs);
  }
  if (drive.model.empty()) drive.model = sys.ReadText(base + "/device/model").value_or("");
  if (drive.serial.empty()) {
    drive.serial = sys.ReadText(base + "/device/serial").value_or(sys.ReadText(base + "/serial").value_or(""));
  }
  if (drive.linux_device_id.empty()) drive.linux_device_id = sys.ReadText(base + "/dev").value_or("");
  if (auto rotational = sys.ReadText(base + "/queue/rotational")) drive.rotational = *rotational == "1";
  drive.read_only = sys.ReadText(base + "/ro").value_or("0") == "1";
  if (drive.backing_file.empty()) drive.backing_file = sys.ReadText(base + "/loop/backing_file").value_or("");

  std::vector<Node> stack;
  drive.holders.clear();
  drive.partitions.clear();
  CollectStack(sys, drive.name, base, 0, stack, drive);
  for (const auto& entry : sys.List(base)) {
    if (!sys.Exists(base + "/" + entry + "/partition")) continue;
    drive.partitions.push_back(entry);
    CollectStack(sys, entry, base + "/" + entry, 1, stack, drive);
  }
  drive.partitioned = !drive.partitions.empty();

  auto matches = [&stack](const std::string& device_id, const std::string& source) {
    for (const auto& node : stack) {
      if (!device_id.empty() && device_id == node.device_id) return true;
      if (source == "/dev/" + node.name) return true;
      if (!node.mapper_name.empty() && source == "/dev/mapper/" + node.mapper_name) return true;
    }
    return false;
  };
  drive.mountpoints.clear();
  for (const auto& mount : ReadMounts(sys)) {
    if (!matches(mount.device_id, mount.source)) continue;
    drive.mountpoints.push_back(mount.mountpoint);
    if (IsSystemMountpoint(mount.mountpoint)) drive.system_disk = true;
  }
  drive.mounted = !drive.mountpoints.empty();
  bool swap = false;
  for (const auto& device : ReadSwapDevices(sys)) swap = swap || matches("", device);
  drive.held = !drive.holders.empty() || swap;
}

std::string BlockDeviceKind(const std::string& name) {
  auto starts = [&name](const char* prefix) { return name.rfind(prefix, 0) == 0; };
  if (starts("nvme")) return "nvme";
  if (starts("vd")) return "virtio";
  if (starts("xvd")) return "xen";
  if (starts("sd")) return "scsi";
  if (starts("loop")) return "loop";
  if (starts("md")) return "md";
  if (starts("dm-")) return "dm";
  return "other";
}

std::vector<Drive> SysfsOnlyBlockDevices(const SysRoot& sys, const std::vector<Drive>& drives) {
  std::vector<Drive> found;
  if (sys.empty()) return found;
  for (const auto& name : sys.List("/sys/class/block")) {
    const std::string base = "/sys/class/block/" + name;
    if (std::any_of(drives.begin(), drives.end(), [&](const Drive& d) { return d.name == name; })) continue;
    if (sys.Exists(base + "/partition") || name.rfind("ram", 0) == 0 || name.rfind("zram", 0) == 0) continue;
    Drive drive;
    drive.name = name;
    drive.kind = BlockDeviceKind(name);
    drive.from_hwloc = false;
    if (drive.kind == "loop" && !sys.Exists(base + "/loop/backing_file")) continue;  // not set up
    ReadBlockUsage(sys, drive);
    if (drive.capacity_bytes == 0) continue;
    found.push_back(drive);
  }
  return found;
}

}  // namespace shapeq
