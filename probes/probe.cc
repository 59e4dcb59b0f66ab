#include "probes/probe.h"

#include <hwloc.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "common/error.h"
#include "common/json_read.h"
#include "probes/block_usage.h"
#include "probes/hwloc_topology.h"
#include "probes/cloud_identity.h"
#include "probes/instance_metadata.h"
#include "probes/sys_root.h"
#include "shapeq/version.h"

namespace shapeq {
namespace {


std::string Info(hwloc_obj_t obj, const char* name) {
  const char* value = obj ? hwloc_obj_get_info_by_name(obj, name) : nullptr;
  return value ? value : "";
}

std::string CpuList(hwloc_const_cpuset_t cpuset) {
  char* text = nullptr;
  if (!cpuset || hwloc_bitmap_list_asprintf(&text, cpuset) < 0) return "";
  std::string list = text;
  std::free(text);
  return list;
}

std::string Hex4(unsigned value) {
  char text[8];
  std::snprintf(text, sizeof text, "%04x", value & 0xffffu);
  return text;
}

std::string PciAddress(const hwloc_obj_t pci) {
  const auto& a = pci->attr->pcidev;
  char text[32];
  std::snprintf(text, sizeof text, "%04x:%02x:%02x.%01x", a.domain, a.bus, a.dev, a.func);
  return text;
}

std::optional<double> PciLinkBytesPerSecond(const hwloc_obj_t pci) {
  // hwloc reports GB/s (10^9 bytes/s); 0 means the link could not be read (typical in VMs).
  const float gbytes_per_s = pci->attr->pcidev.linkspeed;
  if (!(gbytes_per_s > 0.0f)) return std::nullopt;
  return std::round(static_cast<double>(gbytes_per_s) * 1e6) * 1e3;
}

hwloc_obj_t PciParent(hwloc_obj_t obj) {
  for (hwloc_obj_t p = obj->parent; p; p = p->parent) {
    if (p->type == HWLOC_OBJ_PCI_DEVICE) return p;
  }
  return nullptr;
}

Locality LocalityOf(hwloc_topology_t topo, hwloc_obj_t obj) {
  Locality locality;
  hwloc_obj_t anchor = hwloc_get_non_io_ancestor_obj(topo, obj);
  if (!anchor) return locality;
  unsigned index = 0;
  hwloc_bitmap_foreach_begin(index, anchor->nodeset) { locality.numa_nodes.push_back(index); }
  hwloc_bitmap_foreach_end();
  locality.cpus = CpuList(anchor->cpuset);
  return locality;
}

void ReadCpuAndNuma(hwloc_topology_t topo, Fingerprint& fp) {
  fp.cpu.packages = static_cast<unsigned>(std::max(1, hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PACKAGE)));
  fp.cpu.cores = static_cast<unsigned>(hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_CORE));
  fp.cpu.hardware_threads = static_cast<unsigned>(hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PU));
  if (fp.cpu.cores == 0) fp.cpu.cores = fp.cpu.hardware_threads;  // some hypervisors hide cores
  hwloc_obj_t package = hwloc_get_obj_by_type(topo, HWLOC_OBJ_PACKAGE, 0);
  hwloc_obj_t root = hwloc_get_root_obj(topo);
  fp.cpu.model = Info(package, "CPUModel").empty() ? Info(root, "CPUModel") : Info(package, "CPUModel");
  fp.cpu.vendor = Info(package, "CPUVendor").empty() ? Info(root, "CPUVendor") : Info(package, "CPUVendor");

  for (hwloc_obj_t node = nullptr; (node = hwloc_get_next_obj_by_type(topo, HWLOC_OBJ_NUMANODE, node));) {
    NumaNode numa;
    numa.os_index = node->os_index;
    numa.memory_bytes = node->attr->numanode.local_memory;
    // hwloc reads local_memory with strtoull: "-5" becomes 2^64 - 5. No node holds 1 EiB.
    if (numa.memory_bytes > (1ULL << 60)) {
      throw BadInput(fp.source.topology, "NUMA node " + std::to_string(node->os_index) + ": local_memory " +
                                             std::to_string(numa.memory_bytes) + " is not a memory size");
    }
    numa.cpus = CpuList(node->cpuset);
    numa.cores = static_cast<unsigned>(hwloc_get_nbobjs_inside_cpuset_by_type(topo, node->cpuset, HWLOC_OBJ_CORE));
    numa.hardware_threads = static_cast<unsigned>(hwloc_get_nbobjs_inside_cpuset_by_type(topo, node->cpuset, HWLOC_OBJ_PU));
    fp.memory.total_bytes += numa.memory_bytes;
    fp.numa.push_back(numa);
  }
  fp.cpu.numa_nodes = static_cast<unsigned>(fp.numa.size());
}

std::optional<uint64_t> ReadMemTotalBytes(const SysRoot& sys) {
  auto meminfo = sys.ReadText("/proc/meminfo");
  if (!meminfo) return std::nullopt;
  std::istringstream lines(*meminfo);
  for (std::string key; lines >> key;) {
    uint64_t kib = 0;
    if (key == "MemTotal:" && lines >> kib) return kib <= (1ULL << 50) ? std::optional(kib * 1024ULL) : std::nullopt;
    lines.ignore(1 << 20, '\n');
  }
  return std::nullopt;
}

void ReadNics(hwloc_topology_t topo, const SysRoot& sys, Fingerprint& fp) {
  for (hwloc_obj_t os = nullptr; (os = hwloc_get_next_osdev(topo, os));) {
    if (os->attr->osdev.type != HWLOC_OBJ_OSDEV_NETWORK) continue;
    Nic nic;
    nic.name = os->name ? os->name : "";
    nic.mac_address = Info(os, "Address");
    nic.locality = LocalityOf(topo, os);
    if (hwloc_obj_t pci = PciParent(os)) {
      nic.pci_address = PciAddress(pci);
      nic.pci_vendor_id = Hex4(pci->attr->pcidev.vendor_id);
      nic.pci_device_id = Hex4(pci->attr->pcidev.device_id);
      nic.pci_vendor_name = Info(pci, "PCIVendor");
      nic.pci_device_name = Info(pci, "PCIDevice");
      nic.pci_link_bytes_per_s = PciLinkBytesPerSecond(pci);
      // The RDMA device on the same PCI function (hwloc's OpenFabrics OS device).
      for (hwloc_obj_t sibling = pci->io_first_child; sibling; sibling = sibling->next_sibling) {
        if (sibling->type == HWLOC_OBJ_OS_DEVICE && sibling->attr->osdev.type == HWLOC_OBJ_OSDEV_OPENFABRICS) {
          nic.rdma_devices.push_back(sibling->name);
        }
      }
    }
    const std::string base = "/sys/class/net/" + nic.name;
    for (const auto& rdma : sys.List(base + "/device/infiniband")) {
      if (std::find(nic.rdma_devices.begin(), nic.rdma_devices.end(), rdma) == nic.rdma_devices.end()) {
        nic.rdma_devices.push_back(rdma);
      }
    }
    // speed is Mbit/s; -1 (or EINVAL on read) when the driver does not know, as virtio does.
    if (auto speed = sys.ReadText(base + "/speed")) {
      char* end = nullptr;
      const long mbps = std::strtol(speed->c_str(), &end, 10);
      if (end != speed->c_str() && mbps > 0) nic.link_gbps = static_cast<double>(mbps) / 1000.0;
    }
    nic.driver = sys.LinkTargetName(base + "/device/driver").value_or("");
    if (!nic.link_gbps) {
      fp.notes.push_back("NIC " + nic.name + ": link speed not reported" +
                         (sys.empty() ? " (no sysfs read)" : " by the driver" + (nic.driver.empty() ? "" : " (" + nic.driver + ")")));
    }
    fp.nics.push_back(nic);
  }
}

std::string DriveKind(const std::string& name, hwloc_obj_t pci, const std::string& hwloc_type) {
  if (hwloc_type == "NVDIMM") return "nvdimm";
  if (pci && pci->attr->pcidev.class_id == 0x0108) return "nvme";
  return BlockDeviceKind(name);
}

void ReadDrives(hwloc_topology_t topo, const SysRoot& sys, Fingerprint& fp) {
  for (hwloc_obj_t os = nullptr; (os = hwloc_get_next_osdev(topo, os));) {
    if (os->attr->osdev.type != HWLOC_OBJ_OSDEV_BLOCK) continue;
    Drive drive;
    drive.name = os->name ? os->name : "";
    hwloc_obj_t pci = PciParent(os);
    drive.kind = DriveKind(drive.name, pci, Info(os, "Type"));
    // hwloc's Size is in KiB; at most 1 EiB and 1 MiB sectors, or the topology is not a machine's.
    if (auto size_kib = Info(os, "Size"); !size_kib.empty()) {
      const auto kib = ParseWholeNumber(size_kib);
      if (!kib || *kib > (1ULL << 50)) throw BadInput(fp.source.topology, "drive " + drive.name + ": Size \"" + size_kib + "\" is not a size in KiB up to 1 EiB");
      drive.capacity_bytes = *kib * 1024ULL;
    }
    if (auto sector = Info(os, "SectorSize"); !sector.empty()) {
      const auto bytes = ParseWholeNumber(sector);
      if (!bytes || *bytes > (1ULL << 20)) throw BadInput(fp.source.topology, "drive " + drive.name + ": SectorSize \"" + sector + "\" is not a sector size");
      drive.logical_block_bytes = static_cast<uint32_t>(*bytes);
    }
    drive.model = Info(os, "Model");
    drive.serial = Info(os, "SerialNumber");
    drive.vendor = Info(os, "Vendor");
    drive.linux_device_id = Info(os, "LinuxDeviceID");
    drive.locality = LocalityOf(topo, os);
    if (pci) {
      drive.pci_address = PciAddress(pci);
      drive.pci_vendor_id = Hex4(pci->attr->pcidev.vendor_id);
      drive.pci_device_id = Hex4(pci->attr->pcidev.device_id);
      drive.pci_link_bytes_per_s = PciLinkBytesPerSecond(pci);
      if (drive.vendor.empty()) drive.vendor = Info(pci, "PCIVendor");
      if (drive.model.empty()) drive.model = Info(pci, "PCIDevice");
    }
    ReadBlockUsage(sys, drive);
    fp.drives.push_back(drive);
  }
  // hwloc lists only the block devices it can attach to a PCI device: the rest from sysfs.
  for (auto& drive : SysfsOnlyBlockDevices(sys, fp.drives)) fp.drives.push_back(std::move(drive));
  if (std::none_of(fp.drives.begin(), fp.drives.end(), [](const Drive& d) { return d.kind == "nvme"; })) {
    fp.notes.push_back("no NVMe drives: storage kernels run on a scratch file");
  }
}

// Server console chips that AMD/ATI made: display controllers of a GPU vendor that are no GPU
// (the ES1000 on HP ProLiant and Dell PowerEdge boards, the Rage XL before it). ASPEED and Matrox
// G200 BMC chips are not of a GPU vendor, so the vendor rule below already leaves them out.
bool IsConsoleChip(unsigned vendor, unsigned device) {
  static constexpr unsigned kAtiConsole[] = {0x515e /* ES1000 */, 0x5969 /* ES1000 */, 0x5159 /* RV100 (RN50) */,
                                             0x4752 /* Rage XL */};
  return vendor == 0x1002 && std::find(std::begin(kAtiConsole), std::end(kAtiConsole), device) != std::end(kAtiConsole);
}

// A GPU or other accelerator by PCI class: 3D controllers, display controllers from GPU vendors
// (not a BMC's or console's VGA), and processing accelerators (class 0x12).
bool IsAccelerator(hwloc_obj_t pci) {
  const unsigned cls = pci->attr->pcidev.class_id;
  const unsigned vendor = pci->attr->pcidev.vendor_id;
  if (cls == 0x0302 || cls == 0x0380 || (cls >> 8) == 0x12) return true;
  return cls == 0x0300 && (vendor == 0x10de || vendor == 0x1002) && !IsConsoleChip(vendor, pci->attr->pcidev.device_id);
}

void ReadGpus(hwloc_topology_t topo, Fingerprint& fp) {
  for (hwloc_obj_t pci = nullptr; (pci = hwloc_get_next_pcidev(topo, pci));) {
    if (!IsAccelerator(pci)) continue;
    Gpu gpu;
    gpu.pci_address = PciAddress(pci);
    gpu.pci_vendor_id = Hex4(pci->attr->pcidev.vendor_id);
    gpu.pci_device_id = Hex4(pci->attr->pcidev.device_id);
    gpu.locality = LocalityOf(topo, pci);
    for (hwloc_obj_t child = pci->io_first_child; child; child = child->next_sibling) {
      if (child->type != HWLOC_OBJ_OS_DEVICE) continue;
      if (child->attr->osdev.type != HWLOC_OBJ_OSDEV_GPU && child->attr->osdev.type != HWLOC_OBJ_OSDEV_COPROC) continue;
      gpu.os_devices.push_back(child->name);
      if (gpu.model.empty()) gpu.model = Info(child, "GPUModel");
    }
    if (gpu.model.empty()) gpu.model = Info(pci, "PCIDevice");
    if (gpu.model.empty()) gpu.model = "PCI " + gpu.pci_vendor_id + ":" + gpu.pci_device_id;
    fp.gpus.push_back(gpu);
  }
}

void ReadCloud(hwloc_topology_t topo, const SysRoot& sys, Fingerprint& fp) {
  hwloc_obj_t root = hwloc_get_root_obj(topo);
  // hwloc copies DMI into the machine object (so XML topologies carry it); sysfs fills gaps.
  auto dmi = [&](const char* hwloc_name, const char* sysfs_name) {
    std::string value = Info(root, hwloc_name);
    if (value.empty()) value = sys.ReadText(std::string("/sys/class/dmi/id/") + sysfs_name).value_or("");
    return value;
  };
  CloudIdentity& id = fp.cloud;
  id.dmi_sys_vendor = dmi("DMISysVendor", "sys_vendor");
  id.dmi_product_name = dmi("DMIProductName", "product_name");
  id.dmi_product_version = dmi("DMIProductVersion", "product_version");
  id.dmi_chassis_asset_tag = dmi("DMIChassisAssetTag", "chassis_asset_tag");
  id.dmi_bios_vendor = dmi("DMIBIOSVendor", "bios_vendor");
  id.dmi_board_vendor = dmi("DMIBoardVendor", "board_vendor");
  IdentifyCloud(id);
}

}  // namespace

Fingerprint Probe(const ProbeOptions& options) {
  const bool live = options.topology_xml.empty();
  if (!live) CheckXmlFile(options.topology_xml);
  if (!options.sysfs_root.empty()) CheckSysRoot(options.sysfs_root);
  const std::string sys_root = options.sysfs_root.empty() ? (live ? "/" : "") : options.sysfs_root;
  // hwloc reads the live machine itself; a captured root goes to it through HWLOC_FSROOT.
  Topology topo = LoadTopology(options, sys_root == "/" ? "" : sys_root);
  const SysRoot sys(sys_root);

  Fingerprint fp;
  hwloc_obj_t root = hwloc_get_root_obj(topo.get());
  fp.source.topology = !live ? options.topology_xml
                              : options.sysfs_root.empty() ? "this machine" : "captured root " + options.sysfs_root;
  fp.source.sysfs_root = sys_root;
  fp.source.hwloc_version = HWLOC_VERSION;  // the release; hwloc_get_api_version() is the API level
  fp.source.shapeq_version = kVersion;
  fp.source.hostname = Info(root, "HostName");
  fp.source.os_release = Info(root, "OSRelease");

  ReadCpuAndNuma(topo.get(), fp);
  fp.memory.os_total_bytes = ReadMemTotalBytes(sys);
  if (fp.memory.os_total_bytes) {
    const double os = static_cast<double>(*fp.memory.os_total_bytes);
    if (std::abs(os - static_cast<double>(fp.memory.total_bytes)) > 0.05 * os) {
      fp.notes.push_back("memory: NUMA nodes hold " + std::to_string(fp.memory.total_bytes >> 20) +
                         " MiB but /proc/meminfo says " + std::to_string(*fp.memory.os_total_bytes >> 20) +
                         " MiB (memory hot-plugged outside NUMA accounting?)");
    }
  }
  ReadNics(topo.get(), sys, fp);
  ReadDrives(topo.get(), sys, fp);
  ReadGpus(topo.get(), fp);
  ReadCloud(topo.get(), sys, fp);
  NameInstanceType(fp, live && options.sysfs_root.empty(), options.ask_metadata);
  if (live) NameHwlocEnvironment(fp);
  return fp;
}

}  // namespace shapeq
