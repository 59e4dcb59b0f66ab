#include "probes/fingerprint_text.h"

#include <algorithm>
#include <array>
#include <functional>
#include <cstdio>
#include <sstream>

namespace shapeq {
namespace {

std::string Format(double value, const char* unit) {
  char text[64];
  std::snprintf(text, sizeof text, value >= 100 ? "%.0f %s" : (value >= 10 ? "%.1f %s" : "%.2f %s"), value, unit);
  return text;
}

std::string Scaled(double value, double step, const std::array<const char*, 6>& units) {
  size_t i = 0;
  while (value >= step && i + 1 < units.size()) {
    value /= step;
    ++i;
  }
  return Format(value, units[i]);
}

std::string Plural(unsigned n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

std::string Join(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

std::string NicLine(const Nic& nic) {
  std::ostringstream line;
  line << "NIC   " << nic.name;
  if (!nic.pci_address.empty()) line << "  " << nic.pci_vendor_id << ":" << nic.pci_device_id << " @" << nic.pci_address;
  line << "  link " << (nic.link_gbps ? Format(*nic.link_gbps, "Gbit/s") : "unknown");
  if (nic.pci_link_bytes_per_s) line << "  PCIe " << Format(*nic.pci_link_bytes_per_s / 1e9, "GB/s");
  if (!nic.driver.empty()) line << "  driver " << nic.driver;
  if (!nic.rdma_devices.empty()) line << "  RDMA " << Join(nic.rdma_devices, ",");
  return line.str();
}

std::string DriveLine(const Drive& drive) {
  std::ostringstream line;
  line << "Drive " << drive.name << "  " << drive.kind << " " << FormatDecimalBytes(static_cast<double>(drive.capacity_bytes));
  if (!drive.model.empty()) line << "  \"" << drive.model << "\"";
  if (drive.pci_link_bytes_per_s) line << "  PCIe " << Format(*drive.pci_link_bytes_per_s / 1e9, "GB/s");
  if (drive.rotational) line << (*drive.rotational ? "  rotational" : "  solid-state");
  std::vector<std::string> use;
  if (drive.partitioned) use.push_back("partitioned");
  if (drive.mounted) use.push_back("mounted on " + Join(drive.mountpoints, ","));
  if (drive.held) use.push_back("held" + (drive.holders.empty() ? std::string(" (swap)") : " by " + Join(drive.holders, ",")));
  if (drive.system_disk) use.push_back("system disk");
  if (drive.read_only) use.push_back("read-only");
  if (!drive.backing_file.empty()) use.push_back("backed by " + drive.backing_file);
  line << "  " << (use.empty() ? "unused" : Join(use, ", "));
  const std::string not_data = NotDataDriveReason(drive);
  line << (not_data.empty() ? "  [data drive]" : "  [not a data drive: " + not_data + "]");
  return line.str();
}

std::string GpuLine(const Gpu& gpu) {
  std::string line = "GPU   " + gpu.model + "  " + gpu.pci_vendor_id + ":" + gpu.pci_device_id + " @" + gpu.pci_address;
  if (!gpu.os_devices.empty()) line += "  " + Join(gpu.os_devices, ",");
  return line;
}

// A device belongs under a NUMA node only when it is local to exactly that one.
bool LocalTo(const Locality& locality, unsigned node) {
  return locality.numa_nodes.size() == 1 && locality.numa_nodes[0] == node;
}

template <typename Device, typename LineFn>
void ListDevices(std::ostringstream& out, const std::vector<Device>& devices, LineFn line,
                 const std::function<bool(const Locality&)>& where) {
  for (const auto& device : devices) {
    if (where(device.locality)) out << "    " << line(device) << "\n";
  }
}

}  // namespace

std::string FormatDecimalBytes(double bytes) { return Scaled(bytes, 1000.0, {"B", "kB", "MB", "GB", "TB", "PB"}); }
std::string FormatBinaryBytes(double bytes) { return Scaled(bytes, 1024.0, {"B", "KiB", "MiB", "GiB", "TiB", "PiB"}); }

std::string FormatFingerprintText(const Fingerprint& fp) {
  std::ostringstream out;
  out << "Machine " << (fp.source.hostname.empty() ? "?" : fp.source.hostname) << " (" << fp.source.topology
      << "; hwloc " << fp.source.hwloc_version << (fp.source.os_release.empty() ? "" : "; Linux " + fp.source.os_release)
      << ")\n";
  out << "  CPU     " << Plural(fp.cpu.packages, "package") << ", " << Plural(fp.cpu.numa_nodes, "NUMA node") << ", "
      << Plural(fp.cpu.cores, "core") << ", " << Plural(fp.cpu.hardware_threads, "thread")
      << (fp.cpu.model.empty() ? "" : "  \"" + fp.cpu.model + "\"") << "\n";
  out << "  Memory  " << FormatBinaryBytes(static_cast<double>(fp.memory.total_bytes)) << " in NUMA nodes";
  if (fp.memory.os_total_bytes) out << ", " << FormatBinaryBytes(static_cast<double>(*fp.memory.os_total_bytes)) << " in /proc/meminfo";
  out << "\n";
  out << "  Cloud   " << fp.cloud.vendor << (fp.cloud.instance_type_hint.empty() ? "" : " " + fp.cloud.instance_type_hint)
      << (fp.cloud.instance_type_source.empty() ? "" : " (size from " + fp.cloud.instance_type_source + ")") << " — " << fp.cloud.reason << "\n";

  for (const auto& node : fp.numa) {
    out << "  NUMA " << node.os_index << "  " << FormatBinaryBytes(static_cast<double>(node.memory_bytes)) << ", CPUs "
        << node.cpus << " (" << Plural(node.cores, "core") << ", " << Plural(node.hardware_threads, "thread") << ")\n";
    auto here = [&node](const Locality& l) { return LocalTo(l, node.os_index); };
    ListDevices(out, fp.nics, NicLine, here);
    ListDevices(out, fp.drives, DriveLine, here);
    ListDevices(out, fp.gpus, GpuLine, here);
  }
  auto elsewhere = [&fp](const Locality& l) {
    return std::none_of(fp.numa.begin(), fp.numa.end(), [&l](const NumaNode& n) { return LocalTo(l, n.os_index); });
  };
  std::ostringstream shared;
  ListDevices(shared, fp.nics, NicLine, elsewhere);
  ListDevices(shared, fp.drives, DriveLine, elsewhere);
  ListDevices(shared, fp.gpus, GpuLine, elsewhere);
  if (!shared.str().empty()) out << "  Not local to one NUMA node\n" << shared.str();

  out << "  Totals  " << Plural(static_cast<unsigned>(fp.nics.size()), "NIC") << ", "
      << Plural(static_cast<unsigned>(fp.drives.size()), "drive") << ", "
      << Plural(static_cast<unsigned>(fp.gpus.size()), "GPU") << "\n";
  for (const auto& note : fp.notes) out << "  note: " << note << "\n";
  return out.str();
}

}  // namespace shapeq
