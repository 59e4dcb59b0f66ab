#include "results/verdict_tables.h"

#include <cmath>
#include <string_view>

#include "results/csv_text.h"
#include "results/verdict_text.h"
#include "scoring/verdict_figures.h"

namespace shapeq::report {
namespace {

// The figure's basis as the reader should take it: a figure a measured shape borrowed from the
// catalog (its source says so) is the catalog's, not this node's.
std::string BasisText(const Figure& f) { return f.source.rfind("catalog:", 0) == 0 ? "catalog" : BasisName(f.basis); }

// A figure for a spreadsheet: its value, and nothing (not "?") when it is unknown.
Cell CsvValue(std::optional<double> value) { return {"", value, ""}; }

}  // namespace

// $/PB-month, or where the shape has no price, the break-even price (the budget's, else the
// cheapest passing shape's); BreakEvenNotes spell each out under the table.
Cell CostCell(const Verdict& v) {
  if (v.usd_per_pb_month || !v.break_even) return Count(v.usd_per_pb_month);
  const auto price = v.break_even->for_budget ? v.break_even->for_budget : v.break_even->to_match;
  if (!price) return Count(v.usd_per_pb_month);
  const bool hourly = v.break_even->field == "price_per_hour_usd";
  return Text("? (break-even $" + AtMostPriceText(*price) + (hourly ? "/h" : "") + ")", "unknown");
}

std::string FailsText(const Verdict& v) {
  std::string text;
  for (const auto& check : v.checks) {
    if (check.status != Status::kFail) continue;
    text += (text.empty() ? "" : ", ") + check.name + (check.margin ? " " + CountText(*check.margin * 100) + "%" : "");
  }
  return text;
}

std::string StatusClass(const Verdict& v) { return ShownStatus(v); }

Table RatedVsMeasuredTable(const Shape& measured, const Shape* rated) {
  Table t{"Per node", {"figure", "measured", "basis", rated ? rated->name : "rated", "basis", "measured / rated"}, {}};
  for (const auto& spec : ShapeFields()) {
    const Figure& m = measured.*spec.member;
    const Figure* r = rated ? &(rated->*spec.member) : nullptr;
    auto value = [&spec](const Figure* f) { return f && f->known() ? std::optional(*f->value / spec.to_si) : std::nullopt; };
    const bool own = m.basis == Basis::kMeasured || m.basis == Basis::kDerived;
    const std::optional<double> ratio = own && BasisText(m) != "catalog" && value(&m) && value(r) && *value(r) > 0
                                            ? std::optional(*value(&m) / *value(r)) : std::nullopt;
    t.rows.push_back({Text(spec.name), Number(value(&m)), Text(BasisText(m)), Number(value(r)), Text(r ? BasisText(*r) : ""),
                      ratio ? Number(ratio) : Text("")});
  }
  return t;
}

std::string TwinMismatchText(const Shape& measured, const Shape& rated) {
  auto differs = [](const Figure& a, const Figure& b) { return a.known() && b.known() && std::abs(*a.value / *b.value - 1) > 0.01; };
  if (!differs(measured.drive_count, rated.drive_count) && !differs(measured.drive_capacity_bytes, rated.drive_capacity_bytes)) return "";
  auto drives = [](const Shape& s) {
    const double count = s.drive_count.value.value_or(0);
    return CountText(count) + (count == 1 ? " drive" : " drives") + " of " + AutoText(InUnitsOf(s.drive_capacity_bytes.value, kTB)) + " TB";
  };
  const bool vowel = !rated.name.empty() && std::string("aeiou").find(rated.name[0]) != std::string::npos;
  return "This node is not " + std::string(vowel ? "an " : "a ") + rated.name + " as the catalog has it: " + drives(measured) + " against " + drives(rated) +
         ". Whole-node figures (GB/s, IOPS, capacity) compare unlike things; per-drive figures are the fair comparison.";
}

Table ComparisonTable(const std::vector<ScoredPair>& pairs) {
  Table t{pairs.empty() ? "" : "Per shape, sized for " + RequirementsText(*pairs.front().target),
          {"shape", "protection", "usable/node TB", "nodes", "racks", "racks bound by", "kW", "$/PB-month", "read TB/s",
           "TB/s per PB", "limited by", "survives", "node rebuild h", "verdict"},
          {}};
  for (const auto& p : pairs) {
    const Verdict& v = p.verdict;
    t.rows.push_back({Text(v.shape), Text(v.protection), Number(v.per_node.usable_bytes / kTB), Count(v.nodes), Count(v.racks),
                      Text(v.rack_bound), Count(v.kw), CostCell(v), Number(InUnitsOf(v.read_bytes_per_s, kTB)),
                      Number(v.read_tbps_per_pb), Text(NeedName(v.limiting)), Text(SurvivesText(v)),
                      Number(InUnitsOf(v.availability.node_rebuild_s, kSecondsPerHour)), Text(ShownStatus(v), StatusClass(v))});
  }
  return t;
}

Table CostTable(const std::vector<ScoredPair>& pairs) {
  Table t{"Cost by part, $ per PB-month", {"shape", "rent", "node", "drives", "power", "space", "ports", "front-end", "software", "total"}, {}};
  for (const auto& p : pairs) {
    const Verdict& v = p.verdict;
    const double pb = *p.target->usable_bytes / 1e15;
    const CostParts& c = v.cost;
    auto per_pb = [pb](std::optional<double> usd) { return Count(InUnitsOf(usd, pb)); };
    t.rows.push_back({Text(v.shape), per_pb(c.rent), per_pb(c.node_capex), per_pb(c.drive_capex), per_pb(c.power), per_pb(c.space),
                      per_pb(c.ports), per_pb(c.frontend), per_pb(c.software), per_pb(c.total)});
  }
  return t;
}

std::string ModelText(const Model& model) {
  return "fill " + AutoText(model.fill_fraction) + ", protocol efficiency " + AutoText(model.protocol_efficiency) + ", " +
         AutoText(model.rack_units) + "U racks at " + AutoText(model.kw_per_rack) + " kW and $" + CountText(model.usd_per_rack_month) +
         "/month, nodes over " + AutoText(model.amortization_years) + " years, drives over " + AutoText(model.drive_lifetime_years) +
         " years, $" + AutoText(model.usd_per_kwh) + "/kWh, $" + AutoText(model.usd_per_network_port_month) + "/port-month, rebuild at " +
         AutoText(model.rebuild_share) + " of the cluster's reads";
}

Table ScoreTable(const std::vector<ScoredPair>& pairs, bool explain) {
  Table t{pairs.empty() ? "" : "Per shape, sized for " + RequirementsText(*pairs.front().target),
          {"shape", "protection", "nodes", "limited by", "racks", "by", "kW", "$/PB-month", "read TB/s", "verdict"},
          {}};
  for (const auto& p : pairs) {
    const Verdict& v = p.verdict;
    t.rows.push_back({Text(v.shape), Text(v.protection), Count(v.nodes), Text(NeedName(v.limiting)), Count(v.racks), Text(v.rack_bound),
                      Number(v.kw), Count(v.usd_per_pb_month), Number(InUnitsOf(v.read_bytes_per_s, kTB)),
                      Text(ShownStatus(v), StatusClass(v))});
    std::vector<std::string> notes;
    for (const auto& c : v.checks) {
      if (c.status == Status::kFail) notes.push_back("fails " + c.name + " (" + (c.margin ? Printf("%+.0f%%", *c.margin * 100) : "?") + ")");
    }
    if (const std::string take = WhatItWouldTakeText(v); !take.empty()) {
      notes.push_back("would pass with " + take);
    } else if (!v.levers.empty()) {
      notes.push_back("no change of the figures named passes when re-scored");
    }
    for (const auto& l : v.infeasible) {
      notes.push_back("would need " + l.field + " " + l.comparison + " " + AutoText(l.value) + ", which cannot be built: " + l.bound);
    }
    if (const std::string even = BreakEvenText(v); !even.empty()) notes.push_back("break-even: " + even);
    if (const std::string flips = FlipsText(v); !flips.empty()) notes.push_back("uncertain: " + flips);
    if (v.status == Status::kUnknown || explain) {
      std::string open;
      for (const auto& c : v.checks) {
        if (c.status == Status::kUnknown) open += " " + c.name;
      }
      if (!v.unknowns.empty()) {
        open += (open.empty() ? "" : ";") + std::string(" unknown");
        for (const auto& u : v.unknowns) open += " " + u;
      }
      if (!open.empty()) notes.push_back("not judged:" + open);
    }
    t.notes.push_back(notes);
  }
  return t;
}

Table SweepTable(const std::string& field, const std::vector<SweepStep>& steps) {
  Table t{steps.empty() || steps[0].pairs.empty() ? "" : "Sweep of " + field + " for target " + steps[0].pairs[0].target->name,
          {field, "shape", "nodes", "limited by", "racks", "kW", "$/month", "$/PB-month", "verdict"},
          {}};
  for (const auto& step : steps) {
    for (const auto& p : step.pairs) {
      const Verdict& v = p.verdict;
      t.rows.push_back({Number(step.value), Text(v.shape), Count(v.nodes), Text(NeedName(v.limiting)), Count(v.racks), Number(v.kw),
                        Count(v.usd_per_month), Count(v.usd_per_pb_month), Text(ShownStatus(v), StatusClass(v))});
    }
  }
  return t;
}

Table ScoreCsvTable(const std::vector<ScoredPair>& pairs, const std::string& swept_field, std::optional<double> swept_value) {
  // Each figure's column from the verdict figure table; a word that explains a figure follows it.
  struct WordColumn {
    std::string_view after, name;
    std::string (*of)(const Verdict&);
  };
  static const WordColumn kWords[] = {{"nodes", "limiting_factor", [](const Verdict& v) { return std::string(NeedName(v.limiting)); }},
                                      {"racks", "racks_bound_by", [](const Verdict& v) { return v.rack_bound; }}};
  auto word_after = [](std::string_view figure) -> const WordColumn* {
    for (const auto& word : kWords) {
      if (word.after == figure) return &word;
    }
    return nullptr;
  };
  Table t{"Verdicts", {}, {}};
  if (!swept_field.empty()) t.header.push_back(swept_field);
  for (const char* column : {"target", "shape", "protection", "status"}) t.header.push_back(column);
  for (const auto& figure : VerdictFigures()) {
    if (!figure.in_csv) continue;
    t.header.push_back(std::string(figure.name));
    if (const auto* word = word_after(figure.name)) t.header.push_back(std::string(word->name));
  }
  for (const char* column : {"what_it_would_take", "unknown_figures", "break_even_field", "break_even_for_budget", "break_even_to_match"}) {
    t.header.push_back(column);
  }
  for (const auto& p : pairs) {
    const Verdict& v = p.verdict;
    std::vector<Cell> row;
    if (!swept_field.empty()) row.push_back(CsvValue(swept_value));
    for (const std::string& text : {v.target, v.shape, v.protection, std::string(ShownStatus(v))}) row.push_back(Text(text));
    for (const auto& figure : VerdictFigures()) {
      if (!figure.in_csv) continue;
      row.push_back(CsvValue(figure.InUnit(v)));
      if (const auto* word = word_after(figure.name)) row.push_back(Text(word->of(v)));
    }
    row.push_back(Text(WhatItWouldTakeText(v, true)));
    std::string unknowns;
    for (size_t i = 0; i < v.unknowns.size(); ++i) unknowns += (i ? " " : "") + v.unknowns[i];
    row.push_back(Text(unknowns));
    // A shape without a price: the prices that would pass the budget and match the cheapest.
    row.push_back(Text(v.break_even ? v.break_even->field : ""));
    row.push_back(CsvValue(v.break_even ? v.break_even->for_budget : std::nullopt));
    row.push_back(CsvValue(v.break_even ? v.break_even->to_match : std::nullopt));
    t.rows.push_back(row);
  }
  return t;
}

}  // namespace shapeq::report
