#include "results/measurement_text.h"

#include <cstdio>
#include <algorithm>
#include <sstream>
#include <iomanip>
#include <map>

#include "model/datapath_detail.h"
#include "model/kernel_id.h"
#include "model/net_detail.h"
#include "model/storage_detail.h"
#include "results/number_text.h"

namespace shapeq {
namespace {

std::string Gbit(double bytes_per_s) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f Gbit/s", bytes_per_s * 8 / 1e9);
  return text;
}

std::string Latency(std::optional<double> seconds) {
  if (!seconds) return "?";
  return *seconds >= 1e-3 ? Printf("%.2f ms", *seconds * 1e3) : Printf("%.0f us", *seconds * 1e6);
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
      const StorageDetail detail = StorageDetailOf(m);
      if (const StorageRepeat* last = detail.Last()) {
        const StorageDirection& busier = last->Busier();
        out << "  clat p50 " << Latency(busier.Percentile("p50")) << ", p99 " << Latency(busier.Percentile("p99")) << ", p99.9 "
            << Latency(busier.Percentile("p99.9"));
        if (last->latency_bound_depth) out << "  (depth " << *last->latency_bound_depth << " under the bound)";
        // The slowest and fastest drive (or host) of the one run over all of them.
        const auto& drives = last->per_target;
        if (drives.size() > 1) {
          const auto [slow, fast] = std::minmax_element(drives.begin(), drives.end(),
                                                        [](const auto& a, const auto& b) { return a.bytes_per_s < b.bytes_per_s; });
          out << "\n  per " << (detail.fleet ? "host" : "drive") << ": slowest " << slow->target << " " << Printf("%.3f GB/s", slow->bytes_per_s / 1e9)
              << ", fastest " << fast->target << " " << Printf("%.3f GB/s", fast->bytes_per_s / 1e9);
        }
      }
      out << "\n  " << m.repeats_bytes_per_s.size() << " repeats, spread " << Printf("%.1f%%", m.spread_fraction.value_or(0) * 100)
          << ", CPU " << Printf("%.2f cores", m.cpu_cores_busy.value_or(0))
          << (FindKernel(m.kernel) && FindKernel(m.kernel)->served && m.cpu_cores_busy.value_or(0) > 0
                  ? Printf(" (%.2f GB/s per busy core)", *m.bytes_per_s / *m.cpu_cores_busy / 1e9)
                  : "")
          << (detail.steady ? (*detail.steady ? ", steady" : ", NOT steady") : "") << "\n";
    }
    if (m.status != MeasurementStatus::kOk) out << "  " << MeasurementStatusName(m.status) << ": " << m.reason << "\n";
  }
  return out.str();
}

std::string FormatStorageFleet(const std::vector<Measurement>& results) {
  std::ostringstream out;
  for (const auto& m : results) {
    out << FormatStorage({m});
    for (const StorageHost& host : StorageDetailOf(m).hosts) {
      out << "    " << (host.host.empty() ? "?" : host.host);
      if (!host.ran) {
        out << "  refused: " << host.reason << "\n";
        continue;
      }
      out << " (" << (host.hostname.empty() ? "?" : host.hostname) << ")";
      if (host.has_figures) {
        out << "  " << Printf("%.3f GB/s", host.bytes_per_s.value_or(0) / 1e9) << "  " << Printf("%.0f IOPS", host.iops.value_or(0));
        if (host.p99_s) out << "  p99 " << Latency(host.p99_s);
        if (!host.status.empty() && host.status != "ok") out << "  " << host.status;
      }
      out << "\n";
    }
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
  const NetDetail detail = NetDetailOf(m);
  if (!detail.repeats.empty()) {
    const NetRepeat& last = detail.repeats.back();
    for (const NetStream& s : last.streams) {
      out << "  stream " << s.index << " " << s.direction << "  " << Gbit(s.bits_per_s / 8) << "  " << s.retransmits << " retransmits\n";
    }
    char cpu[160];
    std::snprintf(cpu, sizeof cpu, "  CPU      client %.2f cores, server %s cores (last repeat)\n", last.client_cpu_cores,
                  last.server_cpu_cores ? std::to_string(*last.server_cpu_cores).substr(0, 4).c_str() : "?");
    out << cpu;
  }
  out << "  status   " << MeasurementStatusName(m.status) << (m.reason.empty() ? "" : ": " + m.reason) << "\n";
  if (detail.partial_bytes_per_s) out << "  before it failed: " << Gbit(*detail.partial_bytes_per_s) << "\n";
  return out.str();
}

// Each pair, with the ones well below the median marked: a slow link or node stands out.
std::optional<double> BisectionEstimate(const std::vector<Measurement>& pairs) {
  // Per round, the sum of its pairs' rates, one direction: every pairwise round is a perfect
  // matching, which some cut of the hosts into halves carries whole. The slowest round bounds it.
  std::map<size_t, double> round_total;
  for (const auto& m : pairs) {
    if (NetPairOf(m).pattern != "pairwise" || !m.bytes_per_s || m.status != MeasurementStatus::kOk) continue;
    round_total[NetPairOf(m).round] += *m.bytes_per_s;
  }
  if (round_total.empty()) return std::nullopt;
  double slowest = round_total.begin()->second;
  for (const auto& [round, total] : round_total) slowest = std::min(slowest, total);
  return slowest / 2;
}


FleetMatrix FleetNetworkMatrix(const std::vector<Measurement>& pairs) {
  FleetMatrix f;
  std::map<size_t, double> round_wall_s;
  for (const auto& m : pairs) {
    const NetPair pair = NetPairOf(m);
    const std::string& from = pair.from;
    const std::string& to = pair.to;
    for (const auto& host : {from, to}) {
      if (std::find(f.hosts.begin(), f.hosts.end(), host) == f.hosts.end()) f.hosts.push_back(host);
    }
    if (m.status == MeasurementStatus::kOk && m.bytes_per_s) f.bytes_per_s[{from, to}] = *m.bytes_per_s;
    round_wall_s[pair.round] = pair.round_wall_s;
  }
  for (const auto& [round, s] : round_wall_s) f.wall_s += s;
  f.rounds = round_wall_s.size();
  f.pattern = pairs.empty() ? "" : NetPairOf(pairs.front()).pattern;
  return f;
}

std::string FormatNetFleet(const std::vector<Measurement>& pairs) {
  std::vector<double> rates;
  for (const auto& m : pairs) {
    if (m.bytes_per_s) rates.push_back(*m.bytes_per_s);
  }
  const FleetMatrix matrix = FleetNetworkMatrix(pairs);
  const auto& hosts = matrix.hosts;
  const double median = Median(rates).value_or(0);
  std::ostringstream out;
  out << "net.tcp fleet" << (matrix.pattern.empty() ? "" : " " + matrix.pattern) << ": " << pairs.size() << " pairs in "
      << matrix.rounds << (matrix.rounds == 1 ? " round" : " rounds") << " (" << static_cast<int>(matrix.wall_s + 0.5) << " s), median "
      << Gbit(median) << "\n";
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
  // The matrix, Gbit/s: a row per sender, a column per receiver.
  out << "  Gbit/s from \\ to";
  for (size_t j = 0; j < hosts.size(); ++j) out << "  " << std::setw(8) << ("#" + std::to_string(j + 1));
  out << "\n";
  for (size_t i = 0; i < hosts.size(); ++i) {
    out << "  " << std::left << std::setw(16) << ("#" + std::to_string(i + 1) + " " + hosts[i]).substr(0, 16) << std::right;
    for (const auto& to : hosts) {
      const auto it = matrix.bytes_per_s.find({hosts[i], to});
      char cell[16];
      std::snprintf(cell, sizeof cell, "%.2f", it == matrix.bytes_per_s.end() ? 0.0 : it->second * 8 / 1e9);
      out << "  " << std::setw(8) << (it == matrix.bytes_per_s.end() ? "-" : cell);
    }
    out << "\n";
  }
  if (const auto bisection = BisectionEstimate(pairs)) out << "  bisection estimate: " << Gbit(*bisection) << " (the slowest round's total, one way)\n";
  return out.str();
}

std::string FormatDatapath(const std::vector<Measurement>& results) {
  std::string text;
  char line[160];
  std::snprintf(line, sizeof line, "%-30s %14s %16s %10s %8s\n", "kernel (one core)", "GB/s", "cores per 10 GB/s", "x memcpy", "spread");
  text += line;
  for (const auto& m : results) {
    const auto relative_to_memcpy = DatapathDetailOf(m).relative_to_memcpy;
    const std::string relative = relative_to_memcpy ? std::to_string(*relative_to_memcpy).substr(0, 5) : "?";
    std::snprintf(line, sizeof line, "%-30s %14.2f %16.2f %10s %7.1f%%\n", m.kernel.c_str(), *m.bytes_per_s / 1e9, 10e9 / *m.bytes_per_s,
                  relative.c_str(), m.spread_fraction.value_or(0) * 100);
    text += line;
  }
  return text;
}

}  // namespace shapeq
