#include "scoring/measured_shape.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <set>
#include <string>

namespace shapeq {
namespace {

Figure Probed(double value, Basis basis, const std::string& note) { return {value, basis, "probe", note}; }

// A drive of the node: not the system disk, not built on other drives (md, dm), not a loop
// device (a file on another drive) unless the storage stage measured it as one.
bool CountsAsNodeDrive(const Drive& d, const std::set<std::string>& measured_paths) {
  if (d.system_disk || IsVirtualBlockDevice(d)) return false;
  return d.kind != "loop" || measured_paths.count("/dev/" + d.name);
}

void CountDataDrives(Shape& shape, const Fingerprint& fp, const std::set<std::string>& measured_paths) {
  double data_drives = 0, data_bytes = 0;
  for (const auto& drive : fp.drives) {
    if (!CountsAsNodeDrive(drive, measured_paths)) continue;
    data_drives += 1;
    data_bytes += static_cast<double>(drive.capacity_bytes);
  }
  if (data_drives > 0) {
    const std::string which = measured_paths.empty() ? "drives other than the system disk (no md, dm or loop devices)"
                                                     : "drives other than the system disk, with the loop devices measured";
    shape.drive_count = Probed(data_drives, Basis::kMeasured, which);
    shape.drive_capacity_bytes = Probed(data_bytes / data_drives, Basis::kMeasured, "mean of the data drives");
  } else {
    shape.drive_count = shape.drive_capacity_bytes = Figure{};
    shape.drive_count.note = shape.drive_capacity_bytes.note = "no data drives: only the system disk was found";
  }
}

// What a borrowed figure's source says, under the catalog shape's name.
std::string BorrowedSource(const Shape& rated, const std::string& key) {
  const auto it = rated.sources.find(key);
  return rated.name + ": " + (it == rated.sources.end() ? key : it->second);
}

// The raw devices a storage measurement ran on; empty for a scratch file.
std::vector<std::string> RawTargets(const Measurement& m) {
  std::vector<std::string> paths;
  for (const auto& t : m.params.value("targets", nlohmann::json::array())) {
    if (!t.is_string() || t.get<std::string>().rfind("/dev/", 0) != 0) return {};
    paths.push_back(t.get<std::string>());
  }
  return paths;
}

// A measured rate a shape can stand on: finite and at least 1 (byte/s, IOPS). A zero, a
// denormal or an inf from a results file would turn into nan or inf nodes downstream.
bool UsableRate(const std::optional<double>& rate) { return rate && std::isfinite(*rate) && *rate >= 1; }

// A storage kernel's figure for the node: the run over the most raw drives; measured when it
// covered all `node_drives`, scaled up (derived) when asked, else unknown saying why. nullopt:
// the kernel did not run ok on raw drives.
std::optional<Figure> StorageFigure(const std::vector<Measurement>& storage, const std::string& kernel, bool iops, double node_drives,
                                    bool scale_from_subset) {
  const Measurement* best = nullptr;
  size_t best_drives = 0;
  for (const auto& m : storage) {
    if (m.kernel != kernel || m.status != MeasurementStatus::kOk || !UsableRate(iops ? m.iops : m.bytes_per_s)) continue;
    const size_t drives = RawTargets(m).size();
    if (drives > best_drives) {
      best = &m;
      best_drives = drives;
    }
  }
  if (!best) return std::nullopt;
  const double value = *(iops ? best->iops : best->bytes_per_s);
  const std::string on = kernel + " on " + std::to_string(best_drives) + " of " + std::to_string(static_cast<long>(node_drives)) + " drives";
  if (static_cast<double>(best_drives) >= node_drives) {
    return Figure{value, Basis::kMeasured, "storage", kernel + " on all " + std::to_string(best_drives) + " drives at once", std::nullopt};
  }
  if (scale_from_subset) {
    // Asked for: drives do not add up linearly (a shared PCIe switch, the CPU), so this is an
    // upper bound, marked derived.
    return Figure{value * node_drives / static_cast<double>(best_drives), Basis::kDerived, "storage", on + ", scaled up linearly (--scale-from-subset)", std::nullopt};
  }
  Figure unknown;
  char measured[32];
  std::snprintf(measured, sizeof measured, iops ? "%.0f IOPS" : "%.3g GB/s", iops ? value : value / 1e9);
  unknown.note = on + " (" + measured + "): not scaled up to the node; measure all its drives, or --scale-from-subset";
  return unknown;
}

// A name in catalog style: lower case, '.' and '_' as '-'.
std::string CatalogStyle(std::string text) {
  for (char& c : text) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (c == '.' || c == '_' || c == ' ') c = '-';
  }
  return text;
}

}  // namespace

const Shape* MatchCatalogShape(const Fingerprint& fp, const std::vector<Shape>& catalog) {
  if (fp.cloud.instance_type_hint.empty()) return nullptr;
  std::string wanted = CatalogStyle(fp.cloud.instance_type_hint);
  // Azure's sizes are "Standard_L96s_v4"; the catalog names them azure-l96s-v4.
  if (wanted.rfind("standard-", 0) == 0) wanted = wanted.substr(9);
  const std::string vendor = IsPublicCloud(fp.cloud) ? fp.cloud.vendor + "-" : "";
  for (const auto& shape : catalog) {
    // The vendor's name for the size, exactly, or with the catalog's variant after it
    // (gcp-z3-highmem-176-standardlssd for the z3-highmem-176 machine type).
    if (!vendor.empty() && (shape.name == vendor + wanted || shape.name.rfind(vendor + wanted + "-", 0) == 0)) return &shape;
  }
  for (const auto& shape : catalog) {
    if (shape.name.size() >= wanted.size() && shape.name.compare(shape.name.size() - wanted.size(), wanted.size(), wanted) == 0) {
      return &shape;
    }
  }
  return nullptr;
}

Shape ShapeFromFingerprint(const Fingerprint& fp, const std::string& file, const Shape* rated) {
  Shape shape;
  shape.file = file;
  shape.name = "measured-" + (fp.source.hostname.empty() ? std::string("node") : CatalogStyle(fp.source.hostname));
  shape.title = "Measured: " + fp.source.hostname + (rated ? " (as " + rated->name + ")" : "");
  shape.kind = rated ? rated->kind : IsPublicCloud(fp.cloud) ? "cloud-vm" : "on-prem";
  shape.protection = rated ? rated->protection : kMeasuredDefaultProtection;
  shape.sources["probe"] = "shapeq probe of " + fp.source.hostname + " (" + file + ")";

  shape.cores = Probed(fp.cpu.hardware_threads, Basis::kMeasured, "hardware threads (vCPUs)");
  shape.memory_bytes = Probed(static_cast<double>(fp.memory.os_total_bytes.value_or(fp.memory.total_bytes)), Basis::kMeasured, "");

  CountDataDrives(shape, fp, {});

  // Data NICs: those faster than 1 Gbit/s (a management port carries no storage traffic).
  double gbps = 0;
  for (const auto& nic : fp.nics) {
    if (nic.link_gbps && *nic.link_gbps > 1.0) gbps += *nic.link_gbps;
  }
  const std::string link = gbps > 0 ? std::to_string(static_cast<long>(gbps)) + " Gbit/s" : "";
  if (rated && rated->nic_gbps.known()) {
    // A cloud VM's driver reports the host NIC's link, not the VM's cap: the twin's rated figure.
    shape.nic_gbps = rated->nic_gbps;
    shape.nic_gbps.source = "catalog:" + rated->nic_gbps.source;
    shape.sources[shape.nic_gbps.source] = BorrowedSource(*rated, rated->nic_gbps.source);
    shape.nic_gbps.note = rated->name + "'s rated figure" + (link.empty() ? "" : "; the driver reports a " + link + " link");
  } else if (gbps > 0) {
    shape.nic_gbps = Probed(gbps, Basis::kRated, "sum of data NICs' link rates as the machine reports them");
  }

  const char* not_measured = "not measured yet: the storage kernels have not run";
  shape.read_bytes_per_s.note = shape.write_bytes_per_s.note = not_measured;
  shape.read_iops.note = shape.write_iops.note = not_measured;
  if (!shape.nic_gbps.known()) shape.nic_gbps.note = "link rate not reported; the network kernel has not run";

  // What a node cannot measure about itself, from the catalog shape it is.
  for (auto member : {&Shape::watts, &Shape::rack_units, &Shape::price_per_hour_usd, &Shape::capex_usd}) {
    if (!rated) {
      (shape.*member).note = "not measurable on the node; name its catalog shape with --rated or use --set";
      continue;
    }
    shape.*member = rated->*member;
    if ((shape.*member).known()) {
      (shape.*member).source = "catalog:" + (rated->*member).source;
      shape.sources["catalog:" + (rated->*member).source] = BorrowedSource(*rated, (rated->*member).source);
    }
  }
  return shape;
}

void ApplyStorageMeasurements(Shape& shape, const Fingerprint& fp, const std::vector<Measurement>& storage, const std::string& file,
                              bool scale_from_subset) {
  // Loop devices the stage measured raw are drives of this node for the run (truth tests, or
  // a deliberate choice): counted with the others.
  std::set<std::string> measured_paths;
  for (const auto& m : storage) {
    if (m.status != MeasurementStatus::kOk) continue;
    for (const auto& path : RawTargets(m)) measured_paths.insert(path);
  }
  if (std::any_of(fp.drives.begin(), fp.drives.end(), [&](const Drive& d) { return d.kind == "loop" && measured_paths.count("/dev/" + d.name); })) {
    CountDataDrives(shape, fp, measured_paths);
  }
  // lat_read before rand_read: IOPS with the p99 under the bound is the figure a latency target
  // needs (rand_read's full-depth IOPS come with a p99 many times higher).
  const bool latency_bounded = std::any_of(storage.begin(), storage.end(), [&](const Measurement& m) {
    return IsKernel(m.kernel, KernelId::kLatRead) && m.status == MeasurementStatus::kOk && m.iops && shape.drive_count.known() &&
           static_cast<double>(RawTargets(m).size()) >= *shape.drive_count.value;
  });
  const struct {
    KernelId kernel;
    Figure Shape::*figure;
    std::optional<KernelId> served;  // the served kernel whose figure comes first, if any
    Figure Shape::*drives_alone;     // where the raw figure goes when the served one is used
  } uses[] = {{KernelId::kSeqRead, &Shape::read_bytes_per_s, KernelId::kServedRead, &Shape::raw_read_bytes_per_s},
              {KernelId::kSeqWrite, &Shape::write_bytes_per_s, KernelId::kServedWrite, &Shape::raw_write_bytes_per_s},
              {latency_bounded ? KernelId::kLatRead : KernelId::kRandRead, &Shape::read_iops, std::nullopt, nullptr},
              {KernelId::kRandWrite, &Shape::write_iops, std::nullopt, nullptr}};
  for (const auto& use : uses) {
    if (!shape.drive_count.known()) continue;
    const bool iops = Kernel(use.kernel).headline == Headline::kIops;
    const std::optional<Figure> raw = StorageFigure(storage, KernelName(use.kernel), iops, *shape.drive_count.value, scale_from_subset);
    const std::optional<Figure> served =
        use.served ? StorageFigure(storage, KernelName(*use.served), false, *shape.drive_count.value, scale_from_subset) : std::nullopt;
    Figure& figure = shape.*use.figure;
    if (served && served->known()) {
      // What the node serves, its data path on every block: the figure a storage server has.
      figure = *served;
      if (raw && raw->known()) {
        char tax[160];
        std::snprintf(tax, sizeof tax, "; the drives alone (%s) %.3g GB/s: data-path tax %.0f%%", KernelName(use.kernel), *raw->value / 1e9,
                      100 * (1 - *served->value / *raw->value));
        figure.note += tax;
        shape.*use.drives_alone = *raw;
      }
    } else if (raw) {
      figure = *raw;
    }
    if (use.figure == &Shape::read_iops && figure.basis == Basis::kMeasured) {
      for (const auto& m : storage) {
        if (!IsKernel(m.kernel, use.kernel) || m.status != MeasurementStatus::kOk) continue;
        if (const auto p99 = StorageLatencyPercentile(m, "p99"); p99 && static_cast<double>(RawTargets(m).size()) >= *shape.drive_count.value) {
          shape.read_p99_latency_s = {*p99, Basis::kMeasured, "storage", std::string(KernelName(use.kernel)) + ": p99 of the node's merged completions"};
        }
      }
    }
  }
  shape.sources["storage"] = "shapeq storage (" + file + ")";
}

void ApplyDatapathMeasurements(Shape& shape, const std::vector<Measurement>& datapath, const std::string& file) {
  // "ec-146+4" -> datapath.ec_encode_146+4; replication and LRC have no encode kernel here.
  const std::string scheme = shape.protection.rfind("ec-", 0) == 0 ? shape.protection.substr(3) : "";
  const Measurement *encode = nullptr, *crc = nullptr;
  for (const auto& m : datapath) {
    if (m.status != MeasurementStatus::kOk || !UsableRate(m.bytes_per_s)) continue;
    if (!scheme.empty() && m.kernel == "datapath.ec_encode_" + scheme) encode = &m;
    if (m.kernel == "datapath.crc32c") crc = &m;
  }
  if (!encode || !crc) {
    shape.cores_per_gbytes_per_s.note = "the data-path kernels did not measure " + (scheme.empty() ? shape.protection : "ec_encode_" + scheme) +
                                        " and crc32c on this node";
    return;
  }
  // One core encodes `encode` bytes/s and checksums `crc` bytes/s: per GB/s written, both.
  const double cores = 1e9 / *encode->bytes_per_s + 1e9 / *crc->bytes_per_s;
  shape.cores_per_gbytes_per_s = {cores, Basis::kMeasured, "datapath",
                                  encode->kernel + " and " + crc->kernel + " on one core: cores per GB/s written"};
  shape.sources["datapath"] = "shapeq datapath (" + file + ")";
}

bool IsLoopbackPeer(const std::string& target) {
  return target.empty() || target.rfind("127.", 0) == 0 || target.rfind("[::1]", 0) == 0 || target.rfind("::1", 0) == 0 ||
         target.rfind("localhost", 0) == 0 || target == "loopback";
}

void ApplyNetworkMeasurement(Shape& shape, const std::optional<Measurement>& network, const std::string& file) {
  if (!network || network->status != MeasurementStatus::kOk || !network->bytes_per_s) return;
  if (!UsableRate(network->bytes_per_s)) {
    // Not a rate to size with: what the probe said stands, and the note says why.
    shape.nic_gbps.note += std::string(shape.nic_gbps.note.empty() ? "" : "; ") + "the network kernel's figure (" +
                           nlohmann::json(*network->bytes_per_s).dump() + " bytes/s) is no rate to size with";
    return;
  }
  if (IsLoopbackPeer(network->target)) {
    // The TCP stack's ceiling on this node, not its network: say so, change nothing.
    shape.nic_gbps.note += std::string(shape.nic_gbps.note.empty() ? "" : "; ") + "the network kernel ran on loopback only (no --peer)";
    return;
  }
  const std::string direction = network->params.value("direction", "up");
  const std::string before = shape.nic_gbps.known() ? " (rated " + std::to_string(static_cast<long>(*shape.nic_gbps.value)) + " Gbit/s)" : "";
  shape.nic_gbps = {*network->bytes_per_s * 8 / 1e9, Basis::kMeasured, "network",
                    "TCP to " + network->target + ", direction " + direction + before};
  shape.sources["network"] = "shapeq net (" + file + ")";
}

}  // namespace shapeq
