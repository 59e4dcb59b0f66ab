// shapeq design: the node designs the parts catalog allows that pass every named target, reduced to
// the Pareto front on $/month, racks and kW; or, for a cloud family (a catalog shape), what it
// would need to pass: the ask to put in front of the hyperscaler.
#include <cmath>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "cli/commands.h"
#include "common/atomic_file.h"
#include "common/error.h"
#include "results/number_text.h"
#include "results/score_report.h"
#include "scoring/catalog.h"
#include "scoring/claims.h"
#include "scoring/design.h"

namespace shapeq::cli {
namespace {

struct Args {
  std::string profiles_dir;
  std::string model = "default";
  std::vector<std::string> targets;
  std::vector<std::string> sets;
  std::string family;
  std::string write_shape;
  size_t pick = 1;
  size_t explain = 0;
  bool json = false;
  std::string out_path;
};

std::vector<Target> Named(const Catalog& catalog, const std::vector<std::string>& names) {
  std::vector<Target> chosen;
  for (const auto& name : names) {
    const Target* target = FindTarget(catalog.targets, name);
    if (!target) throw Error(ExitCode::kUsage, "--target " + name + ": no such target");
    chosen.push_back(*target);
  }
  return chosen;
}

std::string DesignRow(size_t rank, const Design& d) {
  std::ostringstream out;
  std::string per_target;
  for (const auto& v : d.verdicts) per_target += (per_target.empty() ? "" : " / ") + CountText(v.usd_per_pb_month);
  // Per target: what limits the node count, and the tightest margin of its checks.
  std::string limited;
  for (const auto& v : d.verdicts) {
    std::optional<double> tightest;
    std::string check;
    for (const auto& c : v.checks) {
      if (c.margin && (!tightest || *c.margin < *tightest)) tightest = c.margin, check = c.name;
    }
    char margin[64] = "";
    if (tightest) std::snprintf(margin, sizeof margin, " (%s %+.0f%%)", check.c_str(), *tightest * 100);
    limited += (limited.empty() ? "" : " / ") + std::string(NeedName(v.limiting)) + margin;
  }
  char line[512];
  std::snprintf(line, sizeof line, "  %-3zu %-52s %7s %9s %5s %8s %6s  %-16s %6s %8s  %s\n", rank, d.name.c_str(),
                AutoText(*d.shape.drive_count.value * *d.shape.drive_capacity_bytes.value / 1e12).c_str(), AutoText(*d.shape.nic_gbps.value).c_str(),
                CountText(*d.shape.cores.value).c_str(), CountText(*d.shape.capex_usd.value).c_str(), CountText(*d.shape.watts.value).c_str(),
                per_target.c_str(), CountText(d.racks).c_str(), CountText(d.kw).c_str(), limited.c_str());
  return line;
}

nlohmann::json DesignJson(const Design& d) {
  return {{"name", d.name},
          {"parts", {{"chassis", d.chassis->name}, {"drive", d.drive->name}, {"drive_count", d.drive_count}, {"nic", d.nic->name}, {"cpu", d.cpu->name}}},
          {"shape", ShapeProfileJson(d.shape)}, {"verdicts", d.verdicts}, {"usd_per_month", d.usd_per_month}, {"racks", d.racks}, {"kw", d.kw},
          {"passes", d.passes}};
}

// The family's current value of a lever's field, for "today" beside the ask.
std::string Today(const Shape& shape, const Model& model, const Lever& lever) {
  for (const auto& spec : ShapeFields()) {
    if (lever.field != spec.name) continue;
    const Figure& f = shape.*spec.member;
    if (!f.known()) return "today unknown";
    const double now = *f.value / spec.to_si;
    return "today " + AutoText(now) + ", x" + AutoText(lever.value / now);
  }
  if (lever.field == "kw_per_rack") return "today " + AutoText(model.kw_per_rack);
  if (lever.field == "cloud_fault_domains") return "today " + AutoText(model.cloud_fault_domains);
  return "";
}

// A drive_capacity_tb ask as more drives of today's size instead, with the other asks as they
// are; kept only when that re-scores to a pass.
std::optional<std::vector<Lever>> AsMoreDrives(const Shape& family, const Target& target, const Model& model, std::vector<Lever> levers) {
  const auto it = std::find_if(levers.begin(), levers.end(), [](const Lever& l) { return l.field == "drive_capacity_tb"; });
  if (it == levers.end() || !family.drive_count.known() || !family.drive_capacity_bytes.known()) return std::nullopt;
  const double today_tb = *family.drive_capacity_bytes.value / 1e12;
  *it = {"drive_count", ">=", std::ceil(*family.drive_count.value * it->value / today_tb), it->why, false};
  Shape changed = family;
  Model m = model;
  for (const auto& lever : levers) {
    if (!ApplyLever(changed, m, lever)) return std::nullopt;
  }
  if (Score(changed, target, m).status != Status::kPass) return std::nullopt;
  return levers;
}

int RunFamily(const Args& args, const Catalog& catalog, const std::vector<Target>& targets) {
  const Shape* family = FindShape(catalog.shapes, args.family);
  if (!family) throw Error(ExitCode::kUsage, "--family " + args.family + ": no such shape in the catalog");
  std::ostringstream text;
  nlohmann::json asks = nlohmann::json::array();
  text << "What " << family->name << " (" << family->title << ") would need\n";
  for (const auto& target : targets) {
    const Verdict v = Score(*family, target, catalog.model);
    text << "  for " << target.name << ": " << StatusName(v.status);
    if (v.status == Status::kPass) {
      text << " as it is (" << CountText(v.nodes) << " nodes, $" << CountText(v.usd_per_pb_month) << "/PB-month)\n";
    } else {
      text << " (" << CountText(v.nodes) << " nodes, limited by " << NeedName(v.limiting) << ")\n";
      auto print = [&](const std::vector<Lever>& levers, const char* lead, const char* tail) {
        text << lead;
        for (size_t i = 0; i < levers.size(); ++i) {
          text << (i ? "; " : "") << levers[i].field << " " << levers[i].comparison << " " << AutoText(levers[i].value) << " ("
               << Today(*family, catalog.model, levers[i]) << ")";
        }
        text << tail << "\n";
      };
      for (const auto& lever : v.levers) {
        if (!lever.alone) continue;
        print({lever}, "    ", " alone");
        if (const auto more = AsMoreDrives(*family, target, catalog.model, {lever})) print(*more, "    or ", " alone (the same drives, more of them)");
      }
      if (!v.levers_together.empty()) {
        print(v.levers_together, "    or all together: ", "");
        if (const auto more = AsMoreDrives(*family, target, catalog.model, v.levers_together)) print(*more, "    or all together: ", " (the same drives, more of them)");
      }
      if (v.status == Status::kUnknown) {
        std::string open;
        for (const auto& u : v.unknowns) open += " " + u;
        text << "    not judged: unknown" << open << "\n";
      } else if (WhatItWouldTakeText(v).empty()) {
        text << "    no change of the figures named passes when re-scored\n";
      }
    }
    if (const std::string even = BreakEvenText(v); !even.empty()) text << "    price: " << even << "\n";
    asks.push_back(v);
  }
  Emit(nlohmann::json{{"schema", "shapeq.design-family"}, {"schema_version", 1}, {"family", family->name}, {"verdicts", asks}}, args.json,
       args.out_path, text.str());
  return 0;
}

int Run(const Args& args) {
  if (args.targets.empty()) throw Error(ExitCode::kUsage, "--target: name at least one customer target to design for");
  const std::string profiles = ProfilesDir(args.profiles_dir);
  Catalog catalog = LoadCatalog(profiles, args.model);
  for (const auto& set : args.sets) ApplyCatalogSet(catalog, set);
  const std::vector<Target> targets = Named(catalog, args.targets);
  if (!args.family.empty()) return RunFamily(args, catalog, targets);

  const PartsCatalog parts = LoadParts(profiles + "/parts", catalog.model);
  const std::vector<Design> designs = EvaluateDesigns(parts, targets, catalog.model);
  const std::vector<size_t> front = ParetoFront(designs);
  const size_t passing = std::count_if(designs.begin(), designs.end(), [](const Design& d) { return d.passes; });
  auto front_design = [&](size_t n, const char* option) -> const Design& {
    if (n < 1 || n > front.size()) {
      throw Error(ExitCode::kUsage, std::string(option) + " " + std::to_string(n) + ": the front has " + std::to_string(front.size()) + " designs");
    }
    return designs[front[n - 1]];
  };
  if (!args.write_shape.empty()) {
    front_design(args.pick, "--pick");
    WriteFileAtomically(args.write_shape, ShapeProfileJson(designs[front[args.pick - 1]].shape).dump(2) + "\n");
  }
  std::string names;
  for (const auto& t : targets) names += (names.empty() ? "" : " + ") + t.name;
  std::ostringstream text;
  text << "Designs for " << names << ": " << designs.size() << " composed from " << parts.dir << " (" << parts.chassis.size() << " chassis, "
       << parts.drives.size() << " drives, " << parts.nics.size() << " NICs, " << parts.cpus.size() << " CPUs), " << passing
       << " pass every target, " << front.size() << " on the Pareto front of $/month, racks and kW (summed over the targets):\n";
  char header[512];
  std::snprintf(header, sizeof header, "  %-3s %-52s %7s %9s %5s %8s %6s  %-16s %6s %8s  %s\n", "#", "design", "TB/node", "NIC Gbit", "cores",
                "$/node", "W", "$/PB-month", "racks", "kW", "limited by (tightest margin)");
  text << header;
  nlohmann::json front_json = nlohmann::json::array();
  for (size_t i = 0; i < front.size(); ++i) {
    text << DesignRow(i + 1, designs[front[i]]);
    front_json.push_back(DesignJson(designs[front[i]]));
  }
  if (front.empty()) text << "  none passes every target: shapeq design --family SHAPE says what a shape would need\n";
  if (args.explain) {
    // Every number of that design's verdicts, derived as shapeq score --explain shows them.
    const Design& d = front_design(args.explain, "--explain");
    std::vector<ScoredPair> pairs;
    for (size_t i = 0; i < targets.size(); ++i) pairs.push_back({&d.shape, &targets[i], d.verdicts[i]});
    text << "\nDesign " << args.explain << ": " << d.shape.title << "\n" << FormatScoreTable(pairs, catalog.model, true);
  }
  if (!args.write_shape.empty()) text << "  design " << args.pick << " written to " << args.write_shape << " (shapeq score --shape-file " << args.write_shape << ")\n";
  Emit(nlohmann::json{{"schema", "shapeq.designs"}, {"schema_version", 1}, {"targets", args.targets}, {"evaluated", designs.size()},
                      {"passing", passing}, {"front", front_json}},
       args.json, args.out_path, text.str());
  return 0;
}

}  // namespace

Runner SetupDesign(CLI::App& app) {
  auto args = std::make_shared<Args>();
  app.add_option("--target", args->targets, "Customer targets the design must pass (repeatable)");
  app.add_option("--family", args->family, "Instead: what this catalog shape (a cloud VM family) would need to pass the targets");
  app.add_option("--write-shape", args->write_shape, "Write design --pick N of the front as a shape profile (score it with --shape-file)");
  app.add_option("--pick", args->pick, "Which design of the front --write-shape writes (1: the cheapest)")->capture_default_str();
  app.add_option("--explain", args->explain, "Show every number of design N of the front, derived");
  app.add_option("--set", args->sets, "Change an input first: SHAPE.FIELD=VALUE, TARGET.FIELD=VALUE or model.FIELD=VALUE");
  app.add_option("--profiles", args->profiles_dir, "Catalog directory with shapes/, targets/, models/, parts/");
  app.add_option("--model", args->model, "Model profile models/NAME.json")->capture_default_str();
  app.add_flag("--json", args->json, "Versioned JSON (schema shapeq.designs)");
  app.add_option("-o,--out", args->out_path, "Also write the output to FILE (atomically)");
  return [args] { return Run(*args); };
}

}  // namespace shapeq::cli
