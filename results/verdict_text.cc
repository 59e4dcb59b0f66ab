#include "results/verdict_text.h"

#include <cmath>
#include <cstdio>

#include "results/csv_text.h"
#include "results/number_text.h"

namespace shapeq {
namespace {

// A figure already rounded to three significant figures, all three shown (no thousands
// separator where a CSV cell holds it).
std::string ThreeFigureText(double rounded, bool csv = false) {
  return !csv && std::abs(rounded) >= 1000 ? CountText(rounded) : ExactText(rounded);
}

}  // namespace

// A price is a limit ("at most"): rounded down, three figures, like a hint.
std::string AtMostPriceText(double value) { return ThreeFigureText(RoundToThreeFigures(value, false)); }

std::vector<std::string> BreakEvenNotes(const std::vector<ScoredPair>& pairs) {
  std::vector<std::string> notes;
  for (const auto& p : pairs) {
    if (const std::string text = BreakEvenText(p.verdict); !text.empty()) notes.push_back(p.verdict.shape + " has no price: " + text);
  }
  return notes;
}

std::string FlipsText(const Verdict& v, size_t most) {
  std::string text;
  size_t shown = 0;
  for (const auto& e : v.deciding) {
    if (!e.flips() || shown == most) continue;
    for (const auto& [at, below] : {std::pair{e.flips_below, true}, std::pair{e.flips_above, false}}) {
      if (!at) continue;
      text += (text.empty() ? "" : ", ") + e.input + (below ? " <= " : " >= ") + AutoText(*at) + " (range " + AutoText(e.low) + "-" +
              AutoText(e.high) + ")";
    }
    ++shown;
  }
  if (text.empty()) return "";
  const bool passes = v.status == Status::kPass;
  return std::string(passes ? "passes" : "fails") + " at the values; " + (passes ? "fails" : "passes") + " with " + text;
}

std::string BreakEvenText(const Verdict& v) {
  if (!v.break_even) return "";
  const BreakEven& b = *v.break_even;
  std::string text;
  if (b.for_budget) text = b.field + " <= " + AtMostPriceText(*b.for_budget) + " passes the budget";
  if (b.to_match && b.cheapest_usd_per_pb_month) {
    text += (text.empty() ? b.field + " <= " : "; ") + AtMostPriceText(*b.to_match) + " matches " + b.cheapest_shape + "'s $" +
            CountText(*b.cheapest_usd_per_pb_month) + "/PB-month";
  }
  return text;
}

std::string WhatItWouldTakeText(const Verdict& v, bool csv) {
  // Levers are rounded to three significant figures: print all three (and no thousands
  // separator inside a CSV cell).
  auto lever = [csv](const Lever& l) { return l.field + " " + l.comparison + " " + ThreeFigureText(l.value, csv); };
  std::string text;
  for (const auto& l : v.levers) {
    if (l.alone) text += std::string(text.empty() ? "" : csv ? "; or " : ", or ") + lever(l);
  }
  if (!v.levers_together.empty()) {
    std::string all;
    for (const auto& l : v.levers_together) all += (all.empty() ? "" : " and ") + lever(l);
    text += std::string(text.empty() ? "" : csv ? "; or " : ", or ") + "all together: " + all;
  }
  return text;
}

std::string SurvivesText(const Verdict& v) {
  const Availability& a = v.availability;
  if (a.survives_domain.value_or(false)) return a.domain;
  if (a.survives_node) return "node";
  return a.parity > 0 ? "drive" : "none";
}

std::string RequirementsText(const Target& t) {
  std::vector<std::string> parts;
  if (t.usable_bytes) {
    parts.push_back(AutoText(*t.usable_bytes / kPB) + " PB usable" +
                    (t.usable_basis.empty() || t.usable_basis == "stated" ? "" : " (" + t.usable_basis + ")"));
  }
  if (t.read_bytes_per_s) parts.push_back("read " + AutoText(*t.read_bytes_per_s / kTB) + " TB/s");
  if (t.write_bytes_per_s) parts.push_back("write " + AutoText(*t.write_bytes_per_s / kTB) + " TB/s");
  if (t.checkpoint_bytes) parts.push_back("checkpoint " + AutoText(*t.checkpoint_bytes / kTB) + " TB in " + AutoText(t.checkpoint_window_s) + " s");
  if (t.iops_per_pb) {
    parts.push_back(CountText(*t.iops_per_pb) + " IOPS/PB" +
                    (t.write_fraction ? " (" + AutoText(*t.write_fraction * 100) + "% writes)" : ""));
  }
  if (t.p99_latency_s) parts.push_back("p99 <= " + AutoText(*t.p99_latency_s * 1e3) + " ms");
  if (t.data_reduction_ratio != 1.0) parts.push_back("data reduction " + AutoText(t.data_reduction_ratio) + ":1");
  if (!t.must_survive.empty()) parts.push_back("surviving a " + t.must_survive + " loss");
  if (t.max_rebuild_s) parts.push_back("a node rebuilt within " + AutoText(*t.max_rebuild_s / kSecondsPerHour) + " h");
  std::vector<std::string> limits;
  if (t.budget_usd_per_pb_month) limits.push_back("$" + CountText(*t.budget_usd_per_pb_month) + "/PB-month");
  if (t.max_racks) limits.push_back(CountText(*t.max_racks) + " racks");
  if (t.max_kw) limits.push_back(CountText(*t.max_kw) + " kW");
  std::string text;
  for (const auto& p : parts) text += (text.empty() ? "" : ", ") + p;
  if (!limits.empty()) {
    text += "; at most ";
    for (size_t i = 0; i < limits.size(); ++i) text += (i ? ", " : "") + limits[i];
  }
  return text;
}

}  // namespace shapeq
