#include "results/score_report.h"

#include <cmath>
#include <cstdio>
#include <sstream>
#include <string_view>

#include "common/json_optional.h"
#include "results/csv_text.h"
#include "results/number_text.h"
#include "results/report_model.h"
#include "scoring/verdict_figures.h"

namespace shapeq {
namespace {

constexpr double kTB = 1e12;

}  // namespace

namespace {

std::string Margin(const Check& c) {
  if (!c.margin) return "?";
  char text[32];
  std::snprintf(text, sizeof text, "%+.0f%%", *c.margin * 100);
  return text;
}

}  // namespace

std::string FormatClaimsText(const std::vector<ClaimResult>& claims) {
  std::ostringstream out;
  for (const auto& c : claims) {
    const char* verdict = c.holds == Status::kPass ? "holds" : c.holds == Status::kFail ? "does not hold" : "cannot be judged (a figure is unknown)";
    out << "Claim " << c.name << " — " << c.title << "\n"
        << "  said: \"" << c.said << "\" — " << c.source << "\n"
        << "  " << c.metric << " = " << AutoText(c.value) << ", claimed " << c.claimed << ": " << verdict << " at the defaults\n";
    for (const auto& s : c.solved) out << "    " << s.text << "\n";
  }
  return out.str();
}

namespace {

std::string FigureText(const Figure& f, double to_si, const char* unit) {
  return f.known() ? ExactText(*f.value / to_si) + unit + " [" + BasisName(f.basis) + "]" : std::string("? [unknown]");
}

// The derivation of every number in one verdict, from the inputs beside it (docs/scoring.md).
std::string Explain(const ScoredPair& p, const Model& m) {
  const Shape& s = *p.shape;
  const Target& t = *p.target;
  const Verdict& v = p.verdict;
  const PerNode& n = v.per_node;
  std::ostringstream out;
  out << "    usable/node = " << FigureText(s.drive_count, 1, " drives") << " x " << FigureText(s.drive_capacity_bytes, kTB, " TB")
      << " x " << v.protection << " " << ExactText(n.efficiency) << " x fill " << ExactText(m.fill_fraction) << " x reduction "
      << ExactText(t.data_reduction_ratio) << " = " << ExactText(n.usable_bytes / kTB) << " TB\n";
  out << "    nic payload/node = " << FigureText(s.nic_gbps, 1, " Gbit/s") << " / 8 x protocol " << AutoText(m.protocol_efficiency)
      << " = " << (n.nic_payload_bytes_per_s ? ExactText(*n.nic_payload_bytes_per_s / 1e9) : "?") << " GB/s\n";
  // The cores term, as the scorer has it: cores / (cores per GB/s of the data path), when the
  // model prices the data path (otherwise the scorer leaves it out, and so does this line).
  std::string cores;
  if (const auto per_gbps = CoresPerGbytesPerS(s, m)) {
    cores = ", cores " + FigureText(s.cores, 1, "") + " / " + ExactText(*per_gbps) + " per GB/s" +
            (s.cores_per_gbytes_per_s.known() ? " [" + std::string(BasisName(s.cores_per_gbytes_per_s.basis)) + "]" : " [model]");
  }
  // A served figure (the data path on every block) is named so, with the drives' own beside it.
  auto drives_term = [](const Figure& figure, const Figure& drives_alone) {
    if (!drives_alone.known()) return "drives " + FigureText(figure, 1e9, " GB/s");
    return "served " + FigureText(figure, 1e9, " GB/s") + " (drives alone " + FigureText(drives_alone, 1e9, " GB/s") + ")";
  };
  out << "    read/node = min(" << drives_term(s.read_bytes_per_s, s.raw_read_bytes_per_s) << ", nic" << cores << ") = "
      << AutoText(n.read_bytes_per_s.value ? std::optional(*n.read_bytes_per_s.value / 1e9) : std::nullopt) << " GB/s (bound by "
      << BoundName(n.read_bytes_per_s.bound) << ")\n";
  out << "    write/node = min(" << drives_term(s.write_bytes_per_s, s.raw_write_bytes_per_s) << ", nic" << cores << ") / write amplification "
      << AutoText(n.write_amplification) << " = "
      << AutoText(n.write_bytes_per_s.value ? std::optional(*n.write_bytes_per_s.value / 1e9) : std::nullopt) << " GB/s (bound by "
      << BoundName(n.write_bytes_per_s.bound) << ")\n";
  out << "    nodes = max(";
  for (size_t i = 0; i < kNeedCount; ++i) {
    if (!v.nodes_for[i]) continue;
    out << (i ? ", " : "") << NeedName(static_cast<Need>(i)) << " " << CountText(v.nodes_for[i]);
  }
  out << ") = " << CountText(v.nodes) << " (" << NeedName(v.limiting) << ")\n";
  out << "    racks = ceil(" << CountText(v.nodes) << " / " << CountText(v.nodes_per_rack) << " per rack by " << v.rack_bound << ") = "
      << CountText(v.racks) << "; rack " << AutoText(m.rack_units) << "U - " << AutoText(m.rack_overhead_units) << "U, " << AutoText(m.kw_per_rack)
      << " kW; node " << FigureText(s.rack_units, 1, "U") << ", " << FigureText(s.watts, 1, " W") << "\n";
  const Availability& a = v.availability;
  out << "    failure domains: " << AutoText(a.strips_per_node) << " strips of a stripe per node, " << AutoText(a.strips_per_domain)
      << " per " << a.domain << " (" << CountText(a.domains) << " " << a.domain << "s), parity " << a.parity << ": survives a "
      << SurvivesText(v) << " loss; rebuild of a drive " << AutoText(report::InUnitsOf(a.drive_rebuild_s, 3600)) << " h, of a node "
      << AutoText(report::InUnitsOf(a.node_rebuild_s, 3600)) << " h at " << AutoText(m.rebuild_share) << " of the cluster's reads\n";
  if (s.kind == "cloud-vm") {
    out << "    rent = " << CountText(v.nodes) << " x " << FigureText(s.price_per_hour_usd, 1, " $/h") << " x " << AutoText(m.hours_per_month)
        << " h = " << CountText(v.cost.rent) << "\n";
  } else {
    out << "    node = " << CountText(v.nodes) << " x (" << FigureText(s.capex_usd, 1, " $") << " - drives " << FigureText(s.drive_count, 1, "")
        << " x " << FigureText(s.drive_price_usd, 1, " $") << ") / " << AutoText(m.amortization_years) << " y / 12; drives / "
        << AutoText(m.drive_lifetime_years) << " y / 12; power " << CountText(v.kw) << " kW at $" << AutoText(m.usd_per_kwh)
        << "/kWh; " << CountText(v.racks) << " racks at $" << CountText(m.usd_per_rack_month) << "/month; ports at $"
        << AutoText(m.usd_per_network_port_month) << "/month\n";
  }
  out << "    $/month = ";
  const auto parts = CostPartsList(v.cost);
  for (size_t i = 0; i < parts.size(); ++i) out << (i ? " + " : "") << parts[i].first << " " << CountText(parts[i].second);
  out << " = " << CountText(v.usd_per_month) << " (" << CountText(v.usd_per_pb_month) << " per PB-month)\n";
  return out.str();
}

std::string Row(const std::vector<std::pair<std::string, size_t>>& cells) {
  std::string line = "  ";
  for (size_t i = 0; i < cells.size(); ++i) line += PadText(cells[i].first, cells[i].second, i > 0) + " ";
  while (!line.empty() && line.back() == ' ') line.pop_back();
  return line + "\n";
}

}  // namespace

std::string FormatScoreTable(const std::vector<ScoredPair>& pairs, const Model& model, bool explain) {
  std::ostringstream out;
  const Target* current = nullptr;
  for (const auto& p : pairs) {
    const Verdict& v = p.verdict;
    if (p.target != current) {
      current = p.target;
      out << (out.tellp() > 0 ? "\n" : "") << "Target " << current->name << " — " << current->title << "\n";
      out << "  needs " << RequirementsText(*current) << "\n";
      out << Row({{"shape", 32}, {"protection", 10}, {"nodes", 9}, {"limited by", 10}, {"racks", 6}, {"by", 5},
                  {"kW", 8}, {"$/PB-month", 10}, {"read TB/s", 9}, {"verdict", 7}});
    }
    out << Row({{v.shape, 32}, {v.protection, 10}, {CountText(v.nodes), 9}, {NeedName(v.limiting), 10}, {CountText(v.racks), 6},
                {v.rack_bound, 5}, {AutoText(v.kw), 8}, {CountText(v.usd_per_pb_month), 10},
                {AutoText(v.read_bytes_per_s ? std::optional(*v.read_bytes_per_s / kTB) : std::nullopt), 9}, {StatusName(v.status), 7}});
    for (const auto& c : v.checks) {
      if (c.status == Status::kFail) out << "      fails " << c.name << " (" << Margin(c) << ")\n";
    }
    if (const std::string take = WhatItWouldTakeText(v); !take.empty()) {
      out << "      would pass with " << take << "\n";
    } else if (!v.levers.empty()) {
      out << "      no change of the figures named passes when re-scored\n";
    }
    if (const std::string even = BreakEvenText(v); !even.empty()) out << "      break-even: " << even << "\n";
    if (v.status == Status::kUnknown || explain) {
      std::vector<std::string> open;
      for (const auto& c : v.checks) {
        if (c.status == Status::kUnknown) open.push_back(c.name);
      }
      if (!open.empty() || !v.unknowns.empty()) {
        out << "      not judged:";
        for (const auto& o : open) out << " " << o;
        if (!v.unknowns.empty()) {
          out << (open.empty() ? "" : ";") << " unknown";
          for (const auto& u : v.unknowns) out << " " << u;
        }
        out << "\n";
      }
    }
    if (explain) out << Explain(p, model);
  }
  return out.str();
}

std::string FormatCompareTable(const std::vector<ScoredPair>& pairs, const Model& model) {
  if (pairs.empty()) return "";
  std::string break_even;
  for (const auto& note : BreakEvenNotes(pairs)) break_even += "  " + note + "\n";
  return "Target " + pairs[0].target->name + " — " + pairs[0].target->title + "\n  model: " + report::ModelText(model) + "\n" +
         report::RenderText(report::ComparisonTable(pairs)) +
         "  ? = a figure the catalog does not know (see the shape's profile); shapeq score --explain shows every derivation\n" + break_even;
}

std::string FormatScoreCsv(const std::vector<ScoredPair>& pairs) {
  // Each figure's column from the verdict figure table; a word that explains a figure follows it.
  struct WordColumn {
    std::string_view after, name;
    std::string (*of)(const Verdict&);
  };
  static const WordColumn kWords[] = {{"nodes", "limiting_factor", [](const Verdict& v) { return std::string(NeedName(v.limiting)); }},
                                      {"racks", "racks_bound_by", [](const Verdict& v) { return CsvText(v.rack_bound); }}};
  auto word_after = [](std::string_view figure) -> const WordColumn* {
    for (const auto& word : kWords) {
      if (word.after == figure) return &word;
    }
    return nullptr;
  };
  std::ostringstream out;
  out << "target,shape,protection,status";
  for (const auto& figure : VerdictFigures()) {
    if (!figure.in_csv) continue;
    out << "," << figure.name;
    if (const auto* word = word_after(figure.name)) out << "," << word->name;
  }
  out << ",what_it_would_take,unknown_figures,break_even_field,break_even_for_budget,break_even_to_match\n";
  for (const auto& p : pairs) {
    const Verdict& v = p.verdict;
    out << CsvText(v.target) << "," << CsvText(v.shape) << "," << CsvText(v.protection) << "," << StatusName(v.status);
    for (const auto& figure : VerdictFigures()) {
      if (!figure.in_csv) continue;
      out << "," << CsvNumber(figure.InUnit(v));
      if (const auto* word = word_after(figure.name)) out << "," << word->of(v);
    }
    out << "," << CsvText(WhatItWouldTakeText(v, true)) << ",";
    std::string unknowns;
    for (size_t i = 0; i < v.unknowns.size(); ++i) unknowns += (i ? " " : "") + v.unknowns[i];
    out << CsvText(unknowns);
    // A shape without a price: the prices that would pass the budget and match the cheapest.
    if (v.break_even) {
      out << "," << CsvText(v.break_even->field) << "," << CsvNumber(v.break_even->for_budget) << "," << CsvNumber(v.break_even->to_match);
    } else {
      out << ",,,";
    }
    out << "\n";
  }
  return out.str();
}

std::string FormatRatedVsMeasured(const Shape& measured, const Shape* rated) {
  const std::string mismatch = rated ? report::TwinMismatchText(measured, *rated) : "";
  return "Shape " + measured.name + " — " + measured.title + "\n" + report::RenderText(report::RatedVsMeasuredTable(measured, rated)) +
         (mismatch.empty() ? "" : "  warning: " + mismatch + "\n");
}

std::string FormatSweepTable(const std::string& field, const std::vector<SweepStep>& steps) {
  std::ostringstream out;
  if (steps.empty() || steps[0].pairs.empty()) return "";
  out << "Sweep of " << field << " for target " << steps[0].pairs[0].target->name << "\n";
  out << Row({{field, 12}, {"shape", 32}, {"nodes", 9}, {"limited by", 10}, {"racks", 6}, {"kW", 8}, {"$/month", 12},
              {"$/PB-month", 10}, {"verdict", 7}});
  for (const auto& step : steps) {
    for (const auto& p : step.pairs) {
      const Verdict& v = p.verdict;
      out << Row({{AutoText(step.value), 12}, {v.shape, 32}, {CountText(v.nodes), 9}, {NeedName(v.limiting), 10}, {CountText(v.racks), 6},
                  {AutoText(v.kw), 8}, {CountText(v.usd_per_month), 12}, {CountText(v.usd_per_pb_month), 10}, {StatusName(v.status), 7}});
    }
  }
  return out.str();
}

}  // namespace shapeq
