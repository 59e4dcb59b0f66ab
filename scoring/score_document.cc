#include "scoring/score_document.h"

#include <algorithm>
#include <cmath>

#include "common/error.h"
#include "common/json_optional.h"
#include "common/json_read.h"
#include "scoring/catalog.h"
#include "scoring/uncertainty.h"
#include "shapeq/version.h"

namespace shapeq {
namespace {

// Every part of the document the reader takes; numbers may be null where the scorer had none.
const nlohmann::json& DocumentShape() {
  static const nlohmann::json shape = nlohmann::json::parse(R"({"type": "object", "properties": {
    "schema": {"type": "string"},
    "verdicts": {"type": "array", "items": {"type": "object", "properties": {
      "target": {"type": "string"}, "shape": {"type": "string"}, "status": {"type": "string"}, "protection": {"type": "string"},
      "limiting_factor": {"type": "string"}, "racks_bound_by": {"type": "string"},
      "nodes": {"type": ["number", "null"]}, "racks": {"type": ["number", "null"]}, "kw": {"type": ["number", "null"]},
      "nodes_per_rack": {"type": ["number", "null"]}, "usable_bytes": {"type": ["number", "null"]},
      "usd_per_month": {"type": ["number", "null"]}, "usd_per_pb_month": {"type": ["number", "null"]},
      "read_bytes_per_s": {"type": ["number", "null"]}, "write_bytes_per_s": {"type": ["number", "null"]},
      "read_tbps_per_pb": {"type": ["number", "null"]}, "iops_per_pb": {"type": ["number", "null"]},
      "pb_per_gpu": {"type": ["number", "null"]},
      "nodes_for": {"type": "object", "values": {"type": ["number", "null"]}},
      "per_node": {"type": "object", "properties": {
        "raw_bytes": {"type": ["number", "null"]}, "efficiency": {"type": ["number", "null"]},
        "write_amplification": {"type": ["number", "null"]}, "usable_bytes": {"type": ["number", "null"]},
        "nic_payload_bytes_per_s": {"type": ["number", "null"]}, "usd_per_month": {"type": ["number", "null"]},
        "read_bytes_per_s": {"type": "object", "properties": {"value": {"type": ["number", "null"]}, "bound_by": {"type": "string"}}},
        "write_bytes_per_s": {"type": "object", "properties": {"value": {"type": ["number", "null"]}, "bound_by": {"type": "string"}}},
        "read_iops": {"type": "object", "properties": {"value": {"type": ["number", "null"]}, "bound_by": {"type": "string"}}}}},
      "checks": {"type": "array", "items": {"type": "object", "properties": {
        "name": {"type": "string"}, "kind": {"type": "string"}, "status": {"type": "string"}, "margin": {"type": ["number", "null"]},
        "required": {"type": ["number", "null"]}, "delivered": {"type": ["number", "null"]}}}},
      "what_it_would_take": {"type": "array", "items": {"type": "object", "properties": {
        "field": {"type": "string"}, "comparison": {"type": "string"}, "value": {"type": "number"}, "answers": {"type": "string"},
        "alone": {"type": "boolean"}}}},
      "break_even": {"type": ["object", "null"], "properties": {
        "field": {"type": "string"}, "for_budget": {"type": ["number", "null"]}, "to_match": {"type": ["number", "null"]},
        "cheapest_shape": {"type": "string"}, "cheapest_usd_per_pb_month": {"type": ["number", "null"]}}},
      "what_it_would_take_together": {"type": "array", "items": {"type": "object", "properties": {
        "field": {"type": "string"}, "comparison": {"type": "string"}, "value": {"type": "number"}, "answers": {"type": "string"}}}},
      "infeasible_asks": {"type": "array", "items": {"type": "object", "properties": {
        "field": {"type": "string"}, "comparison": {"type": "string"}, "value": {"type": "number"}, "answers": {"type": "string"},
        "infeasible": {"type": "string"}}}},
      "unknown_figures": {"type": "array", "items": {"type": "string"}},
      "shown_status": {"type": "string"}, "flips_within_ranges": {"type": "boolean"}, 
      "what_decides_it": {"type": "array", "items": {"type": "object", "properties": {
        "input": {"type": "string"}, "why": {"type": "string"}, "value": {"type": "number"}, "low": {"type": "number"}, "high": {"type": "number"},
        "status_at_low": {"type": "string"}, "status_at_high": {"type": "string"},
        "usd_per_pb_month_at_low": {"type": ["number", "null"]}, "usd_per_pb_month_at_high": {"type": ["number", "null"]},
        "racks_at_low": {"type": ["number", "null"]}, "racks_at_high": {"type": ["number", "null"]},
        "kw_at_low": {"type": ["number", "null"]}, "kw_at_high": {"type": ["number", "null"]},
        "nodes_at_low": {"type": "number"}, "nodes_at_high": {"type": "number"},
        "flips_below": {"type": ["number", "null"]}, "flips_above": {"type": ["number", "null"]}, "swing": {"type": "number"}}}},
      "pass_probability": {"type": ["number", "null"]}}}},
    "claims": {"type": "array", "items": {"type": "object", "properties": {
      "name": {"type": "string"}, "title": {"type": "string"}, "said": {"type": "string"}, "source": {"type": "string"},
      "target": {"type": "string"}, "metric": {"type": "string"}, "claimed": {"type": "string"}, "value": {"type": ["number", "null"]},
      "holds": {"type": "string"}, "turns_on": {"type": "array", "items": {"type": "string"}},
      "shapes": {"type": "array", "items": {"type": "string"}},
      "solved": {"type": "array", "items": {"type": "object", "properties": {
        "input": {"type": "string"}, "now": {"type": ["number", "null"]}, "from": {"type": ["number", "null"]},
        "to": {"type": ["number", "null"]}, "found": {"type": "boolean"}, "text": {"type": "string"}}}}}}},
    "shapes": {"type": "object", "values": {"type": "object", "properties": {
      "title": {"type": "string"}, "kind": {"type": "string"}, "file": {"type": "string"}, "protection": {"type": "string"},
      "figures": {"type": "object", "values": {"type": "object", "properties": {
        "value": {"type": ["number", "null"]}, "basis": {"type": "string"}, "source": {"type": "string"},
        "low": {"type": "number"}, "high": {"type": "number"}, "range_note": {"type": "string"}}}}}}},
    "targets": {"type": "object", "values": {"type": "object", "properties": {
      "title": {"type": "string"}, "file": {"type": "string"}, "data_reduction_ratio": {"type": "number", "minimum": 1e-6}}}},
    "model": {"type": "object", "properties": {
      "file": {"type": "string"},
      "protection": {"type": "object", "values": {"type": "object", "properties": {
        "data": {"type": "integer", "minimum": 1, "maximum": 1000}, "parity": {"type": "integer", "minimum": 0, "maximum": 1000},
        "spread": {"type": "string"}, "rebuild_reads": {"type": "integer", "minimum": 0, "maximum": 1000},
        "local_groups": {"type": "integer", "minimum": 0, "maximum": 1000}}}},
      "fill_fraction": {"type": "number"}, "protocol_efficiency": {"type": "number"}, "rack_units": {"type": "number"},
      "rack_overhead_units": {"type": "number"}, "kw_per_rack": {"type": "number"}, "amortization_years": {"type": "number"},
      "usd_per_kwh": {"type": "number"}, "hours_per_month": {"type": "number"}, "iops_block_bytes": {"type": "number"},
      "cores_per_gbytes_per_s": {"type": ["number", "null"]},
      "largest_drive_tb": {"type": ["number", "null"]},
      "sourced": {"type": "object", "values": {"type": "object", "properties": {
        "basis": {"type": "string"}, "source": {"type": "string"}, "low": {"type": "number"}, "high": {"type": "number"},
        "range_note": {"type": "string"}}}}}},
    "uncertainty": {"type": "object", "properties": {"seed": {"type": "integer", "minimum": 0}, "samples": {"type": "integer", "minimum": 0}}}}})");
  return shape;
}

Basis BasisFromName(const std::string& name) {
  for (Basis b : {Basis::kRated, Basis::kMeasured, Basis::kEstimated, Basis::kDerived, Basis::kUnknown}) {
    if (name == BasisName(b)) return b;
  }
  throw BadInput("basis", "unknown value \"" + name + "\"");
}

// A figure's or term's range as the document holds it (profile unit, scaled by `to_si`); none
// when absent. Throws BadInput for a range that does not bracket its value: the samplers move
// figures across it, so an edited document must not widen or invert it unseen.
std::optional<Range> RangeFromJson(const nlohmann::json& f, double value, double to_si, const std::string& what) {
  if (!f.contains("low") && !f.contains("high")) return std::nullopt;
  if (!f.contains("low") || !f.contains("high") || !f["low"].is_number() || !f["high"].is_number()) {
    throw BadInput(what, "a range needs numbers low and high");
  }
  const double low = f["low"].get<double>(), high = f["high"].get<double>();
  if (!std::isfinite(low) || !std::isfinite(high) || low > value * (1 + 1e-12) || high < value * (1 - 1e-12) || low < 0) {
    throw BadInput(what, "range " + std::to_string(low) + " to " + std::to_string(high) + " does not bracket its value");
  }
  return Range{low * to_si, high * to_si, f.value("range_note", "")};
}

nlohmann::json ShapeJson(const Shape& shape) {
  nlohmann::json figures = nlohmann::json::object();
  for (const auto& spec : ShapeFields()) {
    const Figure& f = shape.*spec.member;
    figures[spec.name] = {{"value", f.known() ? std::optional(*f.value / spec.to_si) : std::nullopt}, {"basis", BasisName(f.basis)}};
    if (!f.source.empty()) figures[spec.name]["source"] = f.source;
    if (f.range) {
      figures[spec.name]["low"] = f.range->low / spec.to_si;
      figures[spec.name]["high"] = f.range->high / spec.to_si;
      figures[spec.name]["range_note"] = f.range->why;
    }
  }
  return {{"file", shape.file}, {"title", shape.title}, {"kind", shape.kind}, {"protection", shape.protection}, {"figures", figures}};
}

Shape ShapeFromJson(const std::string& name, const nlohmann::json& j) {
  Shape shape;
  shape.name = name;
  shape.title = j.value("title", "");
  shape.kind = j.value("kind", "");
  shape.file = j.value("file", "");
  shape.protection = j.value("protection", "");  // absent from documents written before shapeq verify
  const auto figures = j.value("figures", nlohmann::json::object());
  for (const auto& spec : ShapeFields()) {
    if (!figures.contains(spec.name)) continue;
    const auto& f = figures[spec.name];
    Figure& figure = shape.*spec.member;
    if (f.contains("value") && f["value"].is_number()) figure.value = f["value"].get<double>() * spec.to_si;
    figure.basis = BasisFromName(f.value("basis", "unknown"));
    figure.source = f.value("source", "");
    if (figure.value) figure.range = RangeFromJson(f, *figure.value / spec.to_si, spec.to_si, name + "." + spec.name);
  }
  return shape;
}

nlohmann::json TargetJson(const Target& target) {
  nlohmann::json fields = {{"file", target.file}, {"title", target.title}, {"data_reduction_ratio", target.data_reduction_ratio}};
  if (!target.must_survive.empty()) fields["must_survive"] = target.must_survive;
  for (const auto& spec : TargetFields()) {
    const auto& value = target.*spec.member;
    if (value) fields[spec.name] = *value / spec.to_si;
  }
  return fields;
}

Target TargetFromJson(const std::string& name, const nlohmann::json& j) {
  Target target;
  target.name = name;
  target.title = j.value("title", "");
  target.file = j.value("file", "");
  target.data_reduction_ratio = j.value("data_reduction_ratio", 1.0);
  target.must_survive = j.value("must_survive", "");
  for (const auto& spec : TargetFields()) {
    if (j.contains(spec.name) && j[spec.name].is_number()) target.*spec.member = j[spec.name].get<double>() * spec.to_si;
  }
  DeriveUsable(target);
  return target;
}

nlohmann::json ModelJson(const Model& model) {
  nlohmann::json schemes = nlohmann::json::object();
  for (const auto& [name, s] : model.schemes) {
    schemes[name] = {{"data", s.data}, {"parity", s.parity}, {"spread", s.per_drive ? "drives" : "nodes"}, {"rebuild_reads", s.rebuild_reads},
                     {"local_groups", s.local_groups}};
  }
  nlohmann::json j = {{"file", model.file}, {"protection", schemes}, {"cores_per_gbytes_per_s", model.cores_per_gbytes_per_s}};
  for (const auto& spec : ModelFields()) {
    if (spec.member) j[spec.name] = model.*spec.member;
  }
  nlohmann::json sourced = nlohmann::json::object();
  for (const auto& [name, term] : model.sourced) {
    sourced[name] = {{"basis", BasisName(term.basis)}, {"source", term.source}};
    if (term.range) sourced[name].update({{"low", term.range->low}, {"high", term.range->high}, {"range_note", term.range->why}});
  }
  j["sourced"] = sourced;
  j["largest_drive_tb"] = model.largest_drive_bytes ? std::optional(*model.largest_drive_bytes / kTB) : std::nullopt;
  return j;
}

Model ModelFromJson(const nlohmann::json& j) {
  Model m;
  m.file = j.value("file", "");
  const nlohmann::json schemes = j.value("protection", nlohmann::json::object());  // named: items() of a temporary dangles
  for (const auto& [name, s] : schemes.items()) {
    m.schemes[name] = {name, s.value("data", 1u), s.value("parity", 0u), s.value("spread", "nodes") == "drives", s.value("rebuild_reads", 0u),
                       s.value("local_groups", 0u)};
    // An edited document must not make the tolerance wrap or the rebuild divide by zero.
    const ProtectionScheme& read = m.schemes[name];
    if (read.local_groups && (read.local_groups >= read.parity || read.data % read.local_groups != 0)) {
      throw BadInput("model.protection." + name, "local_groups must be fewer than parity and divide data");
    }
  }
  for (const auto& spec : ModelFields()) {
    if (spec.member) m.*spec.member = j.value(spec.name, m.*spec.member);
  }
  if (j.contains("cores_per_gbytes_per_s") && j["cores_per_gbytes_per_s"].is_number()) {
    m.cores_per_gbytes_per_s = j["cores_per_gbytes_per_s"].get<double>();
  }
  if (j.contains("largest_drive_tb") && j["largest_drive_tb"].is_number() && j["largest_drive_tb"].get<double>() > 0) {
    m.largest_drive_bytes = j["largest_drive_tb"].get<double>() * kTB;
  }
  const nlohmann::json sourced = j.value("sourced", nlohmann::json::object());
  for (const auto& spec : ModelFields()) {
    if (!spec.member || !sourced.contains(spec.name) || !sourced[spec.name].is_object()) continue;
    const nlohmann::json& t = sourced[spec.name];
    Figure term;
    term.value = m.*spec.member;
    term.basis = BasisFromName(t.value("basis", "unknown"));
    term.source = t.value("source", "");
    term.range = RangeFromJson(t, *term.value, 1, std::string("model.") + spec.name);
    if (term.range && term.range->high > spec.max) throw BadInput(std::string("model.") + spec.name, "range above the term's bound");
    m.sourced[spec.name] = term;
  }
  return m;
}

}  // namespace

std::vector<ScoredPair> ScoreDocument::Pairs() const {
  std::vector<ScoredPair> pairs;
  for (const auto& v : verdicts) {
    pairs.push_back({FindShape(v.shape), shapeq::FindTarget(targets, v.target), v});
  }
  return pairs;
}

const Shape* ScoreDocument::FindShape(const std::string& name) const { return shapeq::FindShape(shapes, name); }

nlohmann::json WriteScoreDocument(const std::vector<ScoredPair>& pairs, const Model& model, const std::vector<ClaimResult>& claims) {
  nlohmann::json shapes = nlohmann::json::object();
  nlohmann::json targets = nlohmann::json::object();
  nlohmann::json verdicts = nlohmann::json::array();
  for (const auto& p : pairs) {
    if (!shapes.contains(p.shape->name)) shapes[p.shape->name] = ShapeJson(*p.shape);
    if (!targets.contains(p.target->name)) targets[p.target->name] = TargetJson(*p.target);
    verdicts.push_back(p.verdict);
  }
  nlohmann::json document = {{"schema", kVerdictSchema}, {"schema_version", kVerdictSchemaVersion}, {"shapeq_version", kVersion},
                             {"model", ModelJson(model)}, {"shapes", shapes}, {"targets", targets}, {"verdicts", verdicts}};
  if (!claims.empty()) document["claims"] = claims;
  return document;
}

ScoreDocument ReadScoreDocument(const nlohmann::json& json, const std::string& file) {
  if (!json.is_object() || json.value("schema", nlohmann::json()) != kVerdictSchema || !json.contains("verdicts")) {
    throw BadInput(file, std::string("not a ") + kVerdictSchema + " document");
  }
  CheckJsonShape(json, DocumentShape(), file);
  ScoreDocument doc;
  try {
    doc.model = ModelFromJson(json.value("model", nlohmann::json::object()));
    // nlohmann keeps object members sorted by name, so shapes and targets come back in name
    // order; the verdicts keep the order they were scored in.
    const nlohmann::json shapes = json.value("shapes", nlohmann::json::object());  // named: items() of a temporary dangles
    const nlohmann::json targets = json.value("targets", nlohmann::json::object());
    for (const auto& [name, shape] : shapes.items()) doc.shapes.push_back(ShapeFromJson(name, shape));
    for (const auto& [name, target] : targets.items()) doc.targets.push_back(TargetFromJson(name, target));
    for (const auto& v : json["verdicts"]) doc.verdicts.push_back(v.get<Verdict>());
    for (const auto& c : json.value("claims", nlohmann::json::array())) doc.claims.push_back(c.get<ClaimResult>());
    if (const auto u = json.find("uncertainty"); u != json.end() && u->is_object()) {
      const size_t samples = u->value("samples", size_t{0});
      if (samples > kMaxDraws) throw BadInput(file, "field uncertainty.samples: more than " + std::to_string(kMaxDraws));
      if (samples > 0) doc.sampled = ScoreDocument::SampledWith{samples, u->value("seed", uint64_t{0})};
    }
  } catch (const nlohmann::json::exception& e) {
    throw BadInput(file, std::string("not a verdict: ") + e.what());
  } catch (const Error& e) {
    throw BadInput(file, std::string("field ") + e.what());
  }
  for (const auto& v : doc.verdicts) {
    if (!doc.FindShape(v.shape)) throw BadInput(file, "verdict for shape " + v.shape + ", which the document does not list");
    if (!shapeq::FindTarget(doc.targets, v.target)) {
      throw BadInput(file, "verdict for target " + v.target + ", which the document does not list");
    }
  }
  return doc;
}

}  // namespace shapeq
