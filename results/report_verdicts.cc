// The report's sections from verdicts.json: the node sized as a shape beside its rated twin,
// the 1 EB comparison, and one section per target.
#include "results/report_model.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace shapeq::report {
namespace {

using nlohmann::json;


}  // namespace

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

}  // namespace shapeq::report
