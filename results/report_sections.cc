// The report's sections from the run files: the runs, the node as probed, the measured
// figures (one node, or a fleet with its spread), and BuildReport, which orders them all.
#include "results/report_model.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>

#include "common/error.h"
#include "model/kernel_id.h"
#include "model/measurement.h"
#include "model/storage_detail.h"
#include "model/served.h"
#include "results/measurement_text.h"
#include "results/prometheus_export.h"
#include "scoring/measured_shape.h"
#include "shapeq/version.h"

namespace shapeq::report {
namespace {

using nlohmann::json;

std::string ShapeName(const Fingerprint& fp) {
  return fp.cloud.instance_type_hint.empty() ? fp.cloud.vendor + " node" : fp.cloud.instance_type_hint;
}

// What a node is, in the few words that decide whether two nodes are the same shape.
std::string ShapeKey(const Fingerprint& fp) {
  return ShapeName(fp) + ", " + fp.cpu.model + ", " + std::to_string(fp.cpu.hardware_threads) + " threads, " +
         std::to_string(fp.drives.size()) + " drives";
}

// Storage targets differ by path between runs; name them by what they are.
std::string TargetLabel(const std::string& target) {
  if (target.rfind("all ", 0) == 0) return target;
  if (target.rfind("/dev/", 0) == 0) return target.substr(5);
  return "scratch file";
}

// The median and the range of the known values.
struct Spread {
  std::optional<double> median, low, high;
};
Spread SpreadOf(const std::vector<double>& values) {
  if (values.empty()) return {};
  const auto [low, high] = std::minmax_element(values.begin(), values.end());
  return {Median(values), *low, *high};
}

// ---- Sections ------------------------------------------------------------------------------

Section RunsSection(const std::vector<RunFiles>& runs) {
  Section s{"runs", "Runs", {}, {}, {}};
  Table t{"How each run went", {"run", "node", "mode", "complete"}, {}};
  std::vector<std::string> stage_names;
  for (const auto& run : runs) {
    for (const StageRecord& stage : run.manifest.stages) {
      const std::string name = stage.name.empty() ? "?" : stage.name;
      if (std::find(stage_names.begin(), stage_names.end(), name) == stage_names.end()) stage_names.push_back(name);
    }
  }
  t.header.insert(t.header.end(), stage_names.begin(), stage_names.end());
  for (const auto& run : runs) {
    std::vector<Cell> row = {Text(run.run_id), Text(run.fingerprint.source.hostname), Text(run.manifest.mode.empty() ? "?" : run.manifest.mode),
                             Text(run.complete ? "yes" : "no", run.complete ? "pass" : "fail")};
    for (const auto& name : stage_names) {
      Cell cell = Text("-");
      for (const StageRecord& stage : run.manifest.stages) {
        if (stage.name != name) continue;
        const std::string status = stage.status.empty() ? "?" : stage.status;
        cell = Text(status, status == "ok" ? "pass" : status == "failed" ? "fail" : "unknown");
        if (!stage.reason.empty()) s.paragraphs.push_back(run.run_id + ": " + name + " " + status + " — " + stage.reason);
      }
      row.push_back(cell);
    }
    t.rows.push_back(row);
    if (!run.manifest.results_digest.empty()) {
      s.paragraphs.push_back(run.run_id + ": results digest sha256:" + run.manifest.results_digest +
                             " (over every file's SHA-256 in its manifest; shapeq verify checks the files, the digest and each figure)");
    }
  }
  std::set<std::string> shapes;
  for (const auto& run : runs) shapes.insert(ShapeKey(run.fingerprint));
  if (shapes.size() > 1) {
    std::string text = "These runs are not all of one shape:";
    for (const auto& shape : shapes) text += " [" + shape + "]";
    s.paragraphs.push_back(text + ". Spreads below mix shapes.");
  }
  s.tables.push_back(t);
  return s;
}

std::string DrivesText(const Fingerprint& fp) {
  std::map<std::string, int> groups;  // "nvme Micron 7450 7.68 TB" -> count
  for (const auto& d : fp.drives) {
    std::string text = d.kind + (d.model.empty() ? "" : " " + d.model) + " " + AutoText(static_cast<double>(d.capacity_bytes) / kTB) + " TB";
    if (d.system_disk) text += " (system disk)";
    ++groups[text];
  }
  std::string out;
  for (const auto& [text, count] : groups) out += (out.empty() ? "" : ", ") + std::to_string(count) + " x " + text;
  return out.empty() ? "none" : out;
}

std::string NicsText(const Fingerprint& fp) {
  std::string out;
  for (const auto& n : fp.nics) {
    out += (out.empty() ? "" : ", ") + n.name + " " + (n.link_gbps ? AutoText(n.link_gbps) + " Gbit/s" : "? Gbit/s") +
           (n.driver.empty() ? "" : " " + n.driver) + (n.rdma_devices.empty() ? "" : " +RDMA");
  }
  return out.empty() ? "none" : out;
}

Section NodeSection(const std::vector<RunFiles>& runs) {
  Section s{"node", "The node as probed", {}, {}, {}};
  Table t{"hwloc fingerprint", {"figure"}, {}};
  for (const auto& run : runs) t.header.push_back(run.fingerprint.source.hostname);
  using Getter = Cell (*)(const Fingerprint&);
  const std::pair<const char*, Getter> rows[] = {
      {"shape", [](const Fingerprint& fp) { return Text(ShapeName(fp)); }},
      {"cloud", [](const Fingerprint& fp) { return Text(fp.cloud.vendor + " — " + fp.cloud.reason); }},
      {"CPU", [](const Fingerprint& fp) { return Text(fp.cpu.model); }},
      {"sockets", [](const Fingerprint& fp) { return Count(fp.cpu.packages); }},
      {"cores", [](const Fingerprint& fp) { return Count(fp.cpu.cores); }},
      {"hardware threads", [](const Fingerprint& fp) { return Count(fp.cpu.hardware_threads); }},
      {"NUMA nodes", [](const Fingerprint& fp) { return Count(fp.cpu.numa_nodes); }},
      {"memory, GiB", [](const Fingerprint& fp) {
         return Number(static_cast<double>(fp.memory.os_total_bytes.value_or(fp.memory.total_bytes)) / (1ULL << 30));
       }},
      {"drives", [](const Fingerprint& fp) { return Text(DrivesText(fp)); }},
      {"NICs", [](const Fingerprint& fp) { return Text(NicsText(fp)); }},
      {"GPUs", [](const Fingerprint& fp) { return Count(static_cast<double>(fp.gpus.size())); }},
      {"kernel", [](const Fingerprint& fp) { return Text(fp.source.os_release); }},
      {"hwloc", [](const Fingerprint& fp) { return Text(fp.source.hwloc_version); }},
  };
  for (const auto& [name, get] : rows) {
    std::vector<Cell> row = {Text(name)};
    for (const auto& run : runs) row.push_back(get(run.fingerprint));
    t.rows.push_back(row);
  }
  s.tables.push_back(t);
  for (const auto& note : runs.front().fingerprint.notes) s.paragraphs.push_back("Probe note: " + note);
  return s;
}

// One measured figure on every node: the row of the measured table, and a chart bar.
struct FigureValues {
  std::string name, unit;
  std::vector<std::optional<double>> per_run;
  std::vector<double> repeats;  // one run: the repeats, for the whisker
  std::string kernel;           // the measurement's kernel, which says which chart it joins
};

// Each drive of a run over several, from the same fio run as the node's figure: a slow drive
// stands out against the median drive.
Table PerDriveTable(const std::vector<RunFiles>& runs) {
  Table t{"Per drive (one fio run over all drives; last repeat)", {"node", "kernel", "drive", "GB/s", "IOPS", "p99 ms", "vs median drive %"}, {}};
  for (const auto& run : runs) {
    for (const auto& m : run.storage) {
      const StorageDetail detail = StorageDetailOf(m);
      if (m.status != MeasurementStatus::kOk || !detail.Last() || detail.Last()->per_target.empty()) continue;
      const std::vector<StorageTargetFigures>& drives = detail.Last()->per_target;
      const KernelInfo* kernel = FindKernel(m.kernel);
      const bool by_iops = kernel && kernel->headline == Headline::kIops;
      std::vector<double> rates;
      for (const auto& d : drives) rates.push_back(by_iops ? d.iops : d.bytes_per_s);
      const auto median = SpreadOf(rates).median;
      for (size_t i = 0; i < drives.size(); ++i) {
        const StorageTargetFigures& d = drives[i];
        t.rows.push_back({Text(run.fingerprint.source.hostname), Text(m.kernel), Text(d.target.empty() ? "?" : d.target), Number(d.bytes_per_s / 1e9),
                          Count(d.iops), Number(InUnitsOf(d.p99_s, 1e-3)),
                          Number(median && *median > 0 ? std::optional((rates[i] / *median - 1) * 100) : std::nullopt)});
      }
    }
  }
  return t;
}

// What each node serves with its data path on every block, beside the drives alone and the
// prediction from the rest of the run; a served figure off its prediction by more than the noise
// is flagged in a paragraph with both figures.
Table ServedTable(const std::vector<RunFiles>& runs, std::vector<std::string>& flags) {
  Table t{"Served: the drives with the data path on every block, against min(drives alone, cores x data path per core)",
          {"node", "kernel", "data path", "served GB/s", "drives alone GB/s", "data-path tax %", "cores busy", "GB/s per busy core",
           "predicted GB/s", "vs predicted %"},
          {}};
  for (const auto& run : runs) {
    for (const ServedComparison& c : CompareServed(run.storage, run.datapath, run.fingerprint.cpu.hardware_threads)) {
      const auto tax = c.Tax(), off = c.VsPrediction();
      t.rows.push_back({Text(run.fingerprint.source.hostname), Text(c.kernel), Text(c.datapath), Number(InUnitsOf(c.served_bytes_per_s, 1e9)),
                        Number(InUnitsOf(c.raw_bytes_per_s, 1e9)), Number(tax ? std::optional(*tax * 100) : std::nullopt),
                        Number(c.cpu_cores_busy), Number(InUnitsOf(c.PerBusyCore(), 1e9)), Number(InUnitsOf(c.predicted_bytes_per_s, 1e9)),
                        off ? Cell{AutoText(*off * 100), *off * 100, c.Disagrees() ? "fail" : "pass"} : Text("-")});
      char text[400];
      if (c.Disagrees()) {
        std::snprintf(text, sizeof text, "%s: %s served %.3g GB/s where the run predicts %.3g GB/s (%s): %+.0f%%, more than the %.0f%% noise.",
                      run.run_id.c_str(), c.kernel.c_str(), *c.served_bytes_per_s / 1e9, *c.predicted_bytes_per_s / 1e9, c.prediction_note.c_str(),
                      *off * 100, kServedNoiseFraction * 100);
        flags.push_back(text);
      } else if (!c.predicted_bytes_per_s) {
        flags.push_back(run.run_id + ": " + c.kernel + " has no prediction: " + c.prediction_note + ".");
      }
    }
  }
  return t;
}

Section MeasuredSection(const std::vector<RunFiles>& runs) {
  Section s{"measured", "Measured figures", {}, {}, {}};
  std::vector<FigureValues> figures;  // in first-seen order
  auto figure = [&](const std::string& name, const std::string& unit, const std::string& kernel) -> FigureValues& {
    for (auto& f : figures) {
      if (f.name == name && f.unit == unit) return f;
    }
    figures.push_back({name, unit, std::vector<std::optional<double>>(runs.size()), {}, kernel});
    return figures.back();
  };
  auto scaled_repeats = [](const std::vector<double>& repeats, double scale) {
    std::vector<double> out;
    for (double r : repeats) out.push_back(r / scale);
    return out;
  };
  for (size_t i = 0; i < runs.size(); ++i) {
    for (const auto& m : runs[i].storage) {
      const std::string name = m.kernel + " on " + TargetLabel(m.target);
      if (m.status != MeasurementStatus::kOk) {
        s.paragraphs.push_back(runs[i].run_id + ": " + name + " " + MeasurementStatusName(m.status) + " — " + m.reason);
        continue;
      }
      auto& bandwidth = figure(name, "GB/s", m.kernel);
      bandwidth.per_run[i] = InUnitsOf(m.bytes_per_s, 1e9);
      if (runs.size() == 1) bandwidth.repeats = scaled_repeats(m.repeats_bytes_per_s, 1e9);
      auto& iops = figure(name, "IOPS", m.kernel);
      iops.per_run[i] = m.iops;
      if (runs.size() == 1) iops.repeats = m.repeats_iops;
      figure(name, "p99 latency, ms", m.kernel).per_run[i] = InUnitsOf(StorageLatencyPercentile(m, "p99"), 1e-3);
    }
    if (const auto& net = runs[i].network) {
      // "peer", not its address: each node of a fleet has its own peer, and the rows must line up.
      const bool loopback = IsLoopbackPeer(net->target);
      const std::string name = net->kernel + " to " + (loopback ? "loopback" : "peer");
      if (!loopback) s.paragraphs.push_back(runs[i].run_id + ": " + net->kernel + " peer " + net->target + ".");
      if (net->status == MeasurementStatus::kOk) {
        auto& f = figure(name, "Gbit/s", net->kernel);
        f.per_run[i] = InUnitsOf(net->bytes_per_s, 1e9 / 8);
        if (runs.size() == 1) f.repeats = scaled_repeats(net->repeats_bytes_per_s, 1e9 / 8);
      } else {
        s.paragraphs.push_back(runs[i].run_id + ": " + name + " " + MeasurementStatusName(net->status) + " — " + net->reason);
      }
    }
    for (const auto& m : runs[i].datapath) {
      if (m.status == MeasurementStatus::kOk) figure(m.kernel + " on one core", "GB/s", m.kernel).per_run[i] = InUnitsOf(m.bytes_per_s, 1e9);
    }
  }
  if (figures.empty()) {
    s.paragraphs.push_back("Nothing was measured.");
    return s;
  }

  const bool fleet = runs.size() > 1;
  Table t{fleet ? "Per node, with the spread across nodes ((max - min) / median)" : "Medians of the repeats", {"figure", "unit"}, {}};
  for (const auto& run : runs) t.header.push_back(run.fingerprint.source.hostname);
  if (fleet) t.header.insert(t.header.end(), {"min", "median", "max", "spread %"});
  Chart storage_chart{"Storage throughput per kernel" + std::string(fleet ? " (median, bar: min to max across nodes)" : " (bar: repeats)"),
                      "GB/s", false, {}, {}, ""};
  Chart iops_chart{"Storage operations per kernel", "IOPS", true, {}, {}, ""};
  Chart datapath_chart{"Data path on one core (memcpy is the peer)", "GB/s", false, {}, {}, ""};
  for (const auto& f : figures) {
    std::vector<Cell> row = {Text(f.name), Text(f.unit)};
    std::vector<double> known;
    for (const auto& v : f.per_run) {
      row.push_back(Number(v));
      if (v) known.push_back(*v);
    }
    const Spread across_nodes = SpreadOf(known);
    if (fleet) {
      const std::optional<double> spread_percent =
          across_nodes.median && *across_nodes.median > 0 ? std::optional((*across_nodes.high - *across_nodes.low) / *across_nodes.median * 100) : std::nullopt;
      row.insert(row.end(), {Number(across_nodes.low), Number(across_nodes.median), Number(across_nodes.high), Number(spread_percent)});
    }
    t.rows.push_back(row);
    const Spread whisker = fleet ? across_nodes : SpreadOf(f.repeats);
    const Bar bar{f.name, across_nodes.median, whisker.low, whisker.high, "neutral"};
    const auto family = KernelFamilyOf(f.kernel);
    const KernelInfo* kernel = FindKernel(f.kernel);
    if (f.unit == "GB/s" && family == KernelFamily::kStorage) storage_chart.bars.push_back(bar);
    if (f.unit == "IOPS" && kernel && kernel->family == KernelFamily::kStorage && kernel->headline == Headline::kIops) iops_chart.bars.push_back(bar);
    if (f.unit == "GB/s" && family == KernelFamily::kDatapath) datapath_chart.bars.push_back(bar);
  }
  for (auto* chart : {&storage_chart, &iops_chart, &datapath_chart}) {
    if (!chart->bars.empty()) s.charts.push_back(*chart);
  }
  s.tables.push_back(t);
  if (auto drives = PerDriveTable(runs); !drives.rows.empty()) s.tables.push_back(drives);
  if (auto served = ServedTable(runs, s.paragraphs); !served.rows.empty()) s.tables.push_back(served);
  return s;
}

}  // namespace

Report BuildReport(const std::vector<RunFiles>& runs) {
  Report report;
  const RunFiles& first = runs.front();
  report.title = runs.size() == 1 ? "Shape report: " + ShapeName(first.fingerprint) + " (" + first.fingerprint.source.hostname + ")"
                                  : "Shape report: " + std::to_string(runs.size()) + " nodes of " + ShapeName(first.fingerprint);
  report.subtitle.push_back("shapeq " + std::string(kVersion) + "; run " + first.run_id + " started " +
                            (first.manifest.started_utc.empty() ? "?" : first.manifest.started_utc) + (runs.size() > 1 ? " (and " + std::to_string(runs.size() - 1) + " more)" : ""));
  report.sections.push_back(RunsSection(runs));
  report.sections.push_back(NodeSection(runs));
  report.sections.push_back(MeasuredSection(runs));

  const RunFiles* scored = nullptr;
  for (const auto& run : runs) {
    if (!scored && run.scores) scored = &run;
  }
  if (!scored) {
    report.sections.push_back({"verdicts", "Verdicts", {"No run was scored (verdicts.json is missing): see the runs table."}, {}, {}});
    return report;
  }
  report.sections.push_back(RatedVsMeasuredSection(*scored));
  // One target's verdicts at a time, the 1 EB comparison first, the others in name order.
  const ScoreDocument& document = *scored->scores;
  const auto all = document.Pairs();
  auto for_target = [&all](const std::string& name) {
    std::vector<ScoredPair> pairs;
    std::copy_if(all.begin(), all.end(), std::back_inserter(pairs), [&](const ScoredPair& p) { return p.target->name == name; });
    return pairs;
  };
  // The answer opens the report, before the runs and raw figures it rests on.
  report.sections.insert(report.sections.begin(), AnswerFirstSection(all, document.claims));
  if (const auto compare = for_target("reference-1eb"); !compare.empty()) report.sections.push_back(ComparisonSection(document, compare));
  report.sections.push_back(WhatDecidesSection(all, document.claims));
  if (!document.claims.empty()) report.sections.push_back(ClaimsSection(document.claims));
  for (const auto& target : document.targets) {
    if (const auto pairs = for_target(target.name); target.name != "reference-1eb" && !pairs.empty()) report.sections.push_back(TargetSection(pairs));
  }
  return report;
}

}  // namespace shapeq::report
