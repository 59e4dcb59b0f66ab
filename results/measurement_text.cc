#include "results/measurement_text.h"

#include <cstdio>
#include <algorithm>
#include <sstream>

#include "results/number_text.h"

namespace shapeq {
namespace {

std::string Gbit(double bytes_per_s) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f Gbit/s", bytes_per_s * 8 / 1e9);
  return text;
}

std::string Latency(const nlohmann::json& percentiles, const char* key) {
  if (!percentiles.contains(key)) return "?";
  const double s = percentiles[key].get<double>();
  return s >= 1e-3 ? Printf("%.2f ms", s * 1e3) : Printf("%.0f us", s * 1e6);
}

}  // namespace

std::string FormatStorage(const std::vector<Measurement>& results) {
  std::ostringstream out;
  for (const auto& m : results) {
    out << m.kernel << "  " << m.target << "\n";
    if (m.status == MeasurementStatus::kSkipped) {
      out << "  skipped: " << m.reason << "\n";
      continue;
    }
    if (m.bytes_per_s) {
      out << "  " << Printf("%.3f GB/s", *m.bytes_per_s / 1e9) << "  " << Printf("%.0f IOPS", m.iops.value_or(0));
      const auto repeats = m.detail.value("repeats", nlohmann::json::array());
      if (!repeats.empty()) {
        const auto& last = repeats.back();
        const auto& dir = last.value("read", nlohmann::json::object()).value("iops", 0.0) > 0 ? last["read"] : last["write"];
        const auto p = dir.value("clat_percentiles_s", nlohmann::json::object());
        out << "  clat p50 " << Latency(p, "p50") << ", p99 " << Latency(p, "p99") << ", p99.9 " << Latency(p, "p99.9");
        if (last.contains("latency_bound")) out << "  (depth " << last["latency_bound"].value("depth", 0.0) << " under the bound)";
        // The slowest and fastest drive of the one run over all of them.
        const auto drives = last.value("per_target", nlohmann::json::array());
        if (drives.size() > 1) {
          auto rate = [&](const nlohmann::json& d) { return d.value("bytes_per_s", 0.0); };
          const auto [slow, fast] = std::minmax_element(drives.begin(), drives.end(), [&](const auto& a, const auto& b) { return rate(a) < rate(b); });
          out << "\n  per drive: slowest " << slow->value("target", "?") << " " << Printf("%.3f GB/s", rate(*slow) / 1e9) << ", fastest "
              << fast->value("target", "?") << " " << Printf("%.3f GB/s", rate(*fast) / 1e9);
        }
      }
      out << "\n  " << m.repeats_bytes_per_s.size() << " repeats, spread " << Printf("%.1f%%", m.spread_fraction.value_or(0) * 100)
          << ", CPU " << Printf("%.2f cores", m.cpu_cores_busy.value_or(0))
          << (m.kernel.rfind("fio.served_", 0) == 0 && m.cpu_cores_busy.value_or(0) > 0
                  ? Printf(" (%.2f GB/s per busy core)", *m.bytes_per_s / *m.cpu_cores_busy / 1e9)
                  : "")
          << (m.detail.contains("steady") ? (m.detail["steady"].get<bool>() ? ", steady" : ", NOT steady") : "") << "\n";
    }
    if (m.status != MeasurementStatus::kOk) out << "  " << MeasurementStatusName(m.status) << ": " << m.reason << "\n";
  }
  return out.str();
}

std::string FormatNetMeasurement(const Measurement& m) {
  std::ostringstream out;
  const auto& p = m.params;
  out << m.kernel << " -> " << m.target << "  " << p.value("direction", "") << ", " << p.value("streams", 0u)
      << " streams, " << p.value("repeats", 0u) << " x " << p.value("duration_s", 0.0) << " s (" << p.value("warmup_s", 0.0)
      << " s warm-up excluded)" << (p.value("cpus", "").empty() ? "" : ", pinned to CPUs " + p.value("cpus", "")) << "\n";
  if (m.bytes_per_s) {
    out << "  total    " << Gbit(*m.bytes_per_s) << "  median of " << m.repeats_bytes_per_s.size() << " (";
    for (size_t i = 0; i < m.repeats_bytes_per_s.size(); ++i) out << (i ? ", " : "") << Gbit(m.repeats_bytes_per_s[i]);
    char spread[32];
    std::snprintf(spread, sizeof spread, "%.1f%%", m.spread_fraction.value_or(0) * 100);
    out << "; spread " << spread << ")\n";
  }
  const auto& repeats = m.detail.value("repeats", nlohmann::json::array());
  if (!repeats.empty()) {
    const auto& last = repeats.back();
    for (const auto& s : last.value("streams", nlohmann::json::array())) {
      out << "  stream " << s.value("index", 0u) << " " << s.value("direction", "") << "  " << Gbit(s.value("bits_per_s", 0.0) / 8)
          << "  " << s.value("retransmits", 0u) << " retransmits\n";
    }
    char cpu[160];
    std::snprintf(cpu, sizeof cpu, "  CPU      client %.2f cores, server %s cores (last repeat)\n", last.value("client_cpu_cores", 0.0),
                  last["server_cpu_cores"].is_number() ? std::to_string(last["server_cpu_cores"].get<double>()).substr(0, 4).c_str() : "?");
    out << cpu;
  }
  out << "  status   " << MeasurementStatusName(m.status) << (m.reason.empty() ? "" : ": " + m.reason) << "\n";
  if (m.detail.contains("partial_bytes_per_s")) out << "  before it failed: " << Gbit(m.detail["partial_bytes_per_s"]) << "\n";
  return out.str();
}

// Each pair, with the ones well below the median marked: a slow link or node stands out.
std::string FormatNetFleet(const std::vector<Measurement>& pairs) {
  std::vector<double> rates;
  for (const auto& m : pairs) {
    if (m.bytes_per_s) rates.push_back(*m.bytes_per_s);
  }
  const double median = Median(rates).value_or(0);
  std::ostringstream out;
  out << "net.tcp fleet: " << pairs.size() << " pairs, median " << Gbit(median) << "\n";
  for (const auto& m : pairs) {
    out << "  " << m.target << "  ";
    if (m.bytes_per_s) {
      out << Gbit(*m.bytes_per_s);
      if (*m.bytes_per_s < 0.8 * median) out << "  SLOW (" << static_cast<int>(*m.bytes_per_s / median * 100) << "% of median)";
    } else {
      out << "failed: " << m.reason;
    }
    out << "\n";
  }
  return out.str();
}

std::string FormatDatapath(const std::vector<Measurement>& results) {
  std::string text;
  char line[160];
  std::snprintf(line, sizeof line, "%-30s %14s %16s %10s %8s\n", "kernel (one core)", "GB/s", "cores per 10 GB/s", "x memcpy", "spread");
  text += line;
  for (const auto& m : results) {
    const std::string relative = m.detail.contains("relative_to_memcpy") ? std::to_string(m.detail["relative_to_memcpy"].get<double>()).substr(0, 5) : "?";
    std::snprintf(line, sizeof line, "%-30s %14.2f %16.2f %10s %7.1f%%\n", m.kernel.c_str(), *m.bytes_per_s / 1e9, 10e9 / *m.bytes_per_s,
                  relative.c_str(), m.spread_fraction.value_or(0) * 100);
    text += line;
  }
  return text;
}

}  // namespace shapeq
