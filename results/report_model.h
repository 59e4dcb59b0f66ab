#pragma once
// The shape report as plain data: sections of paragraphs, tables and charts, built once from
// finished results (report_sections.cc, report_verdicts.cc) and rendered three ways
// (report_render.cc: HTML with svg_chart.h, Markdown, CSV). Renderers compute nothing.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "results/number_text.h"
#include "results/run_dir.h"
#include "scoring/design.h"

namespace shapeq::report {

struct Cell {
  std::string text;             // for people (HTML, Markdown)
  std::optional<double> value;  // for spreadsheets (CSV); empty: the text is the value
  std::string css;              // pass, fail, unknown: coloured in HTML
};

inline Cell Text(std::string text, std::string css = "") { return {std::move(text), std::nullopt, std::move(css)}; }
inline Cell Number(std::optional<double> value) { return {AutoText(value), value, ""}; }
inline Cell Count(std::optional<double> value) { return {CountText(value), value, ""}; }

struct Table {
  std::string caption;
  std::vector<std::string> header;
  std::vector<std::vector<Cell>> rows;
  // Lines a terminal shows under a row (notes[i] under rows[i]): what a verdict fails, what it
  // would take. The report's tables give such words their own columns instead.
  std::vector<std::vector<std::string>> notes = {};
};

struct Bar {
  std::string label;
  std::optional<double> value;             // drawn when > 0
  std::optional<double> low, high;         // a whisker: spread across repeats or nodes; without a value, a
                                           // tornado's bar from low (one end of a range) to high (the other)
  std::string css = "neutral";             // pass, fail, unknown, uncertain, neutral
};

struct Chart {
  std::string title;
  std::string unit;
  bool log_scale = false;
  std::vector<Bar> bars;
  std::optional<double> reference;  // the target's requirement, a dashed line
  std::string reference_label;
};

struct Section {
  std::string id;
  std::string heading;
  std::vector<std::string> paragraphs;
  std::vector<Chart> charts;
  std::vector<Table> tables;
};

struct Report {
  std::string title;
  std::vector<std::string> subtitle;
  std::vector<Section> sections;
};

// `value` counted in units of `unit` (bytes/s in GB/s: 1e9); nothing when unknown.
inline std::optional<double> InUnitsOf(std::optional<double> value, double unit) {
  return value ? std::optional(*value / unit) : std::nullopt;
}

// Every section of the report of `runs` (one node, or a fleet of one shape).
Report BuildReport(const std::vector<RunFiles>& runs);

// The sections made from a run's score document (report_verdicts.cc); `pairs` are one target's.
Section RatedVsMeasuredSection(const RunFiles& run);
Section ComparisonSection(const ScoreDocument& document, const std::vector<ScoredPair>& pairs);
Section TargetSection(const std::vector<ScoredPair>& pairs);
Section ClaimsSection(const std::vector<ClaimResult>& claims);
// One screen first: per target the cheapest passing shape and each seed shape (answer_first.h).
Section AnswerFirstSection(const std::vector<ScoredPair>& all, const std::vector<ClaimResult>& claims);
// Each target's cheapest passing shape's tornado, and the inputs that move each seed shape's verdict.
Section WhatDecidesSection(const std::vector<ScoredPair>& all, const std::vector<ClaimResult>& claims);
// A fleet network run (shapeq net --hosts): the matrix of Gbit/s, a heat map in HTML (each cell
// coloured by its fraction of the fastest pair), the schedule, and the bisection estimate.
Section FleetNetworkSection(const std::vector<Measurement>& pairs);
// A fleet storage run (shapeq storage --hosts): per kernel, every host's figures beside the
// fleet's sum, each host's rate coloured by its fraction of the fastest host's; refusals named.
Section FleetStorageSection(const std::vector<Measurement>& kernels);
// shapeq design's Pareto front for `targets`: what to build, cheapest first.
Section WhatToBuildSection(const std::vector<Design>& designs, const std::vector<size_t>& front, const std::vector<Target>& targets);

// Renderers of a finished report.
std::string RenderHtml(const Report& report);
std::string RenderMarkdown(const Report& report);
std::string RenderCsv(const Report& report);
// A table for a terminal: aligned columns, numbers to the right, each row's notes under it.
std::string RenderText(const Table& table);
// One table as a CSV file: the header, then the rows (no caption). Numbers at full precision.
std::string RenderCsv(const Table& table);

}  // namespace shapeq::report
