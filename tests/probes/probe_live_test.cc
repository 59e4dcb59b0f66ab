// The probe on this machine agrees with what the OS itself says: nproc, /proc/meminfo, sysfs.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "common/subprocess.h"
#include "probes/probe.h"

namespace shapeq {
namespace {

namespace fs = std::filesystem;

const Fingerprint& Live() {
  static const Fingerprint fp = Probe({});
  return fp;
}

std::string ReadLine(const fs::path& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

// Devices the kernel puts under a PCI path: what hwloc's I/O discovery can see.
std::set<std::string> PciBackedEntries(const fs::path& dir, const char* device_link) {
  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) {
    std::error_code ec;
    const auto real = fs::canonical(entry.path() / device_link, ec);
    if (!ec && real.string().find("/pci") != std::string::npos) names.insert(entry.path().filename());
  }
  return names;
}

TEST(ProbeLive, CpuCountAgreesWithNproc) {
  const ProcessResult nproc = RunProcess({"nproc"});
  ASSERT_EQ(nproc.exit_code, 0);
  EXPECT_EQ(Live().cpu.hardware_threads, static_cast<unsigned>(std::stoul(nproc.stdout_text)));
  EXPECT_GE(Live().cpu.hardware_threads, Live().cpu.cores);
  EXPECT_GE(Live().cpu.numa_nodes, 1u);
}

TEST(ProbeLive, MemoryAgreesWithProcMeminfo) {
  std::ifstream meminfo("/proc/meminfo");
  std::string key;
  uint64_t kib = 0;
  meminfo >> key >> kib;
  ASSERT_EQ(key, "MemTotal:");
  EXPECT_EQ(Live().memory.os_total_bytes, std::optional<uint64_t>(kib * 1024));
  EXPECT_GT(Live().memory.total_bytes, 0u);
}

// hwloc's drives are the PCI-backed block devices; the others come from sysfs. (Only hwloc's
// set is compared whole: other tests attach and detach loop devices while this one runs.)
TEST(ProbeLive, DrivesAreThePciBlockDevicesInSysfsAndTheRestFromSysfs) {
  std::set<std::string> from_hwloc;
  for (const auto& d : Live().drives) {
    if (d.from_hwloc) from_hwloc.insert(d.name);
    EXPECT_FALSE(fs::exists("/sys/class/block/" + d.name + "/partition")) << d.name << " is a partition";
    if (!d.from_hwloc && !fs::exists("/sys/class/block/" + d.name)) continue;  // detached since
    const uint64_t sectors = std::stoull(ReadLine("/sys/class/block/" + d.name + "/size"));
    if (d.from_hwloc) {
      EXPECT_EQ(d.capacity_bytes, sectors * 512) << d.name;
    }
    EXPECT_GT(d.capacity_bytes, 0u) << d.name;
    EXPECT_NE(d.kind, "other") << d.name;
  }
  EXPECT_EQ(from_hwloc, PciBackedEntries("/sys/block", "device"));
}

TEST(ProbeLive, NicsAreThePciNetworkDevicesInSysfs) {
  std::set<std::string> probed;
  for (const auto& nic : Live().nics) probed.insert(nic.name);
  EXPECT_EQ(probed, PciBackedEntries("/sys/class/net", "device"));
}

TEST(ProbeLive, TheDiskHoldingRootIsTheSystemDisk) {
  struct stat root {};
  ASSERT_EQ(stat("/", &root), 0);
  // "/" may sit on the disk itself or on a partition of it.
  const std::string dev = std::to_string(major(root.st_dev)) + ":" + std::to_string(minor(root.st_dev));
  std::error_code ec;
  fs::path node = fs::canonical("/sys/dev/block/" + dev, ec);
  if (ec) GTEST_SKIP() << "/ is not on a block device (" << dev << ")";
  if (fs::exists(node / "partition")) node = node.parent_path();
  const std::string disk = node.filename();
  bool found = false;
  for (const auto& d : Live().drives) {
    if (d.name != disk) continue;
    found = true;
    EXPECT_TRUE(d.system_disk) << disk;
    EXPECT_TRUE(d.mounted) << disk;
  }
  if (!found) GTEST_SKIP() << "/ is on " << disk << ", which hwloc does not list (not PCI-backed)";
}

}  // namespace
}  // namespace shapeq
