#include "results/range_tables.h"

#include <algorithm>
#include <cmath>

#include "results/verdict_tables.h"

namespace shapeq::report {
namespace {

// "a to b" of two optional figures; "?" for an unknown end.
std::string Between(const std::optional<double>& low, const std::optional<double>& high) {
  return AutoText(low) + " to " + AutoText(high);
}

std::string TurnsText(const InputEffect& e) {
  std::string text;
  if (e.flips_below) text = "<= " + AutoText(*e.flips_below);
  if (e.flips_above) text += (text.empty() ? "" : ", ") + std::string(">= ") + AutoText(*e.flips_above);
  return text;
}

std::string PercentilesText(const std::optional<Percentiles>& p) {
  if (!p) return "?";
  return AutoText(p->p10) + " / " + AutoText(p->p50) + " / " + AutoText(p->p90);
}

}  // namespace

Table SensitivityTable(const std::vector<ScoredPair>& pairs, size_t per_shape, bool with_target) {
  Table t{pairs.empty() ? "" : "Each ranged input moved alone across its range, the rest at their values",
          {"shape", "verdict", "input", "value", "range", "$/PB-month", "racks", "kW", "verdict at low / high", "turns at"},
          {}};
  if (with_target) t.header.insert(t.header.begin(), "target");
  auto add = [&t, with_target](const Verdict& v, std::vector<Cell> row) {
    if (with_target) row.insert(row.begin(), Text(v.target));
    t.rows.push_back(std::move(row));
    t.notes.push_back({});
  };
  for (const auto& p : pairs) {
    const Verdict& v = p.verdict;
    size_t shown = 0;
    for (const auto& e : v.deciding) {
      if (shown++ == per_shape) break;
      add(v, {Text(v.shape), Text(ShownStatus(v), StatusClass(v)), Text(e.input), Number(e.value),
                        Text(AutoText(e.low) + " to " + AutoText(e.high)), Text(Between(e.usd_per_pb_month_low, e.usd_per_pb_month_high)),
                        Text(Between(e.racks_low, e.racks_high)), Text(Between(e.kw_low, e.kw_high)),
                        Text(std::string(StatusName(e.at_low)) + " / " + StatusName(e.at_high), e.flips() ? "uncertain" : ""),
                        Text(TurnsText(e))});
    }
    if (v.deciding.empty()) {
      add(v, {Text(v.shape), Text(ShownStatus(v), StatusClass(v)), Text("(no ranged input moves it)"), Text(""), Text(""), Text(""),
              Text(""), Text(""), Text(""), Text("")});
    }
  }
  return t;
}

Chart TornadoChart(const Verdict& v, size_t most) {
  Chart chart;
  chart.title = "What decides " + v.shape + " for " + v.target;
  chart.unit = "$/PB-month from the low to the high end of each input";
  chart.reference = v.usd_per_pb_month;
  chart.reference_label = "at the values";
  std::vector<const InputEffect*> effects;
  for (const auto& e : v.deciding) {
    if (e.usd_per_pb_month_low && e.usd_per_pb_month_high) effects.push_back(&e);
  }
  // Widest $ swing first: the tornado's shape.
  std::stable_sort(effects.begin(), effects.end(), [](const InputEffect* a, const InputEffect* b) {
    return std::abs(*a->usd_per_pb_month_high - *a->usd_per_pb_month_low) > std::abs(*b->usd_per_pb_month_high - *b->usd_per_pb_month_low);
  });
  if (effects.size() > most) effects.resize(most);
  for (const InputEffect* e : effects) {
    Bar bar;
    bar.label = e->input + " " + AutoText(e->low) + "-" + AutoText(e->high) + (e->flips() ? " (turns it)" : "");
    bar.low = e->usd_per_pb_month_low;
    bar.high = e->usd_per_pb_month_high;
    bar.css = e->flips() ? "uncertain" : "neutral";
    chart.bars.push_back(bar);
  }
  return chart;
}

Table UncertaintyTable(const std::vector<ScoredPair>& pairs, const UncertaintyRun& run) {
  Table t{pairs.empty() ? "" : "Every ranged input sampled together: " + CountText(static_cast<double>(run.samples)) + " draws, seed " +
                                   std::to_string(run.seed),
          {"shape", "verdict", "P(pass)", "$/PB-month P10 / P50 / P90", "nodes P10 / P50 / P90", "racks P10 / P50 / P90",
           "kW P10 / P50 / P90"},
          {}};
  for (const auto& p : pairs) {
    const auto it = std::find_if(run.spreads.begin(), run.spreads.end(), [&](const VerdictSpread& s) {
      return s.shape == p.shape->name && s.target == p.target->name;
    });
    if (it == run.spreads.end()) continue;
    const Verdict& v = p.verdict;
    t.rows.push_back({Text(v.shape), Text(ShownStatus(v), StatusClass(v)),
                      it->unknown == it->samples ? Text("?") : Text(ProbabilityText(it->pass_probability())),
                      Text(PercentilesText(it->usd_per_pb_month)), Text(PercentilesText(it->nodes)), Text(PercentilesText(it->racks)),
                      Text(PercentilesText(it->kw))});
    t.notes.push_back({});
  }
  return t;
}

}  // namespace shapeq::report
