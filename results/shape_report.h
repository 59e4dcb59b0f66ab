#pragma once
// The shape report for hyperscaler engineering: one results directory, or several of one shape
// (a fleet), rendered three ways from one model of the report:
//   - HTML: one self-contained file (inline CSS and SVG charts, nothing fetched);
//   - Markdown: the same sections and tables, to paste into a design doc;
//   - CSV: the same tables with full-precision numbers, to paste into a spreadsheet or deck.
// A reporter: it reads finished results (fingerprint, measurements, verdicts.json) and computes
// only spreads across nodes and measured/rated ratios.
#include <filesystem>
#include <string>
#include <vector>

#include "results/fleet_files.h"
#include "results/run_dir.h"
#include "scoring/design.h"

namespace shapeq {

struct ShapeReport {
  std::string html;
  std::string markdown;
  std::string csv;
};

// What a report may show beside the runs: a fleet network run (the pairs of `shapeq net --hosts`,
// its -o file) as a matrix, a fleet storage run per host, and `shapeq design`'s front for some targets ("What to build").
struct ReportExtras {
  FleetRuns fleet;
  std::vector<Target> design_targets;
  std::vector<Design> designs;
  std::vector<size_t> design_front;
};

// `runs`: at least one; the verdicts come from the first run that was scored.
ShapeReport RenderShapeReport(const std::vector<RunFiles>& runs, const ReportExtras& extras = {});

// report.html, report.md and report.csv in `dir`, each written atomically; the path of the HTML.
std::filesystem::path WriteShapeReport(const ShapeReport& report, const std::filesystem::path& dir);

}  // namespace shapeq
