// shapeq design: the node designs the parts catalog allows that pass every named target, reduced to
// the Pareto front on $/month, racks and kW; or, for a cloud family (a catalog shape), what it
// would need to pass: the ask to put in front of the hyperscaler.
#include <iostream>
#include <memory>
#include <sstream>

#include "cli/commands.h"
#include "common/atomic_file.h"
#include "common/error.h"
#include "results/design_report.h"
#include "results/score_report.h"
#include "scoring/catalog.h"
#include "scoring/catalog_input.h"
#include "scoring/claims.h"
#include "scoring/design.h"
#include "scoring/family_asks.h"

namespace shapeq::cli {
namespace {

struct Args {
  CatalogOptions catalog;
  std::vector<std::string> targets;
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

int RunFamily(const Args& args, const Catalog& catalog, const std::vector<Target>& targets) {
  const Shape* family = FindShape(catalog.shapes, args.family);
  if (!family) throw Error(ExitCode::kUsage, "--family " + args.family + ": no such shape in the catalog");
  const std::vector<FamilyVerdict> verdicts = AskFamily(*family, targets, catalog.model);
  nlohmann::json asks = nlohmann::json::array();
  for (const auto& f : verdicts) asks.push_back(f.verdict);
  Emit(nlohmann::json{{"schema", "shapeq.design-family"}, {"schema_version", 1}, {"family", family->name}, {"verdicts", asks}}, args.json,
       args.out_path, FormatFamilyAsks(*family, catalog.model, verdicts));
  return 0;
}

int Run(const Args& args) {
  if (args.targets.empty()) throw Error(ExitCode::kUsage, "--target: name at least one customer target to design for");
  const std::string profiles = args.catalog.Dir();
  const Catalog catalog = args.catalog.Load();
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
  text << FormatDesignFront(parts, designs, front, names);
  nlohmann::json front_json = nlohmann::json::array();
  for (const size_t i : front) front_json.push_back(DesignJson(designs[i]));
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
  AddCatalogOptions(app, args->catalog);
  AddOutputOptions(app, args->json, args->out_path, "Versioned JSON (schema shapeq.designs)");
  return [args] { return Run(*args); };
}

}  // namespace shapeq::cli
