#pragma once
// Verdicts as report::Table, built once: the shape report's sections (report_verdicts.cc) and
// `shapeq score`'s text and CSV (score_report.cc) render the same tables. Tables hold finished
// figures; the renderers (report_render.cc) compute nothing.
#include <optional>
#include <string>
#include <vector>

#include "results/report_model.h"
#include "scoring/score_matrix.h"
#include "scoring/sweep.h"

namespace shapeq::report {

// Each figure of a measured shape beside its rated twin, with measured / rated.
Table RatedVsMeasuredTable(const Shape& measured, const Shape* rated);
// Every shape sized for one target (the 1 EB comparison).
Table ComparisonTable(const std::vector<ScoredPair>& pairs);
// Each shape's $/PB-month by part (rent, node, drives, power, space, ports, front-end, software).
Table CostTable(const std::vector<ScoredPair>& pairs);
// One target's verdicts as a terminal shows them, with each row's notes: the checks it fails,
// what it would take, the break-even price, and (unknown, or `explain`) what was not judged.
Table ScoreTable(const std::vector<ScoredPair>& pairs, bool explain);
// A sweep: one row per step and shape, the stepped value first.
Table SweepTable(const std::string& field, const std::vector<SweepStep>& steps);
// Every verdict figure as a spreadsheet column (verdict_figures.h), unknown figures empty; with
// `swept_field`, the step's value first.
Table ScoreCsvTable(const std::vector<ScoredPair>& pairs, const std::string& swept_field = "",
                    std::optional<double> swept_value = std::nullopt);

// $/PB-month, or where the shape has no price, the break-even price (the budget's, else the
// cheapest passing shape's).
Cell CostCell(const Verdict& v);
// The checks a verdict fails, with their margins: "power -7%, read -20%".
std::string FailsText(const Verdict& v);
// pass, fail, unknown: a verdict's colour.
std::string StatusClass(const Verdict& v);
// "This node is not an azure-l96s-v4 as the catalog has it: ..." when the drive count or size
// differs from the twin's by more than 1%; "" when they agree.
std::string TwinMismatchText(const Shape& measured, const Shape& rated);
// The model's terms in one line: fill, protocol efficiency, racks, amortization, power price.
std::string ModelText(const Model& model);

}  // namespace shapeq::report
