#include "scoring/measured_shape.h"

#include <algorithm>
#include <cctype>
#include <string>

namespace shapeq {
namespace {

constexpr const char* kDefaultProtection = "ec-146+4";

Figure Probed(double value, Basis basis, const std::string& note) { return {value, basis, "probe", note}; }

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
  const std::string wanted = CatalogStyle(fp.cloud.instance_type_hint);
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
  const bool cloud = fp.cloud.vendor == "azure" || fp.cloud.vendor == "aws" || fp.cloud.vendor == "gcp";
  shape.kind = rated ? rated->kind : cloud ? "cloud-vm" : "on-prem";
  shape.protection = rated ? rated->protection : kDefaultProtection;
  shape.sources["probe"] = "shapeq probe of " + fp.source.hostname + " (" + file + ")";

  shape.cores = Probed(fp.cpu.hardware_threads, Basis::kMeasured, "hardware threads (vCPUs)");
  shape.memory_bytes = Probed(static_cast<double>(fp.memory.os_total_bytes.value_or(fp.memory.total_bytes)), Basis::kMeasured, "");

  // Data drives: every drive but the ones the system runs from.
  double data_drives = 0, data_bytes = 0;
  for (const auto& drive : fp.drives) {
    if (drive.system_disk) continue;
    data_drives += 1;
    data_bytes += static_cast<double>(drive.capacity_bytes);
  }
  if (data_drives > 0) {
    shape.drive_count = Probed(data_drives, Basis::kMeasured, "drives other than the system disk");
    shape.drive_capacity_bytes = Probed(data_bytes / data_drives, Basis::kMeasured, "mean of the data drives");
  } else {
    shape.drive_count.note = shape.drive_capacity_bytes.note = "no data drives: only the system disk was found";
  }

  // Data NICs: those faster than 1 Gbit/s (a management port carries no storage traffic).
  double gbps = 0;
  for (const auto& nic : fp.nics) {
    if (nic.link_gbps && *nic.link_gbps > 1.0) gbps += *nic.link_gbps;
  }
  if (gbps > 0) shape.nic_gbps = Probed(gbps, Basis::kRated, "sum of data NICs' link rates as the machine reports them");

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
      shape.sources["catalog:" + (rated->*member).source] = rated->name + ": " + rated->sources.at((rated->*member).source);
    }
  }
  return shape;
}

void ApplyStorageMeasurements(Shape& shape, const std::vector<Measurement>& storage, const std::string& file) {
  const struct {
    const char* kernel;
    Figure Shape::*figure;
    bool iops;
  } uses[] = {{"fio.seq_read", &Shape::read_bytes_per_s, false},
              {"fio.seq_write", &Shape::write_bytes_per_s, false},
              {"fio.rand_read", &Shape::read_iops, true},
              {"fio.rand_write", &Shape::write_iops, true}};
  for (const auto& use : uses) {
    const Measurement* best = nullptr;
    size_t best_drives = 0;
    for (const auto& m : storage) {
      if (m.kernel != use.kernel || m.status != MeasurementStatus::kOk || !(use.iops ? m.iops : m.bytes_per_s)) continue;
      const auto targets = m.params.value("targets", nlohmann::json::array());
      const bool raw = !targets.empty() && std::all_of(targets.begin(), targets.end(), [](const nlohmann::json& t) {
        return t.is_string() && t.get<std::string>().rfind("/dev/", 0) == 0;
      });
      if (raw && targets.size() > best_drives) {
        best = &m;
        best_drives = targets.size();
      }
    }
    if (!best || !shape.drive_count.known()) continue;
    const double drives = *shape.drive_count.value;
    const double value = *(use.iops ? best->iops : best->bytes_per_s);
    Figure& figure = shape.*use.figure;
    if (static_cast<double>(best_drives) >= drives) {
      figure = {value, Basis::kMeasured, "storage", std::string(use.kernel) + " on all " + std::to_string(best_drives) + " drives at once"};
    } else {
      figure = {value * drives / static_cast<double>(best_drives), Basis::kDerived, "storage",
                std::string(use.kernel) + " on " + std::to_string(best_drives) + " drives, scaled to " + std::to_string(static_cast<int>(drives))};
    }
  }
  shape.sources["storage"] = "shapeq storage (" + file + ")";
}

}  // namespace shapeq
