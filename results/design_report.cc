#include "results/design_report.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "results/number_text.h"
#include "results/verdict_text.h"

namespace shapeq {
namespace {

std::string DesignRow(size_t rank, const Design& d) {
  std::ostringstream out;
  std::string per_target;
  for (const auto& v : d.verdicts) per_target += (per_target.empty() ? "" : " / ") + CountText(v.usd_per_pb_month);
  // Per target: what limits the node count, and the tightest margin of its checks.
  std::string limited;
  for (const auto& v : d.verdicts) {
    std::optional<double> tightest;
    std::string check;
    for (const auto& c : v.checks) {
      if (c.margin && (!tightest || *c.margin < *tightest)) tightest = c.margin, check = c.name;
    }
    char margin[64] = "";
    if (tightest) std::snprintf(margin, sizeof margin, " (%s %+.0f%%)", check.c_str(), *tightest * 100);
    limited += (limited.empty() ? "" : " / ") + std::string(NeedName(v.limiting)) + margin;
  }
  char line[512];
  std::snprintf(line, sizeof line, "  %-3zu %-52s %7s %9s %5s %8s %6s  %-16s %6s %8s  %s\n", rank, d.name.c_str(),
                AutoText(*d.shape.drive_count.value * *d.shape.drive_capacity_bytes.value / 1e12).c_str(), AutoText(*d.shape.nic_gbps.value).c_str(),
                CountText(*d.shape.cores.value).c_str(), CountText(*d.shape.capex_usd.value).c_str(), CountText(*d.shape.watts.value).c_str(),
                per_target.c_str(), CountText(d.racks).c_str(), CountText(d.kw).c_str(), limited.c_str());
  return line;
}

// A lever's field today, beside the ask: "today 100, x3.2" for a shape figure, "today 15" for a
// model term.
std::string Today(const Shape& shape, const Model& model, const Lever& lever) {
  const auto now = LeverFieldNow(shape, model, lever.field);
  const bool shape_figure = std::any_of(ShapeFields().begin(), ShapeFields().end(), [&](const ShapeField& f) { return lever.field == f.name; });
  if (shape_figure) return now ? "today " + AutoText(*now) + ", x" + AutoText(lever.value / *now) : "today unknown";
  return now ? "today " + AutoText(*now) : "";
}

}  // namespace

std::string FormatDesignFront(const PartsCatalog& parts, const std::vector<Design>& designs, const std::vector<size_t>& front,
                              const std::string& names) {
  const size_t passing = std::count_if(designs.begin(), designs.end(), [](const Design& d) { return d.passes; });
  std::ostringstream text;
  text << "Designs for " << names << ": " << designs.size() << " composed from " << parts.dir << " (" << parts.chassis.size() << " chassis, "
       << parts.drives.size() << " drives, " << parts.nics.size() << " NICs, " << parts.cpus.size() << " CPUs), " << passing
       << " pass every target, " << front.size() << " on the Pareto front of $/month, racks and kW (summed over the targets):\n";
  char header[512];
  std::snprintf(header, sizeof header, "  %-3s %-52s %7s %9s %5s %8s %6s  %-16s %6s %8s  %s\n", "#", "design", "TB/node", "NIC Gbit", "cores",
                "$/node", "W", "$/PB-month", "racks", "kW", "limited by (tightest margin)");
  text << header;
  for (size_t i = 0; i < front.size(); ++i) text << DesignRow(i + 1, designs[front[i]]);
  if (front.empty()) text << "  none passes every target: shapeq design --family SHAPE says what a shape would need\n";
  return text.str();
}

nlohmann::json DesignJson(const Design& d) {
  return {{"name", d.name},
          {"parts", {{"chassis", d.chassis->name}, {"drive", d.drive->name}, {"drive_count", d.drive_count}, {"nic", d.nic->name}, {"cpu", d.cpu->name}}},
          {"shape", ShapeProfileJson(d.shape)}, {"verdicts", d.verdicts}, {"usd_per_month", d.usd_per_month}, {"racks", d.racks}, {"kw", d.kw},
          {"passes", d.passes}};
}

std::string FormatFamilyAsks(const Shape& family, const Model& model, const std::vector<FamilyVerdict>& verdicts) {
  std::ostringstream text;
  text << "What " << family.name << " (" << family.title << ") would need\n";
  for (const auto& [v, asks] : verdicts) {
    text << "  for " << v.target << ": " << ShownStatus(v);
    if (v.status == Status::kPass) {
      text << " as it is (" << CountText(v.nodes) << " nodes, $" << CountText(v.usd_per_pb_month) << "/PB-month)\n";
    } else {
      text << " (" << CountText(v.nodes) << " nodes, limited by " << NeedName(v.limiting) << ")\n";
      for (const auto& ask : asks) {
        text << (ask.together ? "    or all together: " : ask.as_more_drives ? "    or " : "    ");
        for (size_t i = 0; i < ask.levers.size(); ++i) {
          const Lever& l = ask.levers[i];
          text << (i ? "; " : "") << l.field << " " << l.comparison << " " << AutoText(l.value) << " (" << Today(family, model, l) << ")";
        }
        if (!ask.together) text << " alone";
        if (ask.as_more_drives) text << " (the same drives, more of them)";
        text << "\n";
      }
      for (const auto& l : v.infeasible) {
        text << "    cannot be built: " << l.field << " " << l.comparison << " " << AutoText(l.value) << " (" << l.bound << ")\n";
      }
      if (v.status == Status::kUnknown) {
        std::string open;
        for (const auto& u : v.unknowns) open += " " + u;
        text << "    not judged: unknown" << open << "\n";
      } else if (WhatItWouldTakeText(v).empty()) {
        text << "    no change of the figures named passes when re-scored\n";
      }
    }
    if (const std::string even = BreakEvenText(v); !even.empty()) text << "    price: " << even << "\n";
  }
  return text.str();
}

}  // namespace shapeq
