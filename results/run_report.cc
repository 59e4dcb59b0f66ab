#include "results/run_report.h"

#include <cstdio>
#include <map>
#include <sstream>

#include "results/number_text.h"

namespace shapeq {
namespace {

// Named figures of a run, in a stable order: what compare lines up.
std::map<std::string, double> Figures(const RunFiles& run) {
  std::map<std::string, double> figures;
  const Fingerprint& fp = run.fingerprint;
  figures["node cpu threads"] = fp.cpu.hardware_threads;
  figures["node memory GiB"] = static_cast<double>(fp.memory.os_total_bytes.value_or(fp.memory.total_bytes)) / (1ULL << 30);
  figures["node drives"] = static_cast<double>(fp.drives.size());
  for (const auto& m : run.storage) {
    if (m.status != MeasurementStatus::kOk) continue;
    if (m.bytes_per_s) figures[m.kernel + " GB/s"] = *m.bytes_per_s / 1e9;
    if (m.iops) figures[m.kernel + " IOPS"] = *m.iops;
  }
  if (run.network && run.network->bytes_per_s) figures["net.tcp Gbit/s"] = *run.network->bytes_per_s * 8 / 1e9;
  for (const auto& m : run.datapath) {
    if (m.bytes_per_s) figures[m.kernel + " GB/s"] = *m.bytes_per_s / 1e9;
  }
  return figures;
}

}  // namespace

std::string FormatRunSummary(const RunFiles& run) {
  std::ostringstream out;
  const Fingerprint& fp = run.fingerprint;
  out << "Run " << run.run_id << " (" << run.dir << "): " << (run.complete ? "complete" : "INCOMPLETE") << "\n";
  out << "  node " << fp.source.hostname << ": " << fp.cpu.hardware_threads << " threads, " << fp.drives.size() << " drives, "
      << fp.nics.size() << " NICs, cloud " << fp.cloud.vendor << "\n";
  for (const StageRecord& stage : run.manifest.stages) {
    out << "  stage " << (stage.name.empty() ? "?" : stage.name) << ": " << (stage.status.empty() ? "?" : stage.status);
    if (!stage.summary.empty()) out << " — " << stage.summary;
    if (!stage.reason.empty()) out << " — " << stage.reason;
    out << "\n";
  }
  for (const auto& m : run.storage) {
    out << "  " << m.kernel << "  " << (m.status == MeasurementStatus::kOk ? Printf("%.3f GB/s", m.bytes_per_s.value_or(0) / 1e9) + Printf(", %.0f IOPS", m.iops.value_or(0))
                                                         : std::string(MeasurementStatusName(m.status)) + ": " + m.reason)
        << "\n";
  }
  if (run.network) out << "  " << run.network->kernel << " -> " << run.network->target << "  " << Printf("%.2f Gbit/s", run.network->bytes_per_s.value_or(0) * 8 / 1e9) << "\n";
  for (const auto& m : run.datapath) out << "  " << m.kernel << "  " << Printf("%.2f GB/s per core", m.bytes_per_s.value_or(0) / 1e9) << "\n";
  return out.str();
}

std::string FormatRunComparison(const RunFiles& before, const RunFiles& after) {
  std::ostringstream out;
  out << "Compare " << before.run_id << " (" << before.fingerprint.source.hostname << ") -> " << after.run_id << " ("
      << after.fingerprint.source.hostname << ")\n";
  char line[200];
  std::snprintf(line, sizeof line, "  %-34s %14s %14s %9s\n", "figure", before.run_id.substr(0, 14).c_str(), after.run_id.substr(0, 14).c_str(), "change");
  out << line;
  const auto a = Figures(before), b = Figures(after);
  for (const auto& [name, value] : a) {
    const auto other = b.find(name);
    if (other == b.end()) {
      std::snprintf(line, sizeof line, "  %-34s %14.4g %14s %9s\n", name.c_str(), value, "-", "gone");
    } else {
      const std::string change = value != 0 ? Printf("%+.1f%%", (other->second / value - 1) * 100) : "";
      std::snprintf(line, sizeof line, "  %-34s %14.4g %14.4g %9s\n", name.c_str(), value, other->second, change.c_str());
    }
    out << line;
  }
  for (const auto& [name, value] : b) {
    if (a.count(name)) continue;
    std::snprintf(line, sizeof line, "  %-34s %14s %14.4g %9s\n", name.c_str(), "-", value, "new");
    out << line;
  }
  return out.str();
}

}  // namespace shapeq
