// verdicts.json's verdict object, both ways.
#include "scoring/verdict.h"

#include <string_view>

#include "common/error.h"
#include "common/json_optional.h"
#include "scoring/verdict_figures.h"

namespace shapeq {

namespace {

nlohmann::json EffectsJson(const std::vector<InputEffect>& effects) {
  nlohmann::json all = nlohmann::json::array();
  for (const auto& e : effects) {
    all.push_back({{"input", e.input}, {"value", e.value}, {"low", e.low}, {"high", e.high}, {"why", e.why},
                   {"status_at_low", StatusName(e.at_low)}, {"status_at_high", StatusName(e.at_high)},
                   {"usd_per_pb_month_at_low", e.usd_per_pb_month_low}, {"usd_per_pb_month_at_high", e.usd_per_pb_month_high},
                   {"racks_at_low", e.racks_low}, {"racks_at_high", e.racks_high}, {"kw_at_low", e.kw_low}, {"kw_at_high", e.kw_high},
                   {"nodes_at_low", e.nodes_low}, {"nodes_at_high", e.nodes_high},
                   {"flips_below", e.flips_below}, {"flips_above", e.flips_above}, {"swing", e.swing}});
  }
  return all;
}

}  // namespace


namespace {

// The cost parts by name, in the order they are printed; the JSON and the report share it.
const std::vector<std::pair<const char*, std::optional<double> CostParts::*>>& CostPartFields() {
  static const std::vector<std::pair<const char*, std::optional<double> CostParts::*>> fields = {
      {"rent", &CostParts::rent},   {"node_capex", &CostParts::node_capex}, {"drive_capex", &CostParts::drive_capex},
      {"power", &CostParts::power}, {"space", &CostParts::space},           {"ports", &CostParts::ports},
      {"frontend", &CostParts::frontend}, {"software", &CostParts::software}, {"total", &CostParts::total}};
  return fields;
}

nlohmann::json CostJson(const CostParts& c) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [name, member] : CostPartFields()) j[name] = c.*member;
  return j;
}

nlohmann::json AvailabilityJson(const Availability& a) {
  return {{"domain", a.domain}, {"domains", a.domains}, {"strips_per_node", a.strips_per_node}, {"strips_per_domain", a.strips_per_domain},
          {"parity", a.parity}, {"tolerates", a.tolerates}, {"survives_node", a.survives_node}, {"survives_domain", a.survives_domain},
          {"drive_rebuild_s", a.drive_rebuild_s}, {"node_rebuild_s", a.node_rebuild_s}};
}

}  // namespace

std::vector<std::pair<std::string, double>> CostPartsList(const CostParts& c) {
  std::vector<std::pair<std::string, double>> out;
  for (const auto& [name, member] : CostPartFields()) {
    if (std::string_view(name) != "total" && c.*member) out.emplace_back(name, *(c.*member));
  }
  return out;
}

void to_json(nlohmann::json& j, const Verdict& v) {
  auto rate = [](const NodeRate& r) { return nlohmann::json{{"value", r.value}, {"bound_by", BoundName(r.bound)}}; };
  nlohmann::json needs = nlohmann::json::object();
  for (size_t i = 0; i < kNeedCount; ++i) needs[NeedName(static_cast<Need>(i))] = v.nodes_for[i];
  nlohmann::json checks = nlohmann::json::array();
  for (const auto& c : v.checks) {
    checks.push_back({{"name", c.name}, {"kind", c.is_limit ? "at most" : "at least"}, {"required", c.required},
                      {"delivered", c.delivered}, {"margin", c.margin}, {"status", StatusName(c.status)}});
  }
  auto lever_json = [](const std::vector<Lever>& ls) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& l : ls) {
      out.push_back({{"field", l.field}, {"comparison", l.comparison}, {"value", l.value}, {"answers", l.why}, {"alone", l.alone}});
      if (!l.bound.empty()) out.back()["infeasible"] = l.bound;
    }
    return out;
  };
  const nlohmann::json levers = lever_json(v.levers);
  j = {{"shape", v.shape},
       {"target", v.target},
       {"protection", v.protection},
       {"per_node",
        {{"raw_bytes", v.per_node.raw_bytes},
         {"efficiency", v.per_node.efficiency},
         {"write_amplification", v.per_node.write_amplification},
         {"usable_bytes", v.per_node.usable_bytes},
         {"nic_payload_bytes_per_s", v.per_node.nic_payload_bytes_per_s},
         {"read_bytes_per_s", rate(v.per_node.read_bytes_per_s)},
         {"write_bytes_per_s", rate(v.per_node.write_bytes_per_s)},
         {"read_iops", rate(v.per_node.read_iops)},
         {"mixed_iops", rate(v.per_node.mixed_iops)},
         {"data_reduction_ratio", v.per_node.data_reduction_ratio},
         {"usd_per_month", v.per_node.usd_per_month}}},
       {"nodes_for", needs},
       {"limiting_factor", NeedName(v.limiting)},
       {"nodes_per_rack", v.nodes_per_rack},
       {"racks_bound_by", v.rack_bound},
       {"cost_usd_per_month", CostJson(v.cost)},
       {"availability", AvailabilityJson(v.availability)},
       {"checks", checks},
       {"what_it_would_take", levers},
       {"what_it_would_take_together", lever_json(v.levers_together)},
       {"infeasible_asks", lever_json(v.infeasible)},
       {"break_even", v.break_even ? nlohmann::json{{"field", v.break_even->field}, {"for_budget", v.break_even->for_budget},
                                                    {"to_match", v.break_even->to_match}, {"cheapest_shape", v.break_even->cheapest_shape},
                                                    {"cheapest_usd_per_pb_month", v.break_even->cheapest_usd_per_pb_month}}
                                   : nlohmann::json()},
       {"unknown_figures", v.unknowns},
       {"status", StatusName(v.status)},
       {"shown_status", ShownStatus(v)},
       {"flips_within_ranges", v.flips_within_ranges},
       {"what_decides_it", EffectsJson(v.deciding)},
       {"pass_probability", v.pass_probability}};
  for (const auto& figure : VerdictFigures()) {
    if (figure.json_key) j[figure.json_key] = figure.held(v);
  }
}

namespace {

// The enum value whose name is `name`; BadInput when none is (a newer writer, or an edit).
template <typename Enum>
Enum FromName(const char* (*name_of)(Enum), size_t count, const std::string& name, const char* field) {
  for (size_t i = 0; i < count; ++i) {
    if (name == name_of(static_cast<Enum>(i))) return static_cast<Enum>(i);
  }
  throw BadInput(field, "unknown value \"" + name + "\"");
}

std::optional<double> OptionalNumber(const nlohmann::json& j, const char* key) {
  return j.contains(key) && j[key].is_number() ? std::optional(j[key].get<double>()) : std::nullopt;
}

InputEffect EffectFromJson(const nlohmann::json& j) {
  InputEffect e;
  if (!j.is_object()) return e;
  e.input = j.value("input", "");
  e.why = j.value("why", "");
  e.value = OptionalNumber(j, "value").value_or(0);
  e.low = OptionalNumber(j, "low").value_or(0);
  e.high = OptionalNumber(j, "high").value_or(0);
  e.at_low = FromName(StatusName, 3, j.value("status_at_low", "unknown"), "what_decides_it.status_at_low");
  e.at_high = FromName(StatusName, 3, j.value("status_at_high", "unknown"), "what_decides_it.status_at_high");
  e.usd_per_pb_month_low = OptionalNumber(j, "usd_per_pb_month_at_low");
  e.usd_per_pb_month_high = OptionalNumber(j, "usd_per_pb_month_at_high");
  e.racks_low = OptionalNumber(j, "racks_at_low");
  e.racks_high = OptionalNumber(j, "racks_at_high");
  e.kw_low = OptionalNumber(j, "kw_at_low");
  e.kw_high = OptionalNumber(j, "kw_at_high");
  e.nodes_low = OptionalNumber(j, "nodes_at_low").value_or(0);
  e.nodes_high = OptionalNumber(j, "nodes_at_high").value_or(0);
  e.flips_below = OptionalNumber(j, "flips_below");
  e.flips_above = OptionalNumber(j, "flips_above");
  e.swing = OptionalNumber(j, "swing").value_or(0);
  return e;
}

}  // namespace

void from_json(const nlohmann::json& j, Verdict& v) {
  auto rate = [](const nlohmann::json& r) {
    return NodeRate{OptionalNumber(r, "value"), FromName(BoundName, 4, r.value("bound_by", "unknown"), "bound_by")};
  };
  v.shape = j.at("shape").get<std::string>();
  v.target = j.at("target").get<std::string>();
  v.protection = j.value("protection", "");
  const auto& n = j.at("per_node");
  PerNode& pn = v.per_node;
  pn.raw_bytes = n.value("raw_bytes", 0.0);
  pn.efficiency = n.value("efficiency", 1.0);
  pn.write_amplification = n.value("write_amplification", 1.0);
  pn.data_reduction_ratio = n.value("data_reduction_ratio", 1.0);
  pn.usable_bytes = n.value("usable_bytes", 0.0);
  pn.nic_payload_bytes_per_s = OptionalNumber(n, "nic_payload_bytes_per_s");
  pn.read_bytes_per_s = rate(n.value("read_bytes_per_s", nlohmann::json::object()));
  pn.write_bytes_per_s = rate(n.value("write_bytes_per_s", nlohmann::json::object()));
  pn.read_iops = rate(n.value("read_iops", nlohmann::json::object()));
  pn.mixed_iops = n.contains("mixed_iops") ? rate(n["mixed_iops"]) : pn.read_iops;
  pn.usd_per_month = OptionalNumber(n, "usd_per_month");
  const auto needs = j.value("nodes_for", nlohmann::json::object());
  for (size_t i = 0; i < kNeedCount; ++i) v.nodes_for[i] = OptionalNumber(needs, NeedName(static_cast<Need>(i)));
  v.nodes = j.value("nodes", 0.0);
  v.limiting = FromName(NeedName, kNeedCount, j.value("limiting_factor", "capacity"), "limiting_factor");
  v.nodes_per_rack = OptionalNumber(j, "nodes_per_rack");
  v.rack_bound = j.value("racks_bound_by", "space");
  v.racks = OptionalNumber(j, "racks");
  v.kw = OptionalNumber(j, "kw");
  v.usd_per_month = OptionalNumber(j, "usd_per_month");
  v.usd_per_pb_month = OptionalNumber(j, "usd_per_pb_month");
  v.usable_bytes = j.value("usable_bytes", 0.0);
  v.read_bytes_per_s = OptionalNumber(j, "read_bytes_per_s");
  v.write_bytes_per_s = OptionalNumber(j, "write_bytes_per_s");
  v.read_tbps_per_pb = OptionalNumber(j, "read_tbps_per_pb");
  v.iops_per_pb = OptionalNumber(j, "iops_per_pb");
  v.pb_per_gpu = OptionalNumber(j, "pb_per_gpu");
  v.checks.clear();
  for (const auto& c : j.value("checks", nlohmann::json::array())) {
    v.checks.push_back({c.value("name", "?"), c.value("kind", "") == "at most", OptionalNumber(c, "required"), OptionalNumber(c, "delivered"),
                        OptionalNumber(c, "margin"), FromName(StatusName, 3, c.value("status", "unknown"), "checks.status")});
  }
  auto read_levers = [&j](const char* key) {
    std::vector<Lever> out;
    for (const auto& l : j.value(key, nlohmann::json::array())) {
      out.push_back({l.value("field", "?"), l.value("comparison", "?"), l.value("value", 0.0), l.value("answers", ""), l.value("alone", false),
                     l.contains("infeasible") && l["infeasible"].is_string() ? l["infeasible"].get<std::string>() : ""});
    }
    return out;
  };
  v.levers = read_levers("what_it_would_take");
  v.levers_together = read_levers("what_it_would_take_together");
  v.infeasible = read_levers("infeasible_asks");
  v.break_even.reset();
  if (const auto b = j.find("break_even"); b != j.end() && b->is_object()) {
    v.break_even = BreakEven{b->value("field", ""), OptionalNumber(*b, "for_budget"), OptionalNumber(*b, "to_match"),
                             b->value("cheapest_shape", ""), OptionalNumber(*b, "cheapest_usd_per_pb_month")};
  }
  v.cost = {};
  if (const auto c = j.find("cost_usd_per_month"); c != j.end() && c->is_object()) {
    for (const auto& [name, member] : CostPartFields()) v.cost.*member = OptionalNumber(*c, name);
  }
  v.availability = {};
  if (const auto a = j.find("availability"); a != j.end() && a->is_object()) {
    Availability& av = v.availability;
    av.domain = a->value("domain", "rack");
    av.domains = OptionalNumber(*a, "domains");
    av.strips_per_node = a->value("strips_per_node", 1.0);
    av.strips_per_domain = OptionalNumber(*a, "strips_per_domain");
    av.parity = a->value("parity", 0u);
    av.tolerates = a->value("tolerates", av.parity);
    av.survives_node = a->value("survives_node", false);
    if (a->contains("survives_domain") && (*a)["survives_domain"].is_boolean()) av.survives_domain = (*a)["survives_domain"].get<bool>();
    av.drive_rebuild_s = OptionalNumber(*a, "drive_rebuild_s");
    av.node_rebuild_s = OptionalNumber(*a, "node_rebuild_s");
  }
  v.unknowns = j.value("unknown_figures", std::vector<std::string>{});
  v.status = FromName(StatusName, 3, j.value("status", "unknown"), "status");
  v.flips_within_ranges = j.contains("flips_within_ranges") && j["flips_within_ranges"].is_boolean() && j["flips_within_ranges"].get<bool>();
  v.deciding.clear();
  if (const auto d = j.find("what_decides_it"); d != j.end() && d->is_array()) {
    for (const auto& e : *d) v.deciding.push_back(EffectFromJson(e));
  }
  v.pass_probability = OptionalNumber(j, "pass_probability");
}

}  // namespace shapeq
