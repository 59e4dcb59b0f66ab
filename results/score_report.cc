#include "results/score_report.h"

#include <functional>

#include "results/answer_first.h"
#include "results/range_tables.h"

#include <cmath>
#include <cstdio>
#include <sstream>

#include "common/json_optional.h"
#include "results/number_text.h"
#include "results/verdict_tables.h"

namespace shapeq {

std::string FormatClaimsText(const std::vector<ClaimResult>& claims) {
  std::ostringstream out;
  for (const auto& c : claims) {
    const char* verdict = c.holds == Status::kPass ? "holds" : c.holds == Status::kFail ? "does not hold" : "cannot be judged (a figure is unknown)";
    out << "Claim " << c.name << " — " << c.title << "\n"
        << "  said: \"" << c.said << "\" — " << c.source << "\n"
        << "  " << c.metric << " = " << AutoText(c.value) << ", claimed " << c.claimed << ": " << verdict << " at the defaults\n";
    for (const auto& s : c.solved) out << "    " << s.text << "\n";
    if (c.holds != Status::kUnknown) {
      out << (c.turns_on.empty() ? "  turns on no ranged input (each moved alone across its range)\n" : "  turns on (each ranged input moved alone across its range):\n");
      for (const auto& t : c.turns_on) out << "    " << t << "\n";
    }
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
      << " per " << a.domain << " (" << CountText(a.domains) << " " << a.domain << "s), parity " << a.parity
      << (a.tolerates != a.parity ? " (recovers any " + std::to_string(a.tolerates) + ")" : std::string()) << ": survives a "
      << SurvivesText(v) << " loss; rebuild of a drive " << AutoText(report::InUnitsOf(a.drive_rebuild_s, kSecondsPerHour)) << " h, of a node "
      << AutoText(report::InUnitsOf(a.node_rebuild_s, kSecondsPerHour)) << " h at " << AutoText(m.rebuild_share) << " of the cluster's reads\n";
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

}  // namespace

std::string FormatScoreTable(const std::vector<ScoredPair>& pairs, const Model& model, bool explain) {
  std::string out;
  for (size_t begin = 0, end = 0; begin < pairs.size(); begin = end) {
    const Target& target = *pairs[begin].target;
    while (end < pairs.size() && pairs[end].target == &target) ++end;
    const std::vector<ScoredPair> group(pairs.begin() + static_cast<std::ptrdiff_t>(begin), pairs.begin() + static_cast<std::ptrdiff_t>(end));
    report::Table table = report::ScoreTable(group, explain);
    if (explain) {
      for (size_t i = 0; i < group.size(); ++i) {
        std::istringstream lines(Explain(group[i], model));
        for (std::string line; std::getline(lines, line);) table.notes[i].push_back(line.substr(line.find_first_not_of(' ')));
      }
    }
    out += (out.empty() ? "" : "\n") + std::string("Target ") + target.name + " — " + target.title + "\n  needs " + RequirementsText(target) + "\n" +
           report::RenderText(table);
  }
  return out;
}

namespace {

// Runs `table_of` on each target's pairs and renders them under the target's heading.
std::string PerTarget(const std::vector<ScoredPair>& pairs, const std::function<report::Table(const std::vector<ScoredPair>&)>& table_of) {
  std::string out;
  for (size_t begin = 0, end = 0; begin < pairs.size(); begin = end) {
    const Target& target = *pairs[begin].target;
    while (end < pairs.size() && pairs[end].target == &target) ++end;
    const std::vector<ScoredPair> group(pairs.begin() + static_cast<std::ptrdiff_t>(begin), pairs.begin() + static_cast<std::ptrdiff_t>(end));
    out += (out.empty() ? "" : "\n") + std::string("Target ") + target.name + " — " + target.title + "\n  needs " + RequirementsText(target) + "\n" +
           report::RenderText(table_of(group));
  }
  return out;
}

}  // namespace

std::string FormatSensitivity(const std::vector<ScoredPair>& pairs, size_t per_shape) {
  return PerTarget(pairs, [per_shape](const std::vector<ScoredPair>& group) { return report::SensitivityTable(group, per_shape); }) +
         "  uncertain = the verdict turns with one input moved within its range; turns at = the value where it does\n";
}

std::string FormatUncertainty(const std::vector<ScoredPair>& pairs, const UncertaintyRun& run) {
  return PerTarget(pairs, [&run](const std::vector<ScoredPair>& group) { return report::UncertaintyTable(group, run); }) +
         "  each draw takes every ranged input from a triangular distribution (low, value, high); the model's terms are shared by all shapes\n";
}

std::string FormatAnswerFirst(const std::vector<ScoredPair>& pairs, const std::vector<std::string>& claimed) {
  if (pairs.empty()) return "";
  return "The answer first\n" + report::RenderText(report::AnswerFirstTable(pairs, report::SeedShapes(pairs, claimed))) +
         "  P(pass) = the share of " + CountText(static_cast<double>(kDefaultDraws)) +
         " draws of every ranged input that pass (score --uncertainty N for the spread); uncertain = it turns within its ranges\n";
}

std::string FormatCompareTable(const std::vector<ScoredPair>& pairs, const Model& model) {
  if (pairs.empty()) return "";
  std::string break_even;
  for (const auto& note : BreakEvenNotes(pairs)) break_even += "  " + note + "\n";
  return "Target " + pairs[0].target->name + " — " + pairs[0].target->title + "\n  model: " + report::ModelText(model) + "\n" +
         report::RenderText(report::ComparisonTable(pairs)) +
         "  ? = a figure the catalog does not know (see the shape's profile); shapeq score --explain shows every derivation\n" + break_even;
}

std::string FormatScoreCsv(const std::vector<ScoredPair>& pairs) { return report::RenderCsv(report::ScoreCsvTable(pairs)); }

std::string FormatRatedVsMeasured(const Shape& measured, const Shape* rated) {
  const std::string mismatch = rated ? report::TwinMismatchText(measured, *rated) : "";
  return "Shape " + measured.name + " — " + measured.title + "\n" + report::RenderText(report::RatedVsMeasuredTable(measured, rated)) +
         (mismatch.empty() ? "" : "  warning: " + mismatch + "\n");
}

std::string FormatSweepTable(const std::string& field, const std::vector<SweepStep>& steps) {
  const report::Table table = report::SweepTable(field, steps);
  return table.rows.empty() ? "" : table.caption + "\n" + report::RenderText(table);
}

std::string FormatSweepCsv(const std::string& field, const std::vector<SweepStep>& steps) {
  std::string csv;
  for (const auto& step : steps) {
    const std::string block = report::RenderCsv(report::ScoreCsvTable(step.pairs, field, step.value));
    csv += csv.empty() ? block : block.substr(block.find('\n') + 1);  // one header
  }
  return csv;
}

}  // namespace shapeq
