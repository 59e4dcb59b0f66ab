#include "results/shape_report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include "common/atomic_file.h"
#include "common/error.h"
#include "results/number_text.h"
#include "results/prometheus_export.h"
#include "shapeq/version.h"

namespace shapeq {
namespace {

using nlohmann::json;
constexpr double kTB = 1e12;

// ---- The report as plain data: sections of paragraphs, tables and charts ------------------

struct Cell {
  std::string text;             // for people (HTML, Markdown)
  std::optional<double> value;  // for spreadsheets (CSV); empty: the text is the value
  std::string css;              // pass, fail, unknown: coloured in HTML
};

Cell Text(std::string text, std::string css = "") { return {std::move(text), std::nullopt, std::move(css)}; }
Cell Number(std::optional<double> value) { return {AutoText(value), value, ""}; }
Cell Count(std::optional<double> value) { return {CountText(value), value, ""}; }

struct Table {
  std::string caption;
  std::vector<std::string> header;
  std::vector<std::vector<Cell>> rows;
};

struct Bar {
  std::string label;
  std::optional<double> value;             // drawn when > 0
  std::optional<double> low, high;         // a whisker: spread across repeats or nodes
  std::string css = "neutral";             // pass, fail, unknown, neutral
};

struct Chart {
  std::string title;
  std::string unit;
  bool log_scale = false;
  std::vector<Bar> bars;
  std::optional<double> reference;  // the target's requirement, a dashed line
  std::string reference_label;
};

struct Section {
  std::string id;
  std::string heading;
  std::vector<std::string> paragraphs;
  std::vector<Chart> charts;
  std::vector<Table> tables;
};

struct Report {
  std::string title;
  std::vector<std::string> subtitle;
  std::vector<Section> sections;
};

// ---- Reading the results -------------------------------------------------------------

std::optional<double> Number(const json& object, const char* key) {
  if (!object.is_object() || !object.contains(key) || !object[key].is_number()) return std::nullopt;
  return object[key].get<double>();
}

std::optional<double> Scaled(std::optional<double> value, double scale) {
  return value ? std::optional(*value / scale) : std::nullopt;
}

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
    for (const auto& stage : run.manifest.value("stages", json::array())) {
      const std::string name = stage.value("name", "?");
      if (std::find(stage_names.begin(), stage_names.end(), name) == stage_names.end()) stage_names.push_back(name);
    }
  }
  t.header.insert(t.header.end(), stage_names.begin(), stage_names.end());
  for (const auto& run : runs) {
    std::vector<Cell> row = {Text(run.run_id), Text(run.fingerprint.source.hostname), Text(run.manifest.value("mode", "?")),
                             Text(run.complete ? "yes" : "no", run.complete ? "pass" : "fail")};
    for (const auto& name : stage_names) {
      Cell cell = Text("-");
      for (const auto& stage : run.manifest.value("stages", json::array())) {
        if (stage.value("name", "") != name) continue;
        const std::string status = stage.value("status", "?");
        cell = Text(status, status == "ok" ? "pass" : status == "failed" ? "fail" : "unknown");
        if (stage.contains("reason")) {
          s.paragraphs.push_back(run.run_id + ": " + name + " " + status + " — " + stage["reason"].get<std::string>());
        }
      }
      row.push_back(cell);
    }
    t.rows.push_back(row);
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
};

Section MeasuredSection(const std::vector<RunFiles>& runs) {
  Section s{"measured", "Measured figures", {}, {}, {}};
  std::vector<FigureValues> figures;  // in first-seen order
  auto figure = [&](const std::string& name, const std::string& unit) -> FigureValues& {
    for (auto& f : figures) {
      if (f.name == name && f.unit == unit) return f;
    }
    figures.push_back({name, unit, std::vector<std::optional<double>>(runs.size()), {}});
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
      if (m.status != "ok") {
        s.paragraphs.push_back(runs[i].run_id + ": " + name + " " + m.status + " — " + m.reason);
        continue;
      }
      auto& bandwidth = figure(name, "GB/s");
      bandwidth.per_run[i] = Scaled(m.bytes_per_s, 1e9);
      if (runs.size() == 1) bandwidth.repeats = scaled_repeats(m.repeats_bytes_per_s, 1e9);
      auto& iops = figure(name, "IOPS");
      iops.per_run[i] = m.iops;
      if (runs.size() == 1) iops.repeats = m.repeats_iops;
      figure(name, "p99 latency, ms").per_run[i] = Scaled(StorageLatencyPercentile(m, "p99"), 1e-3);
    }
    if (const auto& net = runs[i].network) {
      // "peer", not its address: each node of a fleet has its own peer, and the rows must line up.
      const bool loopback = net->target.rfind("127.", 0) == 0;
      const std::string name = net->kernel + " to " + (loopback ? "loopback" : "peer");
      if (!loopback) s.paragraphs.push_back(runs[i].run_id + ": " + net->kernel + " peer " + net->target + ".");
      if (net->status == "ok") {
        auto& f = figure(name, "Gbit/s");
        f.per_run[i] = Scaled(net->bytes_per_s, 1e9 / 8);
        if (runs.size() == 1) f.repeats = scaled_repeats(net->repeats_bytes_per_s, 1e9 / 8);
      } else {
        s.paragraphs.push_back(runs[i].run_id + ": " + name + " " + net->status + " — " + net->reason);
      }
    }
    for (const auto& m : runs[i].datapath) {
      if (m.status == "ok") figure(m.kernel + " on one core", "GB/s").per_run[i] = Scaled(m.bytes_per_s, 1e9);
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
    if (f.unit == "GB/s" && f.name.rfind("fio.", 0) == 0) storage_chart.bars.push_back(bar);
    if (f.unit == "IOPS" && f.name.find("rand") != std::string::npos) iops_chart.bars.push_back(bar);
    if (f.unit == "GB/s" && f.name.rfind("datapath.", 0) == 0) datapath_chart.bars.push_back(bar);
  }
  for (auto* chart : {&storage_chart, &iops_chart, &datapath_chart}) {
    if (!chart->bars.empty()) s.charts.push_back(*chart);
  }
  s.tables.push_back(t);
  return s;
}

// The node sized as a shape (scored from raw-device runs), beside its catalog twin.
Section RatedVsMeasuredSection(const RunFiles& run) {
  Section s{"rated", "Measured against rated", {}, {}, {}};
  const json shapes = run.verdicts.value("shapes", json::object());
  const std::string rated_name = run.manifest.value("rated_shape", json()).is_string() ? run.manifest["rated_shape"].get<std::string>() : "";
  const json* measured = nullptr;
  for (const auto& [name, shape] : shapes.items()) {
    if (name.rfind("measured-", 0) == 0) measured = &shape;
  }
  if (!measured) {
    for (const auto& stage : run.manifest.value("stages", json::array())) {
      if (stage.value("name", "") == "score") s.paragraphs.push_back("This node was not sized as a shape: " + stage.value("summary", stage.value("reason", "not scored")) + ".");
    }
    s.paragraphs.push_back("Sizing a node needs storage runs on its raw data drives (shapeq storage --device ... or a --plan with devices); a scratch file says nothing of them.");
    return s;
  }
  const json* rated = shapes.contains(rated_name) ? &shapes[rated_name] : nullptr;
  s.paragraphs.push_back(rated ? "Rated figures are the catalog's " + rated_name + " (" + (*rated).value("title", "") + ")."
                               : std::string("No catalog shape matched this node (DMI names none), so there is no rated column."));
  Table t{"Per node", {"figure", "measured", "basis", "rated", "basis", "measured / rated"}, {}};
  const json measured_figures = measured->value("figures", json::object());  // named: items() of a temporary dangles
  for (const auto& [field, figure] : measured_figures.items()) {
    const auto value = Number(figure, "value");
    const json rated_figure = rated ? (*rated)["figures"].value(field, json::object()) : json::object();
    const auto rated_value = Number(rated_figure, "value");
    const std::string basis = figure.value("basis", "");
    const std::optional<double> ratio = value && rated_value && *rated_value > 0 && (basis == "measured" || basis == "derived")
                                            ? std::optional(*value / *rated_value) : std::nullopt;
    t.rows.push_back({Text(field), Number(value), Text(basis), Number(rated_value), Text(rated_figure.value("basis", "")),
                      ratio ? Number(ratio) : Text("")});
  }
  s.tables.push_back(t);
  return s;
}

std::string RequirementsText(const json& target) {
  std::vector<std::string> parts;
  auto add = [&](const char* key, const std::string& before, const std::string& after) {
    if (auto v = Number(target, key)) parts.push_back(before + CountText(*v, *v < 10 ? 1 : 0) + after);
  };
  add("usable_pb", "", " PB usable");
  add("read_tbps", "read ", " TB/s");
  add("write_tbps", "write ", " TB/s");
  add("checkpoint_tb", "checkpoint ", " TB");
  add("checkpoint_window_s", "in ", " s");
  add("iops_per_pb", "", " IOPS per PB");
  add("p99_latency_ms", "p99 <= ", " ms");
  add("gpus", "", " GPUs");
  add("budget_usd_per_pb_month", "at most $", " per PB-month");
  add("max_racks", "at most ", " racks");
  add("max_kw", "at most ", " kW");
  std::string text;
  for (const auto& p : parts) text += (text.empty() ? "" : ", ") + p;
  return text;
}

std::string LeversText(const json& verdict) {
  std::string text;
  for (const auto& lever : verdict.value("what_it_would_take", json::array())) {
    text += (text.empty() ? "" : ", or ") + lever.value("field", "?") + " " + lever.value("comparison", "?") + " " +
            AutoText(Number(lever, "value"));
  }
  return text;
}

std::string FailsText(const json& verdict) {
  std::string text;
  for (const auto& check : verdict.value("checks", json::array())) {
    if (check.value("status", "") != "fail") continue;
    const auto margin = Number(check, "margin");
    text += (text.empty() ? "" : ", ") + check.value("name", "?") + (margin ? " " + CountText(*margin * 100) + "%" : "");
  }
  return text;
}

std::string BarClass(const json& verdict) {
  const std::string status = verdict.value("status", "unknown");
  return status == "pass" ? "pass" : status == "fail" ? "fail" : "unknown";
}

// The verdicts for one target, in catalog order.
std::vector<json> VerdictsFor(const json& document, const std::string& target) {
  std::vector<json> out;
  for (const auto& v : document.value("verdicts", json::array())) {
    if (v.value("target", "") == target) out.push_back(v);
  }
  return out;
}

// A catalog file as the reader knows it (models/default.json), not this machine's full path.
std::string CatalogPath(const std::string& file) {
  const std::filesystem::path path(file);
  return path.has_parent_path() ? (path.parent_path().filename() / path.filename()).string() : file;
}

Section ComparisonSection(const json& document, const std::string& target_name) {
  const json target = document["targets"][target_name];
  Section s{"compare", "1 EB comparison", {}, {}, {}};
  const json model = document.value("model", json::object());
  s.paragraphs.push_back(target.value("title", target_name) + ". Model: fill " + AutoText(Number(model, "fill_fraction")) +
                         ", protocol efficiency " + AutoText(Number(model, "protocol_efficiency")) + ", " +
                         AutoText(Number(model, "rack_units")) + "U racks at " + AutoText(Number(model, "kw_per_rack")) +
                         " kW, capex over " + AutoText(Number(model, "amortization_years")) + " years (" + CatalogPath(model.value("file", "")) + ").");
  Table t{"Per shape, sized for " + RequirementsText(target),
          {"shape", "protection", "usable/node TB", "nodes", "racks", "racks bound by", "kW", "$/PB-month", "read TB/s",
           "TB/s per PB", "limited by"},
          {}};
  Chart nodes{"Nodes per exabyte", "nodes", true, {}, {}, ""};
  Chart racks{"Racks per exabyte", "racks", true, {}, {}, ""};
  Chart cost{"Cost per usable PB-month", "$", true, {}, {}, ""};
  Chart read{"Aggregate read at 1 EB", "TB/s", true, {}, {}, ""};
  for (const auto& v : VerdictsFor(document, target_name)) {
    const std::string shape = v.value("shape", "?");
    t.rows.push_back({Text(shape), Text(v.value("protection", "")), Number(Scaled(Number(v["per_node"], "usable_bytes"), kTB)),
                      Count(Number(v, "nodes")), Count(Number(v, "racks")), Text(v.value("racks_bound_by", "")),
                      Count(Number(v, "kw")), Count(Number(v, "usd_per_pb_month")), Number(Scaled(Number(v, "read_bytes_per_s"), kTB)),
                      Number(Number(v, "read_tbps_per_pb")), Text(v.value("limiting_factor", ""))});
    nodes.bars.push_back({shape, Number(v, "nodes"), {}, {}, "neutral"});
    racks.bars.push_back({shape, Number(v, "racks"), {}, {}, "neutral"});
    cost.bars.push_back({shape, Number(v, "usd_per_pb_month"), {}, {}, "neutral"});
    read.bars.push_back({shape, Scaled(Number(v, "read_bytes_per_s"), kTB), {}, {}, "neutral"});
  }
  s.charts = {nodes, racks, cost, read};
  s.tables.push_back(t);
  s.paragraphs.push_back("? = a figure the catalog does not know (see the shape's profile); shapeq score --explain shows every derivation.");
  return s;
}

Section TargetSection(const json& document, const std::string& target_name) {
  const json target = document["targets"][target_name];
  Section s{"target-" + target_name, "Target " + target_name + ": " + target.value("title", ""), {}, {}, {}};
  s.paragraphs.push_back("Needs " + RequirementsText(target) + ".");
  Table t{"Per shape", {"shape", "protection", "nodes", "limited by", "racks", "kW", "$/month", "$/PB-month", "read TB/s",
                        "write TB/s", "verdict", "fails (margin)", "what it would take"}, {}};
  Chart read{"Aggregate read vs the target", "TB/s", true, {}, Number(target, "read_tbps"), "needed"};
  Chart cost{"Cost per usable PB-month vs the budget", "$", true, {}, Number(target, "budget_usd_per_pb_month"), "budget"};
  size_t passing = 0, total = 0;
  for (const auto& v : VerdictsFor(document, target_name)) {
    const std::string status = v.value("status", "unknown");
    ++total;
    passing += status == "pass";
    t.rows.push_back({Text(v.value("shape", "?")), Text(v.value("protection", "")), Count(Number(v, "nodes")),
                      Text(v.value("limiting_factor", "")), Count(Number(v, "racks")), Count(Number(v, "kw")),
                      Count(Number(v, "usd_per_month")), Count(Number(v, "usd_per_pb_month")),
                      Number(Scaled(Number(v, "read_bytes_per_s"), kTB)), Number(Scaled(Number(v, "write_bytes_per_s"), kTB)),
                      Text(status, BarClass(v)), Text(FailsText(v)), Text(LeversText(v))});
    read.bars.push_back({v.value("shape", "?"), Scaled(Number(v, "read_bytes_per_s"), kTB), {}, {}, BarClass(v)});
    cost.bars.push_back({v.value("shape", "?"), Number(v, "usd_per_pb_month"), {}, {}, BarClass(v)});
  }
  s.paragraphs.push_back(std::to_string(passing) + " of " + std::to_string(total) + " shapes pass.");
  if (read.reference) s.charts.push_back(read);
  if (cost.reference) s.charts.push_back(cost);
  s.tables.push_back(t);
  return s;
}

Report BuildReport(const std::vector<RunFiles>& runs) {
  Report report;
  const RunFiles& first = runs.front();
  report.title = runs.size() == 1 ? "Shape report: " + ShapeName(first.fingerprint) + " (" + first.fingerprint.source.hostname + ")"
                                  : "Shape report: " + std::to_string(runs.size()) + " nodes of " + ShapeName(first.fingerprint);
  report.subtitle.push_back("shapeq " + std::string(kVersion) + "; run " + first.run_id + " started " +
                            first.manifest.value("started_utc", "?") + (runs.size() > 1 ? " (and " + std::to_string(runs.size() - 1) + " more)" : ""));
  report.sections.push_back(RunsSection(runs));
  report.sections.push_back(NodeSection(runs));
  report.sections.push_back(MeasuredSection(runs));

  const RunFiles* scored = nullptr;
  for (const auto& run : runs) {
    if (!scored && !run.verdicts.is_null()) scored = &run;
  }
  if (!scored) {
    report.sections.push_back({"verdicts", "Verdicts", {"No run was scored (verdicts.json is missing): see the runs table."}, {}, {}});
    return report;
  }
  const std::string where = scored->dir + "/verdicts.json";
  try {
    report.sections.push_back(RatedVsMeasuredSection(*scored));
    const json& document = scored->verdicts;
    if (document["targets"].contains("reference-1eb")) report.sections.push_back(ComparisonSection(document, "reference-1eb"));
    for (const auto& [name, target] : document["targets"].items()) {
      if (name != "reference-1eb") report.sections.push_back(TargetSection(document, name));
    }
  } catch (const json::exception& e) {
    throw BadInput(where, std::string("unexpected content: ") + e.what());
  }
  return report;
}

// ---- HTML ----------------------------------------------------------------------------------

std::string Escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string Fixed(double value, int decimals = 1) {
  char text[32];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

// A horizontal bar chart: one row per bar, values at the bar's end, optional whiskers and a
// dashed reference line. Log scale when the values span decades (nodes per EB: 448 to 52,462).
std::string SvgChart(const Chart& chart) {
  constexpr double kLabelWidth = 300, kPlotWidth = 400, kWidth = 790, kRowHeight = 24, kTop = 34, kBottom = 26;
  const double height = kTop + kRowHeight * static_cast<double>(chart.bars.size()) + kBottom;
  double low = 0, high = 0;
  for (const auto& b : chart.bars) {
    for (auto v : {b.value, b.low, b.high}) {
      if (v && *v > 0) {
        low = low == 0 ? *v : std::min(low, *v);
        high = std::max(high, *v);
      }
    }
  }
  if (chart.reference && *chart.reference > 0) {
    low = low == 0 ? *chart.reference : std::min(low, *chart.reference);
    high = std::max(high, *chart.reference);
  }
  const bool log = chart.log_scale && low > 0;
  double axis_low = 0, axis_high = high > 0 ? high * 1.08 : 1;
  std::vector<double> ticks;
  if (log) {
    axis_low = std::pow(10, std::floor(std::log10(low)));
    axis_high = std::pow(10, std::ceil(std::log10(high * 1.0001)));
    if (axis_high <= axis_low) axis_high = axis_low * 10;
    for (double t = axis_low; t <= axis_high * 1.0001; t *= 10) ticks.push_back(t);
  } else {
    const double raw_step = axis_high / 4;
    const double decade = std::pow(10, std::floor(std::log10(raw_step)));
    double step = decade;
    for (double m : {1.0, 2.0, 5.0, 10.0}) {
      if (decade * m >= raw_step) {
        step = decade * m;
        break;
      }
    }
    axis_high = step * std::ceil(axis_high / step);
    for (double t = 0; t <= axis_high * 1.0001; t += step) ticks.push_back(t);
  }
  auto x = [&](double v) {
    const double fraction = log ? (std::log10(std::max(v, axis_low)) - std::log10(axis_low)) / (std::log10(axis_high) - std::log10(axis_low))
                                : v / axis_high;
    return kLabelWidth + std::clamp(fraction, 0.0, 1.0) * kPlotWidth;
  };

  std::ostringstream svg;
  svg << "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " << kWidth << " " << height << "\" width=\"" << kWidth
      << "\" height=\"" << height << "\" role=\"img\" aria-label=\"" << Escape(chart.title) << "\">\n";
  svg << "<text class=\"title\" x=\"0\" y=\"16\">" << Escape(chart.title) << " (" << Escape(chart.unit) << (log ? ", log scale" : "")
      << ")</text>\n";
  const double plot_bottom = kTop + kRowHeight * static_cast<double>(chart.bars.size());
  for (double t : ticks) {
    svg << "<line class=\"grid\" x1=\"" << Fixed(x(t)) << "\" y1=\"" << kTop - 4 << "\" x2=\"" << Fixed(x(t)) << "\" y2=\"" << plot_bottom
        << "\"/><text class=\"tick\" x=\"" << Fixed(x(t)) << "\" y=\"" << plot_bottom + 16 << "\">" << AutoText(t) << "</text>\n";
  }
  for (size_t i = 0; i < chart.bars.size(); ++i) {
    const Bar& b = chart.bars[i];
    const double y = kTop + kRowHeight * static_cast<double>(i);
    const double mid = y + kRowHeight / 2 - 2;
    std::string label = b.label.size() > 44 ? b.label.substr(0, 43) + "…" : b.label;  // about 6.5 px a character
    svg << "<text class=\"label\" x=\"" << kLabelWidth - 8 << "\" y=\"" << mid + 4 << "\">" << Escape(label) << "</text>";
    if (b.value && *b.value > 0) {
      svg << "<rect class=\"bar " << b.css << "\" x=\"" << kLabelWidth << "\" y=\"" << y + 3 << "\" width=\""
          << Fixed(std::max(1.0, x(*b.value) - kLabelWidth)) << "\" height=\"" << kRowHeight - 10 << "\"><title>" << Escape(b.label) << ": "
          << AutoText(b.value) << " " << Escape(chart.unit) << "</title></rect>";
    }
    if (b.low && b.high && *b.high > *b.low) {
      svg << "<path class=\"whisker\" d=\"M" << Fixed(x(*b.low)) << " " << Fixed(mid - 4) << "v8M" << Fixed(x(*b.low)) << " " << Fixed(mid)
          << "H" << Fixed(x(*b.high)) << "M" << Fixed(x(*b.high)) << " " << Fixed(mid - 4) << "v8\"/>";
    }
    const double end = std::max(b.value.value_or(0), b.high.value_or(0));
    svg << "<text class=\"value\" x=\"" << Fixed((end > 0 ? x(end) : kLabelWidth) + 6) << "\" y=\"" << mid + 4 << "\">"
        << (b.value ? CountText(b.value, *b.value < 100 ? 2 : 0) : "?") << "</text>\n";
  }
  if (chart.reference && *chart.reference > 0) {
    const double rx = x(*chart.reference);
    svg << "<line class=\"reference\" x1=\"" << Fixed(rx) << "\" y1=\"" << kTop - 6 << "\" x2=\"" << Fixed(rx) << "\" y2=\"" << plot_bottom
        << "\"/><text class=\"reference-label\" x=\"" << Fixed(rx + 4) << "\" y=\"" << kTop - 8 << "\">" << Escape(chart.reference_label)
        << " " << AutoText(chart.reference) << "</text>\n";
  }
  svg << "</svg>";
  return svg.str();
}

constexpr const char* kStyle = R"(
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1f24; margin: 2em auto; max-width: 1200px; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; } h2 { margin-top: 2em; border-bottom: 1px solid #d0d7de; padding-bottom: 0.2em; }
.subtitle { color: #57606a; margin: 0; } nav a { margin-right: 1em; }
table { border-collapse: collapse; margin: 0.8em 0 1.2em; font-size: 13px; }
caption { text-align: left; font-weight: 600; padding: 0.3em 0; }
th, td { border: 1px solid #d0d7de; padding: 3px 8px; vertical-align: top; }
th { background: #f6f8fa; text-align: left; } tr:nth-child(even) td { background: #fafbfc; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.pass { color: #1a7f37; font-weight: 600; } td.fail { color: #cf222e; font-weight: 600; } td.unknown { color: #9a6700; }
figure { margin: 1em 0; } svg.chart { max-width: 100%; height: auto; }
svg .title { font-weight: 600; font-size: 13px; } svg text { font-size: 12px; fill: #1b1f24; }
svg .label { text-anchor: end; } svg .tick { text-anchor: middle; fill: #57606a; font-size: 11px; }
svg .grid { stroke: #e4e7eb; } svg .bar { fill: #4c78a8; } svg .bar.pass { fill: #54a24b; } svg .bar.fail { fill: #e45756; }
svg .bar.unknown { fill: #b0b0b0; } svg .whisker { stroke: #1b1f24; fill: none; stroke-width: 1.2; }
svg .reference { stroke: #1b1f24; stroke-dasharray: 5 3; stroke-width: 1.5; } svg .reference-label { font-size: 11px; }
footer { margin-top: 3em; color: #57606a; font-size: 12px; }
)";

// Marks the body with what the browser laid out (tables and charts with a size) and any script
// error, so a headless browser's DOM dump can tell a rendered report from a broken one.
constexpr const char* kSelfCheck = R"(<script>
window.addEventListener("error", function () { document.body.dataset.errors = String(Number(document.body.dataset.errors || 0) + 1); });
window.addEventListener("load", function () {
  var sized = function (e) { var r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  var tables = Array.prototype.filter.call(document.querySelectorAll("table"), sized).length;
  var charts = Array.prototype.filter.call(document.querySelectorAll("svg.chart"), function (svg) {
    return sized(svg) && Array.prototype.some.call(svg.querySelectorAll("rect.bar"), sized);
  }).length;
  document.body.dataset.rendered = tables + " tables, " + charts + " charts";
});
</script>)";

bool LooksNumeric(const Cell& c) { return c.value.has_value() || c.text == "?"; }

std::string RenderHtml(const Report& report) {
  std::ostringstream html;
  html << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" << Escape(report.title)
       << "</title>\n<style>" << kStyle << "</style>\n</head>\n<body>\n<h1>" << Escape(report.title) << "</h1>\n";
  for (const auto& line : report.subtitle) html << "<p class=\"subtitle\">" << Escape(line) << "</p>\n";
  html << "<nav>";
  for (const auto& s : report.sections) html << "<a href=\"#" << Escape(s.id) << "\">" << Escape(s.heading) << "</a> ";
  html << "</nav>\n";
  for (const auto& s : report.sections) {
    html << "<section id=\"" << Escape(s.id) << "\">\n<h2>" << Escape(s.heading) << "</h2>\n";
    for (const auto& p : s.paragraphs) html << "<p>" << Escape(p) << "</p>\n";
    for (const auto& chart : s.charts) html << "<figure>" << SvgChart(chart) << "</figure>\n";
    for (const auto& t : s.tables) {
      html << "<table>\n<caption>" << Escape(t.caption) << "</caption>\n<thead><tr>";
      for (const auto& h : t.header) html << "<th>" << Escape(h) << "</th>";
      html << "</tr></thead>\n<tbody>\n";
      for (const auto& row : t.rows) {
        html << "<tr>";
        for (const auto& c : row) {
          std::string css = c.css;
          if (LooksNumeric(c)) css += std::string(css.empty() ? "" : " ") + "num";
          html << "<td" << (css.empty() ? "" : " class=\"" + css + "\"") << ">" << Escape(c.text) << "</td>";
        }
        html << "</tr>\n";
      }
      html << "</tbody>\n</table>\n";
    }
    html << "</section>\n";
  }
  html << "<footer>Written by shapeq " << kVersion
       << ". One self-contained file: styles and charts are inline; nothing is fetched.</footer>\n"
       << kSelfCheck << "\n</body>\n</html>\n";
  return html.str();
}

// ---- Markdown and CSV ----------------------------------------------------------------------

std::string MarkdownCell(const std::string& text) {
  std::string out;
  for (char c : text) out += c == '|' ? std::string("\\|") : std::string(1, c);
  return out.empty() ? " " : out;
}

std::string RenderMarkdown(const Report& report) {
  std::ostringstream md;
  md << "# " << report.title << "\n\n";
  for (const auto& line : report.subtitle) md << "_" << line << "_\n\n";
  for (const auto& s : report.sections) {
    md << "## " << s.heading << "\n\n";
    for (const auto& p : s.paragraphs) md << p << "\n\n";
    for (const auto& t : s.tables) {
      md << "**" << t.caption << "**\n\n|";
      for (const auto& h : t.header) md << " " << MarkdownCell(h) << " |";
      md << "\n|";
      for (size_t i = 0; i < t.header.size(); ++i) md << (!t.rows.empty() && LooksNumeric(t.rows[0][i]) ? " ---: |" : " --- |");
      md << "\n";
      for (const auto& row : t.rows) {
        md << "|";
        for (const auto& c : row) md << " " << MarkdownCell(c.text) << " |";
        md << "\n";
      }
      md << "\n";
    }
    if (!s.charts.empty()) md << "_Charts in report.html: ";
    for (size_t i = 0; i < s.charts.size(); ++i) md << (i ? "; " : "") << s.charts[i].title;
    if (!s.charts.empty()) md << "._\n\n";
  }
  return md.str();
}

std::string CsvCell(const Cell& c) {
  if (c.value) {
    char text[64];
    std::snprintf(text, sizeof text, "%.10g", *c.value);
    return text;
  }
  if (c.text.find_first_of(",\"\n") == std::string::npos) return c.text;
  std::string quoted = "\"";
  for (char ch : c.text) quoted += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return quoted + "\"";
}

// One block per table (a caption line, the header, the rows) separated by blank lines: each
// pastes into a spreadsheet as it is. Numbers at full precision, no thousands separators.
std::string RenderCsv(const Report& report) {
  std::ostringstream csv;
  for (const auto& s : report.sections) {
    for (const auto& t : s.tables) {
      csv << CsvCell(Text(s.heading + " — " + t.caption)) << "\n";
      for (size_t i = 0; i < t.header.size(); ++i) csv << (i ? "," : "") << CsvCell(Text(t.header[i]));
      csv << "\n";
      for (const auto& row : t.rows) {
        for (size_t i = 0; i < row.size(); ++i) csv << (i ? "," : "") << CsvCell(row[i]);
        csv << "\n";
      }
      csv << "\n";
    }
  }
  return csv.str();
}

}  // namespace

ShapeReport RenderShapeReport(const std::vector<RunFiles>& runs) {
  if (runs.empty()) throw Error(ExitCode::kUsage, "no results directory to report on");
  const Report report = BuildReport(runs);
  return {RenderHtml(report), RenderMarkdown(report), RenderCsv(report)};
}

std::filesystem::path WriteShapeReport(const ShapeReport& report, const std::filesystem::path& dir) {
  WriteFileAtomically(dir / "report.html", report.html);
  WriteFileAtomically(dir / "report.md", report.markdown);
  WriteFileAtomically(dir / "report.csv", report.csv);
  return dir / "report.html";
}

}  // namespace shapeq
