// shapeq score: every shape x target from the catalogs, as a table, the 1 EB comparison,
// a sweep, CSV or JSON.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "common/atomic_file.h"
#include "common/error.h"
#include "common/install_paths.h"
#include "results/node_shape.h"
#include "results/run_dir.h"
#include "results/score_report.h"
#include "scoring/catalog.h"
#include "scoring/claims.h"
#include "scoring/catalog_input.h"
#include "scoring/measured_shape.h"
#include "scoring/price_file.h"
#include "scoring/sweep.h"
#include "scoring/uncertainty.h"

namespace shapeq::cli {
namespace {

struct Args {
  CatalogOptions catalog;
  std::vector<std::string> shapes;
  std::vector<std::string> targets;
  std::vector<std::string> shape_files;
  std::string results_dir;
  std::string rated;
  std::string protection;
  std::string sweep;
  bool compare = false;
  bool scale_from_subset = false;
  bool json = false;
  bool csv = false;
  bool explain = false;
  bool list_fields = false;
  bool claims = false;
  bool sensitivity = false;
  size_t uncertainty = 0;  // draws asked for (and their table printed); 0: kDefaultDraws, no table
  uint64_t seed = kDefaultSeed;
  std::string out_path;
};

// Keeps only the named profiles, in the order named; BadInput-style usage error for a typo.
template <typename Profile>
std::vector<Profile> Select(std::vector<Profile> all, const std::vector<std::string>& names, const char* what) {
  if (names.empty()) return all;
  std::vector<Profile> chosen;
  for (const auto& name : names) {
    auto it = std::find_if(all.begin(), all.end(), [&](const Profile& p) { return p.name == name; });
    if (it == all.end()) {
      std::string known;
      for (const auto& p : all) known += (known.empty() ? "" : ", ") + p.name;
      throw Error(ExitCode::kUsage, std::string("no ") + what + " named '" + name + "' (have: " + known + ")");
    }
    chosen.push_back(*it);
  }
  return chosen;
}

// The field tables are the reference: the same rows parse profiles and print here.
std::string FieldList() {
  auto row = [](const std::string& name, const char* help) { return "  " + name + std::string(name.size() < 27 ? 27 - name.size() : 1, ' ') + help + "\n"; };
  std::string text = "Shape figures (profiles/shapes/*.json, --set SHAPE.FIELD=VALUE):\n";
  for (const auto& f : ShapeFields()) text += row(f.name, f.help);
  text += "Target fields (profiles/targets/*.json, --set TARGET.FIELD=VALUE, --sweep FIELD=...):\n";
  for (const auto& f : TargetFields()) text += row(f.name, f.help);
  text += row("data_reduction_ratio", "logical / stored bytes (compression, dedup), applied to usable capacity (capped by a shape's own)");
  text += row("must_survive", "drive, node or rack: the loss the deployment must survive (profile only)");
  text += "Model fields (profiles/models/*.json, --set model.FIELD=VALUE, --sweep model.FIELD=...):\n";
  for (const auto& f : ModelFields()) text += row(f.name, f.help);
  return text;
}

int Run(const Args& args) {
  if (args.list_fields) {
    std::cout << FieldList();
    return 0;
  }
  Catalog catalog = args.catalog.LoadPriced();
  for (const auto& file : args.shape_files) catalog.shapes.push_back(LoadShape(file));
  std::vector<Shape> shapes = Select(catalog.shapes, args.shapes, "shape");
  // A qualified node scored side by side with the catalog, and against its rated figures.
  std::string rated_vs_measured;
  if (!args.results_dir.empty()) {
    const RunFiles run = ReadRunFiles(args.results_dir);
    const Shape* rated = RatedTwin(run.fingerprint, catalog.shapes, args.rated);
    // (The --set changes that name the node apply again below with the others: they hold.)
    shapes.insert(shapes.begin(), SizeNode(run.fingerprint, rated, {run.storage, run.network, run.datapath}, args.results_dir,
                                           args.catalog.sets, catalog.model, args.scale_from_subset));
    rated_vs_measured = FormatRatedVsMeasured(shapes.front(), rated) + "\n";
  } else if (!args.rated.empty()) {
    throw Error(ExitCode::kUsage, "--rated goes with --results");
  }
  std::vector<std::string> target_names = args.targets;
  if (args.compare && target_names.empty()) target_names = {"reference-1eb"};
  // --set applies to what is scored: a shape or target left out is not there to set.
  Catalog scored{std::move(shapes), Select(catalog.targets, target_names, "target"), catalog.model};
  for (const auto& set : args.catalog.sets) ApplySetting(scored, set);
  shapes = std::move(scored.shapes);
  std::vector<Target> targets = std::move(scored.targets);
  catalog.model = scored.model;
  CheckCatalog(shapes, targets, catalog.model);
  if (!args.protection.empty() && !catalog.model.schemes.count(args.protection)) {
    throw Error(ExitCode::kUsage, "--protection " + args.protection + ": not a scheme in " + catalog.model.file);
  }

  std::string text;
  if (!args.sweep.empty()) {
    if (targets.size() != 1) throw Error(ExitCode::kUsage, "--sweep needs exactly one --target");
    if (args.sensitivity || args.uncertainty) throw Error(ExitCode::kUsage, "--sweep steps one input; --sensitivity and --uncertainty move them all: use one");
    const Sweep sweep = ParseSweep(args.sweep);
    const std::vector<SweepStep> steps = RunSweep(sweep, shapes, targets[0], catalog.model, args.protection);
    if (args.json) {
      nlohmann::json all = nlohmann::json::array();
      for (const auto& step : steps) all.push_back({{"value", step.value}, {"document", WriteScoreDocument(step.pairs, step.model)}});
      text = nlohmann::json{{"sweep", sweep.field}, {"steps", all}}.dump(2) + "\n";
    } else if (args.csv) {
      text = FormatSweepCsv(sweep.field, steps);
    } else {
      text = FormatSweepTable(sweep.field, steps);
    }
  } else {
    std::vector<ScoredPair> pairs = ScoreAll(shapes, targets, catalog.model, args.protection);
    const UncertaintyRun sampled =
        SampleVerdicts(shapes, targets, catalog.model, args.uncertainty ? args.uncertainty : kDefaultDraws, args.seed, args.protection);
    MarkPassProbability(pairs, sampled);
    if (args.json) {
      // The claims, on the catalog as loaded with the same --set changes (they name catalog shapes).
      std::vector<ClaimResult> claims;
      if (args.claims) {
        const Catalog changed = args.catalog.Load();
        for (const auto& claim : LoadClaims(args.catalog.Dir(), changed)) claims.push_back(EvaluateClaim(claim, changed));
      }
      nlohmann::json document = WriteScoreDocument(pairs, catalog.model, claims);
      document["uncertainty"] = UncertaintyJson(sampled);
      text = document.dump(2) + "\n";
    } else if (args.csv) {
      text = FormatScoreCsv(pairs);
    } else if (args.sensitivity) {
      text = FormatSensitivity(pairs);
    } else if (args.uncertainty) {
      text = FormatUncertainty(pairs, sampled);
    } else if (args.compare) {
      text = rated_vs_measured + FormatCompareTable(pairs, catalog.model);
    } else {
      // The answer first: the seed shapes are those the claims are about (they name catalog shapes).
      const Catalog changed = args.catalog.Load();
      std::vector<std::string> claimed;
      for (const auto& claim : LoadClaims(args.catalog.Dir(), changed)) {
        claimed.push_back(claim.figure.shape);
        if (claim.over) claimed.push_back(claim.over->shape);
      }
      text = rated_vs_measured + FormatAnswerFirst(pairs, claimed) + "\n" + FormatScoreTable(pairs, catalog.model, args.explain);
    }
  }
  if (!args.out_path.empty()) WriteFileAtomically(args.out_path, text);
  std::cout << text << std::flush;
  return 0;
}

}  // namespace

std::string ProfilesDir(const std::string& given) {
  if (!given.empty()) return given;
  return std::getenv("SHAPEQ_PROFILES") ? std::getenv("SHAPEQ_PROFILES") : InstalledOr("share/shapeq/profiles", SHAPEQ_DEFAULT_PROFILES);
}

Catalog CatalogOptions::LoadPriced() const {
  Catalog catalog = LoadCatalog(Dir(), model);
  if (!prices.empty()) ApplyPrices(catalog.shapes, ReadPriceFile(prices), prices);
  return catalog;
}

Catalog CatalogOptions::Load() const {
  Catalog catalog = LoadPriced();
  for (const auto& set : sets) ApplySetting(catalog, set);
  return catalog;
}

void AddCatalogOptions(CLI::App& app, CatalogOptions& catalog) {
  app.add_option("--profiles", catalog.profiles_dir,
                 "Catalog directory with shapes/, targets/, models/, claims/, parts/ (default: the project's profiles/, or $SHAPEQ_PROFILES)");
  app.add_option("--model", catalog.model, "Model profile models/NAME.json")->capture_default_str();
  app.add_option("--prices", catalog.prices, "A price file (shapeq prices -o FILE, or a team's own): each row's price on its shape, with its source");
  app.add_option("--set", catalog.sets, "Change an input first, in the profile's unit: SHAPE.FIELD=VALUE, TARGET.FIELD=VALUE or model.FIELD=VALUE");
}

std::string DatapathBenchmarkPath() {
  if (const char* path = std::getenv("SHAPEQ_DATAPATH_BENCHMARK")) return path;
  return InstalledOr("lib/shapeq/datapath_benchmark", SHAPEQ_DATAPATH_BENCHMARK);
}

Runner SetupScore(CLI::App& app) {
  auto args = std::make_shared<Args>();
  AddCatalogOptions(app, args->catalog);
  app.add_option("--shape", args->shapes, "Score only these shapes (repeatable)");
  app.add_option("--target", args->targets, "Score only against these targets (repeatable)");
  app.add_option("--shape-file", args->shape_files, "Also score this shape profile (e.g. a measured shape)");
  app.add_option("--results", args->results_dir, "Also score the node qualified in this results directory (its fingerprint.json)");
  app.add_flag("--scale-from-subset", args->scale_from_subset,
               "With --results: scale a storage run on some of the node's drives up to all of them (marked derived)");
  app.add_option("--rated", args->rated, "The catalog shape the --results node is (default: matched from DMI where it names one)");
  app.add_option("--protection", args->protection, "Use this protection scheme for every pair");
  app.add_option("--sweep", args->sweep, "Step a target field: FIELD=START:STOP[:STEPS], e.g. read_tbps=1:100");
  app.add_flag("--compare", args->compare, "The 1 EB comparison table (target reference-1eb unless --target)");
  auto* json = app.add_flag("--json", args->json, "Versioned JSON (schema shapeq.verdicts)");
  app.add_flag("--claims", args->claims, "With --json: the claims of profiles/claims/ too, evaluated with the same --set (as qualify writes them)")->needs(json);
  app.add_flag("--csv", args->csv, "CSV, one row per shape x target")->excludes(json);
  app.add_flag("--explain", args->explain, "Show how every number was derived");
  auto* sensitivity = app.add_flag("--sensitivity", args->sensitivity,
                                   "What decides each verdict: every ranged input moved alone across its range (the tornado's rows)");
  auto* uncertainty = app.add_option("--uncertainty", args->uncertainty,
                                     "Sample every range together N times (default 2000, table not shown) and show probability of pass and P10/P50/P90 of $/PB-month, nodes, racks, kW")
                          ->check(CLI::Range(size_t{1}, kMaxDraws));
  app.add_option("--seed", args->seed, "Seed of the draws behind each probability of pass (the same seed draws the same values)")->capture_default_str();
  sensitivity->excludes(uncertainty);
  app.add_flag("--list-fields", args->list_fields, "List the shape figures and target fields, with units");
  app.add_option("-o,--out", args->out_path, "Also write the output to FILE (atomically)");
  return [args] { return Run(*args); };
}

}  // namespace shapeq::cli
