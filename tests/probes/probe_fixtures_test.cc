// The probe on fixtures of real-looking shapes: exact counts, sizes, link speeds and localities.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>

#include "probes/probe.h"
#include "tests/test_support.h"

namespace shapeq {
namespace {

using Numa = std::vector<unsigned>;

using test::ProbeFixtureShape;

const Drive& DriveNamed(const Fingerprint& fp, const std::string& name) {
  auto it = std::find_if(fp.drives.begin(), fp.drives.end(), [&](const Drive& d) { return d.name == name; });
  if (it == fp.drives.end()) throw std::runtime_error("no drive " + name);
  return *it;
}

const Nic& NicNamed(const Fingerprint& fp, const std::string& name) {
  auto it = std::find_if(fp.nics.begin(), fp.nics.end(), [&](const Nic& n) { return n.name == name; });
  if (it == fp.nics.end()) throw std::runtime_error("no NIC " + name);
  return *it;
}

// How many devices sit on each locality (a NUMA node list), e.g. {[0]: 11, [1]: 11}.
template <typename Device>
std::map<Numa, int> CountByLocality(const std::vector<Device>& devices) {
  std::map<Numa, int> counts;
  for (const auto& d : devices) ++counts[d.locality.numa_nodes];
  return counts;
}

constexpr uint64_t kGiB = 1ULL << 30;

TEST(ProbeFixtures, AzureL96sV4) {
  const Fingerprint fp = ProbeFixtureShape("azure-l96s-v4");
  EXPECT_EQ(fp.cpu.packages, 2u);
  EXPECT_EQ(fp.cpu.numa_nodes, 2u);
  EXPECT_EQ(fp.cpu.cores, 48u);
  EXPECT_EQ(fp.cpu.hardware_threads, 96u);
  EXPECT_EQ(fp.cpu.model, "INTEL(R) XEON(R) PLATINUM 8573C");
  EXPECT_EQ(fp.memory.total_bytes, 768 * kGiB);
  ASSERT_EQ(fp.numa.size(), 2u);
  EXPECT_EQ(fp.numa[0].memory_bytes, 384 * kGiB);
  EXPECT_EQ(fp.numa[0].cpus, "0-23,48-71");
  EXPECT_EQ(fp.numa[1].cpus, "24-47,72-95");
  EXPECT_EQ(fp.numa[1].cores, 24u);

  ASSERT_EQ(fp.drives.size(), 12u);
  for (const auto& d : fp.drives) {
    EXPECT_EQ(d.kind, "nvme") << d.name;
    EXPECT_EQ(d.capacity_bytes, 1'920'000'000'000ULL) << d.name;
    EXPECT_EQ(d.model, "Microsoft NVMe Direct Disk v2");
    EXPECT_EQ(d.pci_vendor_id, "1414");
    EXPECT_FALSE(d.pci_link_bytes_per_s.has_value()) << "a VM's NVMe has no readable PCIe link";
    EXPECT_EQ(d.rotational, std::optional<bool>(false));
    EXPECT_FALSE(d.mounted || d.partitioned || d.held || d.system_disk) << d.name;
  }
  // Azure passes NVMe and the NIC VF through with no NUMA locality: local to both nodes.
  EXPECT_EQ(CountByLocality(fp.drives), (std::map<Numa, int>{{{0, 1}, 12}}));

  ASSERT_EQ(fp.nics.size(), 1u);
  const Nic& nic = fp.nics[0];
  EXPECT_EQ(nic.name, "enP30832s1");
  EXPECT_EQ(nic.pci_vendor_id + ":" + nic.pci_device_id, "1414:00ba");
  EXPECT_EQ(nic.link_gbps, std::optional<double>(100.0));
  EXPECT_EQ(nic.driver, "mana");
  EXPECT_EQ(nic.rdma_devices, std::vector<std::string>{"mana_0"});
  EXPECT_EQ(nic.locality.numa_nodes, (Numa{0, 1}));
  EXPECT_TRUE(fp.gpus.empty());

  EXPECT_EQ(fp.cloud.vendor, "azure");
  EXPECT_TRUE(fp.cloud.virtualized);
}

TEST(ProbeFixtures, AzureL160iaosV5) {
  const Fingerprint fp = ProbeFixtureShape("azure-l160iaos-v5");
  EXPECT_EQ(fp.cpu.cores, 80u);
  EXPECT_EQ(fp.cpu.hardware_threads, 160u);
  EXPECT_EQ(fp.cpu.vendor, "AuthenticAMD");
  EXPECT_EQ(fp.memory.total_bytes, 1040 * kGiB);
  EXPECT_EQ(fp.memory.os_total_bytes, std::optional<uint64_t>(1037 * kGiB));
  ASSERT_EQ(fp.drives.size(), 9u);
  uint64_t raw_bytes = 0;
  for (const auto& d : fp.drives) raw_bytes += d.capacity_bytes;
  EXPECT_EQ(raw_bytes, 138'240'000'000'000ULL);  // 9 x 15.36 TB
  ASSERT_EQ(fp.nics.size(), 1u);
  EXPECT_EQ(fp.nics[0].link_gbps, std::optional<double>(200.0));
  EXPECT_EQ(fp.cloud.vendor, "azure");
}

TEST(ProbeFixtures, DenseOnPrem1U) {
  const Fingerprint fp = ProbeFixtureShape("onprem-dense-1u");
  EXPECT_EQ(fp.cpu.packages, 2u);
  EXPECT_EQ(fp.cpu.numa_nodes, 2u);
  EXPECT_EQ(fp.cpu.cores, 64u);
  EXPECT_EQ(fp.cpu.hardware_threads, 128u);
  EXPECT_EQ(fp.memory.total_bytes, 512 * kGiB);

  // 22 QLC data drives, 11 on each socket, plus the boot drive on socket 0.
  ASSERT_EQ(fp.drives.size(), 23u);
  std::vector<Drive> data;
  std::copy_if(fp.drives.begin(), fp.drives.end(), std::back_inserter(data),
               [](const Drive& d) { return d.model == "SOLIDIGM SBFPF2BU614T"; });
  ASSERT_EQ(data.size(), 22u);
  for (const auto& d : data) {
    EXPECT_EQ(d.capacity_bytes, 61'440'000'000'000ULL) << d.name;
    ASSERT_TRUE(d.pci_link_bytes_per_s.has_value());
    EXPECT_NEAR(*d.pci_link_bytes_per_s, 7.876923e9, 1e3) << "PCIe 4.0 x4";
    EXPECT_EQ(d.locality.numa_nodes.size(), 1u);
  }
  EXPECT_EQ(CountByLocality(data), (std::map<Numa, int>{{{0}, 11}, {{1}, 11}}));
  EXPECT_EQ(DriveNamed(fp, "nvme11n1").locality.cpus, "32-63,96-127");

  ASSERT_EQ(fp.nics.size(), 3u);
  for (auto [name, rdma, node] : {std::tuple{"ens1f0np0", "mlx5_0", 0u}, std::tuple{"ens2f0np0", "mlx5_1", 1u}}) {
    const Nic& nic = NicNamed(fp, name);
    EXPECT_EQ(nic.link_gbps, std::optional<double>(400.0)) << name;
    EXPECT_EQ(nic.rdma_devices, std::vector<std::string>{rdma}) << name;
    EXPECT_EQ(nic.locality.numa_nodes, Numa{node}) << name;
    EXPECT_EQ(nic.driver, "mlx5_core");
    EXPECT_EQ(nic.pci_device_name, "MT2910 Family [ConnectX-7]");
    ASSERT_TRUE(nic.pci_link_bytes_per_s.has_value());
    EXPECT_NEAR(*nic.pci_link_bytes_per_s, 63.015385e9, 1e3) << "PCIe 5.0 x16";
  }
  EXPECT_EQ(NicNamed(fp, "eno1").link_gbps, std::optional<double>(1.0));
  EXPECT_TRUE(NicNamed(fp, "eno1").rdma_devices.empty());

  EXPECT_TRUE(fp.gpus.empty()) << "the BMC's ASPEED VGA is not a GPU";
  EXPECT_EQ(fp.cloud.vendor, "on-prem");
  EXPECT_FALSE(fp.cloud.virtualized);
}

TEST(ProbeFixtures, DenseOnPrem1UDriveUsage) {
  const Fingerprint fp = ProbeFixtureShape("onprem-dense-1u");
  const Drive& boot = DriveNamed(fp, "nvme22n1");
  EXPECT_TRUE(boot.partitioned);
  EXPECT_EQ(boot.partitions, (std::vector<std::string>{"nvme22n1p1", "nvme22n1p2", "nvme22n1p3"}));
  EXPECT_TRUE(boot.mounted);
  EXPECT_EQ(boot.mountpoints, (std::vector<std::string>{"/boot/efi", "/"}));
  EXPECT_TRUE(boot.system_disk);
  EXPECT_TRUE(boot.held) << "its third partition is swap";
  EXPECT_TRUE(boot.holders.empty());

  const Drive& raid_member = DriveNamed(fp, "nvme20n1");
  EXPECT_TRUE(raid_member.held);
  EXPECT_EQ(raid_member.holders, std::vector<std::string>{"md127"});
  EXPECT_FALSE(raid_member.mounted || raid_member.partitioned || raid_member.system_disk);

  const Drive& partitioned = DriveNamed(fp, "nvme21n1");
  EXPECT_TRUE(partitioned.partitioned);
  EXPECT_FALSE(partitioned.mounted || partitioned.held || partitioned.system_disk);

  const Drive& fresh = DriveNamed(fp, "nvme0n1");
  EXPECT_FALSE(fresh.partitioned || fresh.mounted || fresh.held || fresh.system_disk);
}

// hwloc's own test machine (24em64t-2n6c2t-pci): three Tesla M2070 and the ATI ES1000 console
// chip, here with a Matrox BMC VGA and a Quadro beside them. The console and BMC chips are no
// GPUs (PB per GPU depends on the count); a GPU vendor's display controller still is one.
TEST(ProbeFixtures, ConsoleAndBmcDisplayChipsAreNotGpus) {
  const Fingerprint fp = ProbeFixtureShape("gpu-3x-m2070-bmc");
  std::vector<std::string> ids;
  for (const auto& gpu : fp.gpus) ids.push_back(gpu.pci_vendor_id + ":" + gpu.pci_device_id);
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (std::vector<std::string>{"10de:06d2", "10de:06d2", "10de:06d2", "10de:1eb1"}));
}

TEST(ProbeFixtures, EightGpuTrainingNode) {
  const Fingerprint fp = ProbeFixtureShape("gpu-8x-h100");
  EXPECT_EQ(fp.cpu.cores, 112u);
  EXPECT_EQ(fp.cpu.hardware_threads, 224u);
  EXPECT_EQ(fp.memory.total_bytes, 2048 * kGiB);
  ASSERT_EQ(fp.gpus.size(), 8u);
  for (size_t i = 0; i < fp.gpus.size(); ++i) {
    EXPECT_EQ(fp.gpus[i].model, "NVIDIA H100 80GB HBM3");
    EXPECT_EQ(fp.gpus[i].pci_vendor_id + ":" + fp.gpus[i].pci_device_id, "10de:2330");
    EXPECT_EQ(fp.gpus[i].os_devices, std::vector<std::string>{"cuda" + std::to_string(i)});
  }
  EXPECT_EQ(CountByLocality(fp.gpus), (std::map<Numa, int>{{{0}, 4}, {{1}, 4}}));

  ASSERT_EQ(fp.nics.size(), 10u);
  int compute_nics = 0;
  for (const auto& nic : fp.nics) {
    ASSERT_EQ(nic.rdma_devices.size(), 1u) << nic.name;
    if (nic.link_gbps == 400.0) ++compute_nics;
  }
  EXPECT_EQ(compute_nics, 8);
  EXPECT_EQ(NicNamed(fp, "enp171s0f0np0").link_gbps, std::optional<double>(200.0));
  EXPECT_EQ(NicNamed(fp, "enp171s0f0np0").locality.numa_nodes, Numa{1});

  ASSERT_EQ(fp.drives.size(), 10u);
  for (const char* boot : {"nvme8n1", "nvme9n1"}) {
    const Drive& d = DriveNamed(fp, boot);
    EXPECT_TRUE(d.held) << boot;
    EXPECT_EQ(d.holders, std::vector<std::string>{"md0"});
    EXPECT_TRUE(d.system_disk) << boot << ": / is on md0, which it holds";
    EXPECT_EQ(d.mountpoints, std::vector<std::string>{"/"});
  }
  EXPECT_FALSE(DriveNamed(fp, "nvme3n1").held);
  EXPECT_EQ(fp.cloud.vendor, "on-prem");
}

// This VM, captured by hwloc-gather-topology: the XML lstopo wrote and hwloc's own discovery
// on the captured root (HWLOC_FSROOT) must give the same fingerprint.
TEST(ProbeFixtures, CapturedThisVmXmlAndRootAgree) {
  const std::string root = SHAPEQ_CAPTURED_ROOT;
  const Fingerprint from_xml = Probe({.topology_xml = std::string(SHAPEQ_FIXTURES) + "/captured/this-vm.xml",
                                      .sysfs_root = root});
  Fingerprint from_root = Probe({.topology_xml = "", .sysfs_root = root});
  EXPECT_EQ(from_xml.cpu.cores, 2u);
  EXPECT_EQ(from_xml.cpu.hardware_threads, 2u);
  ASSERT_EQ(from_xml.drives.size(), 1u);
  const Drive& vda = from_xml.drives[0];
  EXPECT_EQ(vda.name, "vda");
  EXPECT_EQ(vda.kind, "virtio");
  EXPECT_EQ(vda.capacity_bytes, 256 * kGiB);
  EXPECT_TRUE(vda.system_disk);
  EXPECT_EQ(vda.mountpoints, std::vector<std::string>{"/"});
  ASSERT_EQ(from_xml.nics.size(), 1u);
  EXPECT_EQ(from_xml.nics[0].name, "eth0");
  EXPECT_FALSE(from_xml.nics[0].link_gbps.has_value()) << "virtio_net reports speed -1";
  EXPECT_EQ(from_xml.nics[0].driver, "virtio_net");
  EXPECT_EQ(from_xml.memory.os_total_bytes, std::optional<uint64_t>(24683656ULL * 1024));
  EXPECT_EQ(from_xml.cloud.vendor, "unknown");

  from_root.source = from_xml.source;  // only where it was read from differs
  EXPECT_EQ(nlohmann::json(from_root), nlohmann::json(from_xml));
}

TEST(ProbeFixtures, XmlWithoutRootReadsNoSysfs) {
  const std::string dir = std::string(SHAPEQ_FIXTURES) + "/shapes/onprem-dense-1u";
  const Fingerprint fp = Probe({.topology_xml = dir + "/topology.xml", .sysfs_root = ""});
  EXPECT_EQ(fp.source.sysfs_root, "");
  EXPECT_EQ(fp.drives.size(), 23u);
  // Nothing of this machine leaks into a fixture: no link speeds, no mounts, no meminfo.
  for (const auto& nic : fp.nics) EXPECT_FALSE(nic.link_gbps.has_value()) << nic.name;
  for (const auto& d : fp.drives) EXPECT_FALSE(d.mounted) << d.name;
  EXPECT_FALSE(fp.memory.os_total_bytes.has_value());
}

}  // namespace
}  // namespace shapeq
