#include "results/shape_report.h"

#include "common/atomic_file.h"
#include "common/error.h"
#include "results/report_model.h"

namespace shapeq {


ShapeReport RenderShapeReport(const std::vector<RunFiles>& runs, const ReportExtras& extras) {
  if (runs.empty()) throw Error(ExitCode::kUsage, "no results directory to report on");
  report::Report built = report::BuildReport(runs);
  if (!extras.fleet.storage.empty()) built.sections.insert(built.sections.begin() + 3, report::FleetStorageSection(extras.fleet.storage));
  if (!extras.fleet.network.empty()) built.sections.insert(built.sections.begin() + 3, report::FleetNetworkSection(extras.fleet.network));
  if (!extras.design_targets.empty()) {
    built.sections.push_back(report::WhatToBuildSection(extras.designs, extras.design_front, extras.design_targets));
  }
  return {report::RenderHtml(built), report::RenderMarkdown(built), report::RenderCsv(built)};
}

std::filesystem::path WriteShapeReport(const ShapeReport& report, const std::filesystem::path& dir) {
  WriteFileAtomically(dir / kReportHtmlFile, report.html);
  WriteFileAtomically(dir / kReportMarkdownFile, report.markdown);
  WriteFileAtomically(dir / kReportCsvFile, report.csv);
  return dir / kReportHtmlFile;
}

}  // namespace shapeq
