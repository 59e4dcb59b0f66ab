// shapeq show DIR: a run's summary. shapeq compare DIR1 DIR2: what changed between two runs
// (or two nodes of one shape), figure by figure. shapeq report DIR...: the shape report.
#include <filesystem>
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "common/error.h"
#include "common/json_read.h"
#include "common/atomic_file.h"
#include "results/pkb_samples.h"
#include "results/run_report.h"
#include "results/shape_report.h"
#include "scoring/catalog.h"
#include "scoring/design.h"

namespace shapeq::cli {

Runner SetupShow(CLI::App& app) {
  auto dir = std::make_shared<std::string>();
  app.add_option("dir", *dir, "A results directory")->required();
  return [dir] {
    std::cout << FormatRunSummary(ReadRunFiles(*dir)) << std::flush;
    return 0;
  };
}

Runner SetupCompare(CLI::App& app) {
  auto dirs = std::make_shared<std::vector<std::string>>();
  app.add_option("dirs", *dirs, "Two results directories: before and after")->required()->expected(2);
  return [dirs] {
    std::cout << FormatRunComparison(ReadRunFiles((*dirs)[0]), ReadRunFiles((*dirs)[1])) << std::flush;
    return 0;
  };
}

Runner SetupReport(CLI::App& app) {
  struct Args {
    std::vector<std::string> dirs;
    std::string out_dir;
    std::string net_fleet;
    std::string storage_fleet;
    std::vector<std::string> design_targets;
  };
  auto args = std::make_shared<Args>();
  app.add_option("dirs", args->dirs, "Results directories: one run, or several nodes of one shape (spread across nodes)")->required();
  app.add_option("--out", args->out_dir, "Where report.html, report.md and report.csv go (default: the one results directory)");
  app.add_option("--design-target", args->design_targets, "Add \"What to build\": shapeq design's front for these targets (repeatable)");
  app.add_option("--net-fleet", args->net_fleet, "A fleet network run (shapeq net --hosts ... -o FILE): its matrix as a heat map");
  app.add_option("--storage-fleet", args->storage_fleet, "A fleet storage run (shapeq storage --hosts ... -o FILE): every host per kernel");
  return [args] {
    if (args->out_dir.empty() && args->dirs.size() > 1) throw Error(ExitCode::kUsage, "several results directories need --out DIR for the report");
    std::vector<RunFiles> runs;
    for (const auto& dir : args->dirs) runs.push_back(ReadRunFiles(dir));
    ReportExtras extras;
    PartsCatalog parts;  // outlives the report: each design points at its parts
    if (!args->design_targets.empty()) {
      const Catalog catalog = LoadCatalog(ProfilesDir(""));
      for (const auto& name : args->design_targets) {
        const Target* target = FindTarget(catalog.targets, name);
        if (!target) throw Error(ExitCode::kUsage, "--design-target " + name + ": no such target");
        extras.design_targets.push_back(*target);
      }
      parts = LoadParts(ProfilesDir("") + "/parts", catalog.model);
      extras.designs = EvaluateDesigns(parts, extras.design_targets, catalog.model);
      extras.design_front = ParetoFront(extras.designs);
    }
    extras.fleet = ReadFleetRuns(args->storage_fleet, args->net_fleet);
    const ShapeReport report = RenderShapeReport(runs, extras);
    const std::filesystem::path out = args->out_dir.empty() ? args->dirs.front() : args->out_dir;
    std::error_code cannot;
    std::filesystem::create_directories(out, cannot);
    if (cannot) throw Error(ExitCode::kEnvironment, out.string() + ": cannot make the report's directory: " + cannot.message());
    const auto html = WriteShapeReport(report, out);
    // A fleet's figures join the first run's PKB samples, as a node's do.
    if (!extras.fleet.empty()) WriteFileAtomically((out / kPkbSamplesFile).string(), PkbSamples(runs.front(), extras.fleet));
    std::cout << "shapeq: report of " << runs.size() << (runs.size() == 1 ? " run" : " runs") << " in " << html.string()
              << (extras.fleet.empty() ? " (and report.md, report.csv)" : " (and report.md, report.csv, pkb_samples.json with the fleet's figures)")
              << std::endl;
    return 0;
  };
}

}  // namespace shapeq::cli
