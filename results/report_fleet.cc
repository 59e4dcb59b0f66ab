// The report's fleet sections: the network matrix between the hosts, and each storage kernel
// run on every host at once, each host's rate coloured by its share of the fastest.
#include <algorithm>
#include <string>

#include "model/measurement.h"
#include "model/storage_detail.h"
#include "results/measurement_text.h"
#include "results/report_model.h"

namespace shapeq::report {

Section FleetNetworkSection(const std::vector<Measurement>& pairs) {
  Section s{"fleet-network", "Network across the fleet", {}, {}, {}};
  const FleetMatrix matrix = FleetNetworkMatrix(pairs);
  double fastest = 0;
  for (const auto& [pair, rate] : matrix.bytes_per_s) fastest = std::max(fastest, rate * 8 / 1e9);
  s.paragraphs.push_back(std::to_string(pairs.size()) + " pairs, pattern " + (matrix.pattern.empty() ? "ring" : matrix.pattern) + ", in " +
                         std::to_string(matrix.rounds) + (matrix.rounds == 1 ? " round" : " rounds") + " of concurrent pairs (" +
                         AutoText(matrix.wall_s) + " s). Gbit/s a row per sender, a column per receiver; each cell coloured by its fraction of the fastest pair.");
  if (const auto bisection = BisectionEstimate(pairs)) {
    s.paragraphs.push_back("Bisection estimate: " + AutoText(*bisection * 8 / 1e9) +
                           " Gbit/s (the slowest pairwise round's total, one way: every round is a perfect matching some halving cut carries whole).");
  }
  Table t{"Gbit/s, from (row) to (column)", {"from \\ to"}, {}};
  for (const auto& h : matrix.hosts) t.header.push_back(h);
  for (const auto& from : matrix.hosts) {
    std::vector<Cell> row = {Text(from)};
    for (const auto& to : matrix.hosts) {
      const auto it = matrix.bytes_per_s.find({from, to});
      if (it == matrix.bytes_per_s.end()) {
        row.push_back(Text(from == to ? "" : "-"));
        continue;
      }
      const double gbit = it->second * 8 / 1e9;
      Cell cell = Number(gbit);
      const int bucket = fastest > 0 ? std::min(4, static_cast<int>(gbit / fastest * 5)) : 0;
      cell.css = "heat" + std::to_string(bucket);
      row.push_back(cell);
    }
    t.rows.push_back(row);
  }
  s.tables.push_back(t);
  return s;
}

Section FleetStorageSection(const std::vector<Measurement>& kernels) {
  Section s{"fleet-storage", "Storage across the fleet", {}, {}, {}};
  s.paragraphs.push_back("Every host ran each kernel at once through fio's client/server, on the drives its net-serve lends and with a job "
                         "it planned itself (its drives, its CPUs). The fleet row sums the hosts; latency percentiles merge their histograms. "
                         "Each host's rate is coloured by its fraction of the fastest host's.");
  for (const auto& m : kernels) {
    Table t{m.kernel + " (" + m.target + ")", {"host", "hostname", "GB/s", "IOPS", "p99 ms", "share %", "status"}, {}};
    const StorageDetail detail = StorageDetailOf(m);
    double fastest = 0;
    size_t with_figures = 0;
    for (const StorageHost& host : detail.hosts) {
      fastest = std::max(fastest, host.bytes_per_s.value_or(0));
      with_figures += host.has_figures;
    }
    for (const StorageHost& host : detail.hosts) {
      const std::string label = host.host.empty() ? "?" : host.host;
      if (!host.ran || !host.has_figures) {
        t.rows.push_back({Text(label), Text(""), Text(""), Text(""), Text(""), Text(""), Text("refused: " + host.reason, "fail")});
        continue;
      }
      const double rate = host.bytes_per_s.value_or(0);
      Cell gbytes = Number(rate / 1e9);
      gbytes.css = "heat" + std::to_string(fastest > 0 ? std::min(4, static_cast<int>(rate / fastest * 5)) : 0);
      t.rows.push_back({Text(label), Text(host.hostname), gbytes, Count(host.iops.value_or(0)), Number(InUnitsOf(host.p99_s, 1e-3)),
                        Number(m.bytes_per_s && *m.bytes_per_s > 0 ? std::optional(rate / *m.bytes_per_s * 100) : std::nullopt),
                        Text(host.status, host.status == "ok" ? "pass" : "fail")});
    }
    t.rows.push_back({Text("fleet"), Text(std::to_string(with_figures) + " hosts"), Number(InUnitsOf(m.bytes_per_s, 1e9)), Count(m.iops), Text(""),
                      Text(""), Text(MeasurementStatusName(m.status) + (m.reason.empty() ? "" : ": " + m.reason),
                                      m.status == MeasurementStatus::kOk ? "pass" : m.status == MeasurementStatus::kSkipped ? "unknown" : "fail")});
    s.tables.push_back(t);
  }
  return s;
}

}  // namespace shapeq::report
