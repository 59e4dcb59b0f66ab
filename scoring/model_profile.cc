#include "scoring/model_profile.h"

#include <algorithm>
#include <cmath>

#include "common/error.h"
#include "scoring/profile_json.h"

namespace shapeq {
namespace {

ProtectionScheme ReadScheme(const FieldReader& schemes, const std::string& name, const nlohmann::json& object) {
  const FieldReader r = schemes.Nested(name.c_str(), object);
  r.OnlyFields({"data", "parity", "copies", "spread", "rebuild_reads", "local_groups", "note"});
  ProtectionScheme scheme;
  scheme.name = name;
  const bool replication = object.contains("copies");
  if (replication) {
    if (object.contains("data") || object.contains("parity")) r.Fail("copies", "give copies, or data and parity, not both");
    const long long copies = *r.Integer("copies", true);
    if (copies < 2 || copies > 10) r.Fail("copies", "expected 2 to 10 copies");
    scheme.data = 1;
    scheme.parity = static_cast<unsigned>(copies - 1);
  } else {
    const long long data = *r.Integer("data", true);
    const auto parity = r.Number("parity", true, /*allow_zero=*/true);
    if (*parity != std::floor(*parity)) r.Fail("parity", "expected a whole number");
    if (*parity < 1) r.Fail("parity", "must be at least 1 (0 parity protects nothing)");
    if (static_cast<double>(data) + *parity > 1024) r.Fail("data", "data + parity over 1024 strips is not a real stripe");
    scheme.data = static_cast<unsigned>(data);
    scheme.parity = static_cast<unsigned>(*parity);
  }
  const std::string spread = r.String("spread", false);
  if (spread.empty() || spread == "nodes") {
    scheme.per_drive = false;
  } else if (spread == "drives") {
    scheme.per_drive = true;
  } else {
    r.Fail("spread", "expected \"nodes\" or \"drives\"");
  }
  if (const auto groups = r.Integer("local_groups", false)) {
    if (replication) r.Fail("local_groups", "a replicated scheme has no local groups");
    if (*groups >= scheme.parity) r.Fail("local_groups", "one local parity a group: fewer groups than parity, leaving a global one");
    if (scheme.data % *groups != 0) r.Fail("local_groups", "expected data to split evenly into the groups");
    scheme.local_groups = static_cast<unsigned>(*groups);
  }
  if (const auto reads = r.Integer("rebuild_reads", false)) {
    if (*reads > scheme.data) r.Fail("rebuild_reads", "at most data: no code reads more strips than it has to rebuild one");
    scheme.rebuild_reads = static_cast<unsigned>(*reads);
  }
  return scheme;
}

Basis ModelBasis(const FieldReader& r, const std::string& text) {
  if (text == "rated") return Basis::kRated;
  if (text == "estimated") return Basis::kEstimated;
  if (text == "derived") return Basis::kDerived;
  r.Fail("basis", "expected rated, estimated or derived");
}

// A term written {"value", "basis", "source", "note", "low", "high", "range_note"}: its
// provenance into model.sourced, and the bare value back into `json` for the plain reader.
void ReadSourcedTerm(const FieldReader& model_reader, const ModelField& spec, nlohmann::json& json, Model& model) {
  const FieldReader r = model_reader.Nested(spec.name, json[spec.name]);
  r.OnlyFields({"value", "basis", "source", "note", "low", "high", "range_note"});
  Figure term;
  term.value = *r.Number("value", true, spec.allow_zero);
  term.basis = ModelBasis(r, r.String("basis", true));
  term.source = r.String("source", true);
  term.note = r.String("note", false);
  term.range = ReadRange(r, *term.value, spec.allow_zero, spec.max, "expected a fraction in (0, 1]");
  if (!term.range && term.basis == Basis::kEstimated) r.Fail("low", "an estimate needs its range (low, high, range_note)");
  model.sourced[spec.name] = term;
  json[spec.name] = *term.value;
}

}  // namespace

Model LoadModel(const std::string& path) {
  nlohmann::json json = ParseProfileFile(path);
  Model model;
  if (json.is_object()) {
    const FieldReader outer(path, json);
    for (const auto& spec : ModelFields()) {
      if (json.contains(spec.name) && json[spec.name].is_object()) ReadSourcedTerm(outer, spec, json, model);
    }
  }
  const FieldReader r(path, json);
  // The full-cost and availability terms came later: a model may leave them out (their defaults).
  static const std::vector<std::string> kOptional = {"drive_lifetime_years", "usd_per_rack_month", "usd_per_network_port_month",
                                                     "network_ports_per_node", "software_usd_per_tb_month", "rebuild_share",
                                                     "cloud_fault_domains"};
  std::vector<std::string> known = {"schema", "schema_version", "note", "sources", "protection", "fill_fraction", "protocol_efficiency",
                                    "rack_units", "rack_overhead_units", "kw_per_rack", "amortization_years", "usd_per_kwh",
                                    "hours_per_month", "iops_block_bytes", "cores_per_gbytes_per_s"};
  known.insert(known.end(), kOptional.begin(), kOptional.end());
  r.OnlyFields(known);
  r.Schema("shapeq.model", 1);
  model.file = path;
  const FieldReader schemes = r.Nested("protection", *r.Object("protection", true));
  for (const auto& [name, object] : schemes.json().items()) {
    if (!object.is_object()) schemes.Fail(name, "expected an object");
    model.schemes[name] = ReadScheme(schemes, name, object);
  }
  if (model.schemes.empty()) r.Fail("protection", "needs at least one scheme");
  auto fraction = [&r](const char* field) {
    const double value = *r.Number(field, true);
    if (value > 1) r.Fail(field, "expected a fraction in (0, 1]");
    return value;
  };
  model.fill_fraction = fraction("fill_fraction");
  model.protocol_efficiency = fraction("protocol_efficiency");
  model.rack_units = *r.Number("rack_units", true);
  model.rack_overhead_units = *r.Number("rack_overhead_units", true, /*allow_zero=*/true);
  if (model.rack_overhead_units >= model.rack_units) r.Fail("rack_overhead_units", "leaves no room in the rack");
  model.kw_per_rack = *r.Number("kw_per_rack", true);
  model.amortization_years = *r.Number("amortization_years", true);
  model.usd_per_kwh = *r.Number("usd_per_kwh", true, /*allow_zero=*/true);
  model.hours_per_month = *r.Number("hours_per_month", true);
  model.iops_block_bytes = *r.Number("iops_block_bytes", true);
  model.cores_per_gbytes_per_s = r.Number("cores_per_gbytes_per_s", false);
  for (const auto& spec : ModelFields()) {
    if (std::find(kOptional.begin(), kOptional.end(), spec.name) == kOptional.end()) continue;
    if (const auto value = r.Number(spec.name, false, spec.allow_zero)) {
      if (*value > spec.max) r.Fail(spec.name, "expected a fraction in (0, 1]");
      model.*spec.member = *value;
    }
  }
  return model;
}

const std::vector<ModelField>& ModelFields() {
  static const std::vector<ModelField> fields = {
      {"fill_fraction", &Model::fill_fraction, 1, "how full the cluster may run (0, 1]"},
      {"protocol_efficiency", &Model::protocol_efficiency, 1, "payload / NIC line rate (0, 1]"},
      {"rack_units", &Model::rack_units, kMaxProfileNumber, "U per rack"},
      {"rack_overhead_units", &Model::rack_overhead_units, kMaxProfileNumber, "U per rack for switches and PDUs"},
      {"kw_per_rack", &Model::kw_per_rack, kMaxProfileNumber, "power per rack, kW"},
      {"amortization_years", &Model::amortization_years, kMaxProfileNumber, "an on-prem node's life: capex less drives spread over, years"},
      {"drive_lifetime_years", &Model::drive_lifetime_years, kMaxProfileNumber, "drives refreshed every, years (shapes with drive_price_usd)"},
      {"usd_per_kwh", &Model::usd_per_kwh, kMaxProfileNumber, "electricity, $/kWh", true},
      {"usd_per_rack_month", &Model::usd_per_rack_month, kMaxProfileNumber, "floor space and cooling per rack position, $/month", true},
      {"usd_per_network_port_month", &Model::usd_per_network_port_month, kMaxProfileNumber, "a switch port with its optics, $/month", true},
      {"network_ports_per_node", &Model::network_ports_per_node, kMaxProfileNumber, "switch ports per on-prem node that does not say", true},
      {"software_usd_per_tb_month", &Model::software_usd_per_tb_month, kMaxProfileNumber,
       "software licence per protected TB-month for shapes that do not say, $", true},
      {"rebuild_share", &Model::rebuild_share, 1, "share of the cluster's read bandwidth a rebuild may take (0, 1]"},
      {"cloud_fault_domains", &Model::cloud_fault_domains, kMaxProfileNumber, "fault domains a cloud VM deployment spreads over (its racks)"},
      {"hours_per_month", &Model::hours_per_month, kMaxProfileNumber, "hours billed per month"},
      {"iops_block_bytes", &Model::iops_block_bytes, kMaxProfileNumber, "bytes per I/O for the NIC bound on IOPS"},
      {"cores_per_gbytes_per_s", nullptr, kMaxProfileNumber, "data-path cores per GB/s for shapes without their own"},
  };
  return fields;
}

void SetModelField(Model& model, const std::string& field, double value) {
  for (const auto& spec : ModelFields()) {
    if (field != spec.name) continue;
    CheckSetValue("model", field, value, spec.allow_zero);
    if (value > spec.max) throw Error(ExitCode::kUsage, "--set model." + field + ": expected a fraction in (0, 1]");
    if (!spec.member) {
      model.cores_per_gbytes_per_s = value;
      model.sourced.erase(field);
      return;
    }
    Model changed = model;
    changed.*spec.member = value;
    if (changed.rack_overhead_units >= changed.rack_units) {
      throw Error(ExitCode::kUsage, "--set model." + field + ": rack_overhead_units would leave no room in the rack");
    }
    changed.sourced.erase(field);  // what the user states is what is scored
    model = changed;
    return;
  }
  std::string known;
  for (const auto& spec : ModelFields()) known += std::string(known.empty() ? "" : ", ") + spec.name;
  throw Error(ExitCode::kUsage, "--set model." + field + ": not a model field (have: " + known + ")");
}

}  // namespace shapeq
