// shapeq qualify: the whole pipeline on this machine, with safe defaults (a scratch file,
// loopback, nothing destructive), into one self-describing results directory.
//
//   probe -> storage kernels -> network kernel -> data-path kernels -> measured shape -> score
//   -> reports -> optional push
//
// A stage that fails does not sink the others. Ctrl-C or SIGTERM stops the running child (fio),
// deletes the scratch file, keeps what was measured with the run marked incomplete, exits 130.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iterator>
#include <iostream>
#include <map>
#include <memory>

#include <hwloc.h>

#include "cli/commands.h"
#include "cli/progress.h"
#include "cli/qualify_plan.h"
#include "common/atomic_file.h"
#include "common/error.h"
#include "common/interrupt.h"
#include "probes/fingerprint_text.h"
#include "probes/probe.h"
#include "results/node_shape.h"
#include "results/pushgateway.h"
#include "results/pkb_samples.h"
#include "results/run_dir.h"
#include "results/run_record.h"
#include "results/score_report.h"
#include "results/shape_report.h"
#include "scoring/catalog.h"
#include "scoring/claims.h"
#include "scoring/measured_shape.h"
#include "scoring/price_file.h"
#include "scoring/uncertainty.h"
#include "workloads/kernels.h"
#include "workloads/net_protocol.h"

namespace shapeq::cli {
namespace {

namespace fs = std::filesystem;

std::string HostName() {
  char name[256] = {};
  gethostname(name, sizeof name - 1);
  return name;
}

// The libraries and compiler this shapeq was built with (fio's and hwloc's versions at run time
// join the manifest as the stages read them).
nlohmann::json BuiltWith() {
  return {{"compiler", __VERSION__},
          {"nlohmann_json", std::to_string(NLOHMANN_JSON_VERSION_MAJOR) + "." + std::to_string(NLOHMANN_JSON_VERSION_MINOR) + "." +
                                std::to_string(NLOHMANN_JSON_VERSION_PATCH)},
          {"cli11", CLI11_VERSION},
          {"hwloc_api", std::to_string(HWLOC_API_VERSION >> 16) + "." + std::to_string((HWLOC_API_VERSION >> 8) & 0xff)}};
}

struct Args {
  std::string out_dir;
  bool quick = false;
  std::string plan_file;
  std::vector<std::string> devices;
  bool all_nvme = false;
  bool allow_destructive = false;
  bool force = false;
  bool scratch = false;
  bool scale_from_subset = false;
  bool no_metadata = false;
  std::string rated;
  std::string prices;  // a price file for the score stage
  std::string peer;
  std::string token_file;
  PushOptions push;  // pushed when gateway_url is set
};


// The built-in plan, the plan file over it, then the command line over both.
QualifyPlan PlanFor(const Args& args) {
  QualifyPlan plan = args.quick ? QuickPlan() : DefaultPlan();
  if (!args.plan_file.empty()) plan = ReadPlanFile(args.plan_file, plan);
  plan.devices.insert(plan.devices.end(), args.devices.begin(), args.devices.end());
  plan.all_nvme = plan.all_nvme || args.all_nvme;
  plan.storage.allow_destructive = plan.storage.allow_destructive || args.allow_destructive;
  plan.scale_from_subset = plan.scale_from_subset || args.scale_from_subset;
  if (args.scratch) plan.data_drives = false;
  if (!args.peer.empty()) plan.network.peer = args.peer;
  if (plan.network_enabled && !plan.network.peer.empty()) {
    plan.network.token = ReadNetToken(args.token_file);
    RequireNetToken(plan.network.token);  // known now, not after the storage stage
  }
  // Before anything is written: a typo is bad input, not a failed run.
  for (const auto& device : plan.devices) RequireBlockDevice(device);
  // The catalog and model the score stage will read, read now: not after minutes of measuring.
  Catalog catalog;
  try {
    catalog = LoadCatalog(ProfilesDir(plan.profiles), plan.model);
  } catch (const Error& e) {
    if (args.plan_file.empty()) throw;
    throw BadInput(args.plan_file, "field score.profiles or score.model: " + std::string(e.what()));
  }
  if (!args.prices.empty()) ApplyPrices(catalog.shapes, ReadPriceFile(args.prices), args.prices);  // a bad file: now, not after the run
  if (!args.rated.empty()) {
    if (!FindShape(catalog.shapes, args.rated)) {
      throw Error(ExitCode::kUsage, "--rated " + args.rated + ": no such shape in " + ProfilesDir(plan.profiles) + "/shapes");
    }
  }
  return plan;
}

// The served kernels run the suite's engine this build made, and served_write encodes with the
// scheme the node will be scored under: its catalog twin's, else the measured default. A
// catalog that cannot be read here leaves the default (the score stage says what is wrong).
QualifyPlan ChooseServedCode(QualifyPlan plan, const Fingerprint& fp, const std::string& rated_name) {
  const bool chosen = plan.storage.ec_k != 0;  // the plan checked ec_m goes with it
  plan.storage = WithServedDefaults(plan.storage);
  if (chosen) return plan;
  try {
    const Catalog catalog = LoadCatalog(ProfilesDir(plan.profiles), plan.model);
    const Shape* rated = RatedTwin(fp, catalog.shapes, rated_name);
    const auto scheme = catalog.model.schemes.find(rated ? rated->protection : kMeasuredDefaultProtection);
    if (scheme != catalog.model.schemes.end()) {
      // Replication (k 1, m copies - 1) encodes as 1+m: each "parity" a copy of the block.
      plan.storage.ec_k = scheme->second.data;
      plan.storage.ec_m = scheme->second.parity;
    }
  } catch (const Error&) {
  }
  return plan;
}

int Qualify(const Args& args) {
  const QualifyPlan plan = PlanFor(args);
  if (!args.push.gateway_url.empty()) ValidatePushOptions(args.push);  // a bad --gateway is known before an hour of runs
  InstallInterruptHandlers();
  const fs::path dir = args.out_dir.empty() ? fs::path("results") / (UtcNow(true) + "-" + HostName()) : fs::path(args.out_dir);
  Progress progress(Progress::StdoutIsTerminal());
  RunRecord run(dir, args.force, args.push.gateway_url.empty() ? 6 : 7, {{"command_line", CommandLine()}, {"built_with", BuiltWith()}},
                {[&](const std::string& line) { progress.Line(line); },
                 [&](const std::string& step, double planned_s) { progress.StageStarted(step, planned_s); }, [&] { progress.StageEnded(); }});
  run.manifest()["mode"] = args.plan_file.empty() ? plan.name : "plan";
  run.manifest()["plan"] = plan.name;
  run.Write(kPlanFile, PlanJson(plan).dump(2) + "\n");

  // 1. Probe: what this node is.
  Fingerprint fp;
  run.Stage("probe", [&] {
    fp = Probe(ThisMachine(!args.no_metadata));
    run.Write(kFingerprintFile, nlohmann::json(fp).dump(2) + "\n");
    run.Write(kFingerprintTextFile, FormatFingerprintText(fp));
    run.manifest()["hwloc_version"] = fp.source.hwloc_version;
    return std::to_string(fp.cpu.hardware_threads) + " threads, " + std::to_string(fp.drives.size()) + " drives, " +
           std::to_string(fp.nics.size()) + " NICs";
  });

  // 2-4. The measure kernels (storage, network, data path), from their table.
  QualifyPlan measure_plan = ChooseServedCode(plan, fp, args.rated);
  measure_plan.datapath.benchmark_binary = DatapathBenchmarkPath();
  const KernelContext context{&fp, (dir / kScratchDir).string(), [&](const std::string& line) { progress.Line(line); },
                              !progress.terminal() ? nullptr : std::function<void(const std::string&, std::optional<double>)>(
                                                                   [&](const std::string& text, std::optional<double> seconds_left) {
                                                                     progress.Live(text, seconds_left);
                                                                   })};
  std::map<std::string, std::vector<Measurement>> by_stage;
  for (const MeasureKernel& kernel : MeasureKernels()) {
    if (!kernel.in_plan(plan)) {
      run.Skip(kernel.name, "not in the plan");
      continue;
    }
    run.Stage(kernel.name, [&] {
      std::vector<Measurement>& ms = by_stage[kernel.name];
      ms = kernel.run(measure_plan, context);
      run.Write(kernel.results_file, (kernel.single && !ms.empty() ? nlohmann::json(ms.front()) : nlohmann::json(ms)).dump(2) + "\n");
      // The tools' versions the kernels report (fio's) join the manifest.
      for (const Measurement& m : ms) {
        if (m.detail.contains("fio_version")) run.manifest()["fio_version"] = m.detail.value("fio_version", "");
      }
      // A stage that measured nothing has failed, whatever the reason (fio refused the job,
      // every write was refused, the peer went away): exit 5, never "ok" with no figure.
      const auto ok = std::find_if(ms.begin(), ms.end(), [](const Measurement& m) { return m.status == MeasurementStatus::kOk; });
      if (ok == ms.end() && !Interrupted()) {
        if (kernel.single && !ms.empty()) throw Error(ExitCode::kRunFailed, ms.front().reason);
        throw Error(ExitCode::kRunFailed, "no " + std::string(kernel.name) + " kernel ran ok (" + KernelsOkText(ms) +
                                              (ms.empty() ? "" : "; first: " + ms.front().reason) + ")");
      }
      return kernel.summary(ms, plan);
    }, kernel.planned_s(plan));
  }
  std::error_code ignored;
  fs::remove(dir / kScratchDir, ignored);  // empty once the scratch file is gone
  const std::vector<Measurement>& storage = by_stage["storage"];
  const std::optional<Measurement> network =
      by_stage["network"].empty() ? std::nullopt : std::optional<Measurement>(by_stage["network"].front());
  const std::vector<Measurement>& datapath = by_stage["datapath"];

  // 5. Shape and score: the catalog against every target, and this node where it can be sized.
  run.Stage("score", [&] {
    const std::string profiles = ProfilesDir(plan.profiles);
    Catalog catalog = LoadCatalog(profiles, plan.model);
    if (!args.prices.empty()) ApplyPrices(catalog.shapes, ReadPriceFile(args.prices), args.prices);
    // The product side's claims, checked on the catalog as it ships (they name catalog shapes).
    std::vector<ClaimResult> claims;
    for (const auto& claim : LoadClaims(profiles, catalog)) claims.push_back(EvaluateClaim(claim, catalog));
    std::string note;
    // --rated was checked against the catalog before the run began.
    const Shape* rated = RatedTwin(fp, catalog.shapes, args.rated);
    if (rated) run.manifest()["rated_shape"] = rated->name;
    const Shape measured = SizeNode(fp, rated, {storage, network, datapath}, dir, {}, catalog.model, plan.scale_from_subset);
    if (measured.drive_count.known()) {
      catalog.shapes.insert(catalog.shapes.begin(), measured);
    } else {
      note = "; this node not scored: " + measured.drive_count.note;
    }
    std::vector<ScoredPair> pairs = ScoreAll(catalog.shapes, catalog.targets, catalog.model);
    const UncertaintyRun sampled = SampleVerdicts(catalog.shapes, catalog.targets, catalog.model, kDefaultDraws, kDefaultSeed);
    MarkPassProbability(pairs, sampled);
    std::vector<ScoredPair> compare;
    std::copy_if(pairs.begin(), pairs.end(), std::back_inserter(compare), [](const ScoredPair& p) { return p.target->name == "reference-1eb"; });
    nlohmann::json document = WriteScoreDocument(pairs, catalog.model, claims);
    document["uncertainty"] = UncertaintyJson(sampled);
    run.Write(kVerdictsFile, document.dump(2) + "\n");
    run.Write(kScoreTextFile, FormatScoreTable(pairs, catalog.model, false));
    run.Write(kCompareTextFile, FormatCompareTable(compare, catalog.model));
    const auto holding = std::count_if(claims.begin(), claims.end(), [](const ClaimResult& c) { return c.holds == Status::kPass; });
    return std::to_string(pairs.size()) + " verdicts, " + std::to_string(holding) + " of " + std::to_string(claims.size()) +
           " claims hold at the defaults" + note;
  });
  run.Conclude();

  // 6. The shape report, from the files just written (what `shapeq report DIR` renders); also
  //    after Ctrl-C, so a partial run's report shows what ran and what did not.
  run.Stage("report", [&] {
    const RunFiles files = ReadRunFiles(dir.string());
    const std::string html = WriteShapeReport(RenderShapeReport({files}), dir).string();
    for (const char* file : {kReportHtmlFile, kReportMarkdownFile, kReportCsvFile}) run.files().Written(file);
    run.files().Write(kPkbSamplesFile, PkbSamples(files));
    return html + " (and report.md, report.csv, pkb_samples.json)";
  }, 0, true);

  // 7. Optional push: a failed push leaves the results on disk for a later `shapeq push`.
  if (!args.push.gateway_url.empty()) {
    run.Stage("push", [&] {
      const RunFiles files = ReadRunFiles(dir.string());
      PushRun(files, args.push);
      return "to " + args.push.gateway_url + " (job " + args.push.job + ", node " + files.fingerprint.source.hostname + ")";
    });
  }

  return run.Finish();
}

}  // namespace

Runner SetupQualify(CLI::App& app) {
  auto args = std::make_shared<Args>();
  app.add_option("--out", args->out_dir, "Results directory (default results/<UTC time>-<host>)");
  app.add_flag("--quick", args->quick, "Short runs: well under a minute here");
  app.add_option("--plan", args->plan_file, "A plan file (JSON, schema shapeq.plan) over the built-in plan; see README");
  AddDeviceOptions(app, args->devices, args->all_nvme);
  app.add_flag("--scratch", args->scratch, "Measure a scratch file even when the node has unused data drives");
  app.add_flag("--scale-from-subset", args->scale_from_subset, "Scale a storage run on some of the drives up to all of them (marked derived)");
  app.add_flag("--no-metadata", args->no_metadata, "Do not ask the cloud's instance metadata service for the VM size");
  app.add_option("--prices", args->prices, "A price file for the score stage (shapeq prices -o FILE, or a team's own)");
  app.add_option("--rated", args->rated, "The catalog shape this node is (default: matched from DMI where it names one)");
  app.add_flag("--allow-destructive", args->allow_destructive, "Let write kernels write raw devices (never mounted, partitioned, held or system ones)");
  app.add_flag("--force", args->force, "Reuse a non-empty --out directory: the earlier run's files in it are removed first");
  app.add_option("--token-file", args->token_file, "The secret the peer's net-serve holds (mode 600; else $SHAPEQ_NET_TOKEN)");
  app.add_option("--peer", args->peer, "Network peer HOST[:PORT] running shapeq net-serve (default: loopback)");
  AddPushOptions(app, args->push, false);
  return [args] { return Qualify(*args); };
}

}  // namespace shapeq::cli
