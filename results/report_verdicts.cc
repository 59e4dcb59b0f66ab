// The report's sections from a run's typed score document: the node sized as a shape beside its
// rated twin, the 1 EB comparison, and one section per target. Their tables are verdict_tables.h's,
// which `shapeq score` prints too (score_report.cc).
#include "results/report_model.h"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "results/answer_first.h"
#include "results/range_tables.h"
#include "results/verdict_tables.h"
#include "results/verdict_text.h"

namespace shapeq::report {
namespace {


// A catalog file as the reader knows it (models/default.json), not this machine's full path.
std::string CatalogPath(const std::string& file) {
  const std::filesystem::path path(file);
  return path.has_parent_path() ? (path.parent_path().filename() / path.filename()).string() : file;
}

void AddBreakEvenNotes(const std::vector<ScoredPair>& pairs, std::vector<std::string>& paragraphs) {
  for (const auto& note : BreakEvenNotes(pairs)) paragraphs.push_back(note + ".");
}

}  // namespace

// The node sized as a shape (scored from raw-device runs), beside its catalog twin.
Section RatedVsMeasuredSection(const RunFiles& run) {
  Section s{"rated", "Measured against rated", {}, {}, {}};
  const Shape* measured = nullptr;
  for (const auto& shape : run.scores->shapes) {
    if (shape.name.rfind("measured-", 0) == 0) measured = &shape;
  }
  if (!measured) {
    if (const StageRecord* score = run.manifest.Stage("score")) {
      const std::string why = !score->summary.empty() ? score->summary : !score->reason.empty() ? score->reason : "not scored";
      s.paragraphs.push_back("This node was not sized as a shape: " + why + ".");
    }
    s.paragraphs.push_back("Sizing a node needs storage runs on its raw data drives (shapeq storage --device ... or a --plan with devices); a scratch file says nothing of them.");
    return s;
  }
  const std::string& rated_name = run.manifest.rated_shape;
  const Shape* rated = rated_name.empty() ? nullptr : run.scores->FindShape(rated_name);
  s.paragraphs.push_back(rated ? "Rated figures are the catalog's " + rated_name + " (" + rated->title + ")."
                               : std::string("No catalog shape matched this node (DMI names none), so there is no rated column."));
  if (rated) {
    if (const std::string mismatch = TwinMismatchText(*measured, *rated); !mismatch.empty()) s.paragraphs.push_back(mismatch);
  }
  s.paragraphs.push_back("Basis \"catalog\": a figure the node cannot measure about itself (power, space, price), borrowed from its twin.");
  s.tables.push_back(RatedVsMeasuredTable(*measured, rated));
  return s;
}

Section ComparisonSection(const ScoreDocument& document, const std::vector<ScoredPair>& pairs) {
  const Target& target = *pairs.front().target;
  Section s{"compare", "1 EB comparison", {}, {}, {}};
  s.paragraphs.push_back(target.title + ". Model: " + ModelText(document.model) + " (" + CatalogPath(document.model.file) + ").");
  Chart nodes{"Nodes per exabyte", "nodes", true, {}, {}, ""};
  Chart racks{"Racks per exabyte", "racks", true, {}, {}, ""};
  Chart cost{"Cost per usable PB-month", "$", true, {}, {}, ""};
  Chart read{"Aggregate read at 1 EB", "TB/s", true, {}, {}, ""};
  for (const auto& p : pairs) {
    const Verdict& v = p.verdict;
    nodes.bars.push_back({v.shape, v.nodes, {}, {}, "neutral"});
    racks.bars.push_back({v.shape, v.racks, {}, {}, "neutral"});
    cost.bars.push_back({v.shape, v.usd_per_pb_month, {}, {}, "neutral"});
    read.bars.push_back({v.shape, InUnitsOf(v.read_bytes_per_s, kTB), {}, {}, "neutral"});
  }
  s.charts = {nodes, racks, cost, read};
  s.tables.push_back(ComparisonTable(pairs));
  s.tables.push_back(CostTable(pairs));
  s.paragraphs.push_back("Survives: the largest loss (a rack, or a cloud's fault domain; a node; a drive) after which no stripe has lost more "
                         "strips than its code recovers (its parity; an LRC's global parities + 1). Node rebuild: a failed node's data rebuilt with the model's share of the cluster's reads.");
  AddBreakEvenNotes(pairs, s.paragraphs);
  s.paragraphs.push_back("? = a figure the catalog does not know (see the shape's profile); shapeq score --explain shows every derivation.");
  return s;
}

Section ClaimsSection(const std::vector<ClaimResult>& claims) {
  Section s{"claims", "Claims", {}, {}, {}};
  s.paragraphs.push_back("Each claim from the product side (profiles/claims/) scored at the catalog's defaults, and for each stated input "
                         "the values under which it would hold: solved by re-scoring over two decades each way, not guessed "
                         "(shapeq claims).");
  Table t{"Claims", {"claim", "said", "figure", "at the defaults", "claimed", "verdict", "would hold", "turns on (within ranges)"}, {}};
  for (const auto& c : claims) {
    std::string solved;
    for (const auto& input : c.solved) solved += (solved.empty() ? "" : "; ") + input.text;
    const char* verdict = c.holds == Status::kPass ? "holds" : c.holds == Status::kFail ? "does not hold" : "unknown";
    std::string turns;
    for (const auto& input : c.turns_on) turns += (turns.empty() ? "" : "; ") + input;
    t.rows.push_back({Text(c.title), Text("\"" + c.said + "\" (" + c.source + ")"), Text(c.metric), Number(c.value), Text(c.claimed),
                      Text(verdict, c.holds == Status::kPass ? "pass" : c.holds == Status::kFail ? "fail" : "unknown"), Text(solved),
                      Text(c.holds == Status::kUnknown ? "" : turns.empty() ? "none" : turns)});
  }
  s.tables.push_back(t);
  return s;
}

Section WhatToBuildSection(const std::vector<Design>& designs, const std::vector<size_t>& front, const std::vector<Target>& targets) {
  Section s{"what-to-build", "What to build", {}, {}, {}};
  std::string names;
  for (const auto& t : targets) names += (names.empty() ? "" : ", ") + t.name;
  const size_t passing = std::count_if(designs.begin(), designs.end(), [](const Design& d) { return d.passes; });
  s.paragraphs.push_back(std::to_string(designs.size()) + " node designs composed from the parts catalog (profiles/parts/) and scored against " + names +
                         ": " + std::to_string(passing) + " pass every target; the Pareto front of $/month, racks and kW (summed over the targets) "
                         "is below, cheapest first. shapeq design --target ... --write-shape FILE saves one as a shape profile.");
  Table t{"Pareto front", {"design", "TB/node", "NIC Gbit/s", "cores", "$/node", "W", "racks", "kW", "$/month"}, {}};
  for (const auto& target : targets) t.header.push_back("$/PB-month " + target.name);
  for (size_t i : front) {
    const Design& d = designs[i];
    std::vector<Cell> row = {Text(d.name), Number(*d.shape.drive_count.value * *d.shape.drive_capacity_bytes.value / kTB),
                             Number(d.shape.nic_gbps.value), Count(d.shape.cores.value), Count(d.shape.capex_usd.value),
                             Count(d.shape.watts.value), Count(d.racks), Count(d.kw), Count(d.usd_per_month)};
    for (const auto& v : d.verdicts) row.push_back(Count(v.usd_per_pb_month));
    t.rows.push_back(row);
  }
  if (front.empty()) s.paragraphs.push_back("No design of these parts passes every target: shapeq design --family SHAPE says what a shape would need.");
  s.tables.push_back(t);
  return s;
}

Section AnswerFirstSection(const std::vector<ScoredPair>& all, const std::vector<ClaimResult>& claims) {
  Section s{"answer", "The answer first", {}, {}, {}};
  s.paragraphs.push_back("Per target, the cheapest shape that passes and each seed shape (this node, and the shapes the claims are "
                         "about). P(pass) is the share of draws of every ranged input, sampled together, in which the verdict "
                         "passes; uncertain means it turns within its inputs' ranges. Decided most by: the input whose range moves "
                         "the verdict most (What decides these verdicts, below).");
  s.tables.push_back(AnswerFirstTable(all, SeedShapes(all, ClaimedShapes(claims))));
  return s;
}

Section WhatDecidesSection(const std::vector<ScoredPair>& all, const std::vector<ClaimResult>& claims) {
  Section s{"decides", "What decides these verdicts", {}, {}, {}};
  s.paragraphs.push_back("Each input with a range (an estimate or a price, docs/sources.md) moved alone from the low to the high end "
                         "of its range, everything else at its value. A bar spans the $/PB-month the two ends give; the dashed line "
                         "is the figure at the values; a purple bar turns the verdict. Shown for each target's cheapest passing "
                         "shape and for each seed shape; shapeq score --sensitivity lists every shape.");
  const std::vector<std::string> seeds = SeedShapes(all, ClaimedShapes(claims));
  std::vector<ScoredPair> shown;
  for (size_t begin = 0, end = 0; begin < all.size(); begin = end) {
    while (end < all.size() && all[end].target == all[begin].target) ++end;
    const ScoredPair* cheapest = CheapestPass(all, begin, end);
    for (size_t i = begin; i < end; ++i) {
      const bool seed = std::find(seeds.begin(), seeds.end(), all[i].shape->name) != seeds.end();
      if (&all[i] != cheapest && !seed) continue;
      shown.push_back(all[i]);
      const Chart tornado = TornadoChart(all[i].verdict);
      if (&all[i] == cheapest && !tornado.bars.empty()) s.charts.push_back(tornado);
    }
  }
  s.tables.push_back(SensitivityTable(shown, 3, /*with_target=*/true));
  return s;
}

Section TargetSection(const std::vector<ScoredPair>& pairs) {
  const Target& target = *pairs.front().target;
  Section s{"target-" + target.name, "Target " + target.name + ": " + target.title, {}, {}, {}};
  s.paragraphs.push_back("Needs " + RequirementsText(target) + ".");
  Table t{"Per shape", {"shape", "protection", "nodes", "limited by", "racks", "kW", "$/month", "$/PB-month", "read TB/s",
                        "write TB/s", "verdict", "fails (margin)", "what it would take"}, {}};
  Chart read{"Aggregate read vs the target", "TB/s", true, {}, InUnitsOf(target.read_bytes_per_s, kTB), "needed"};
  Chart cost{"Cost per usable PB-month vs the budget", "$", true, {}, target.budget_usd_per_pb_month, "budget"};
  size_t passing = 0;
  for (const auto& p : pairs) {
    const Verdict& v = p.verdict;
    passing += v.status == Status::kPass;
    t.rows.push_back({Text(v.shape), Text(v.protection), Count(v.nodes), Text(NeedName(v.limiting)), Count(v.racks), Count(v.kw),
                      Count(v.usd_per_month), CostCell(v), Number(InUnitsOf(v.read_bytes_per_s, kTB)),
                      Number(InUnitsOf(v.write_bytes_per_s, kTB)), Text(ShownStatus(v), StatusClass(v)), Text(FailsText(v)),
                      Text(WhatItWouldTakeText(v))});
    read.bars.push_back({v.shape, InUnitsOf(v.read_bytes_per_s, kTB), {}, {}, StatusClass(v)});
    cost.bars.push_back({v.shape, v.usd_per_pb_month, {}, {}, StatusClass(v)});
  }
  s.paragraphs.push_back(std::to_string(passing) + " of " + std::to_string(pairs.size()) + " shapes pass.");
  if (read.reference) s.charts.push_back(read);
  if (cost.reference) s.charts.push_back(cost);
  s.tables.push_back(t);
  AddBreakEvenNotes(pairs, s.paragraphs);
  return s;
}

}  // namespace shapeq::report
