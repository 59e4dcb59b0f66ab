#include "scoring/profiles.h"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "common/error.h"
#include "scoring/profile_json.h"

namespace shapeq {
namespace {

constexpr double kTB = 1e12;
constexpr double kGB = 1e9;
constexpr double kPB = 1e15;

std::string Stem(const std::string& path) { return std::filesystem::path(path).stem().string(); }

Basis ParseBasis(const FieldReader& r, const std::string& text) {
  if (text == "rated") return Basis::kRated;
  if (text == "measured") return Basis::kMeasured;
  if (text == "estimated") return Basis::kEstimated;
  if (text == "derived") return Basis::kDerived;
  if (text == "unknown") return Basis::kUnknown;
  r.Fail("basis", "expected rated, measured, estimated, derived or unknown");
}

Figure ReadFigure(const FieldReader& figures, const ShapeField& spec, const Shape& shape) {
  const nlohmann::json* object = figures.Object(spec.name, !spec.optional);
  if (!object) return Figure{std::nullopt, Basis::kUnknown, "", "not in the profile"};
  const FieldReader r = figures.Nested(spec.name, *object);
  r.OnlyFields({"value", "basis", "source", "note"});
  Figure figure;
  figure.basis = ParseBasis(r, r.String("basis", true));
  figure.note = r.String("note", false);
  if (figure.basis == Basis::kUnknown) {
    if (r.json().contains("value") && !r.json()["value"].is_null()) r.Fail("value", "must be null when basis is unknown");
    return figure;
  }
  const bool whole = std::string(spec.name) == "drive_count" || std::string(spec.name) == "cores";
  figure.value = whole ? static_cast<double>(*r.Integer("value", true)) : *r.Number("value", true, spec.allow_zero);
  *figure.value *= spec.to_si;
  figure.source = r.String("source", true);
  if (!shape.sources.count(figure.source)) r.Fail("source", "\"" + figure.source + "\" is not a key of sources");
  return figure;
}

std::optional<double> Scaled(std::optional<double> value, double to_si) {
  if (value) *value *= to_si;
  return value;
}

ProtectionScheme ReadScheme(const FieldReader& schemes, const std::string& name, const nlohmann::json& object) {
  const FieldReader r = schemes.Nested(name.c_str(), object);
  r.OnlyFields({"data", "parity", "copies", "spread", "rebuild_reads", "note"});
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
  if (const auto reads = r.Integer("rebuild_reads", false)) {
    if (*reads > scheme.data) r.Fail("rebuild_reads", "at most data: no code reads more strips than it has to rebuild one");
    scheme.rebuild_reads = static_cast<unsigned>(*reads);
  }
  return scheme;
}

// A value given with --set NAME.FIELD=VALUE: positive, finite and bounded, as in a profile;
// whole where the profile wants a whole number.
void CheckSetValue(const std::string& name, const std::string& field, double value, bool allow_zero = false) {
  if (allow_zero && value == 0) return;
  if (!(value >= kMinProfileNumber) || !std::isfinite(value) || value > kMaxProfileNumber) {
    throw Error(ExitCode::kUsage, "--set " + name + "." + field + ": expected a positive number from 1e-6 up to 1e15" +
                                      (allow_zero ? ", or 0" : ""));
  }
  if ((field == "drive_count" || field == "cores") && value != std::floor(value)) {
    throw Error(ExitCode::kUsage, "--set " + name + "." + field + ": expected a whole number");
  }
}

}  // namespace

const char* BasisName(Basis basis) {
  switch (basis) {
    case Basis::kRated: return "rated";
    case Basis::kMeasured: return "measured";
    case Basis::kEstimated: return "estimated";
    case Basis::kDerived: return "derived";
    case Basis::kUnknown: return "unknown";
  }
  return "unknown";
}

const std::vector<ShapeField>& ShapeFields() {
  static const std::vector<ShapeField> fields = {
      {"cores", &Shape::cores, 1, "CPU cores (vCPUs for cloud VMs)"},
      {"memory_gib", &Shape::memory_bytes, 1024.0 * 1024 * 1024, "memory, GiB"},
      {"drive_count", &Shape::drive_count, 1, "data drives per node"},
      {"drive_capacity_tb", &Shape::drive_capacity_bytes, kTB, "capacity of one drive, TB (10^12 bytes)"},
      {"read_gbytes_per_s", &Shape::read_bytes_per_s, kGB, "all drives' sequential read, GB/s"},
      {"write_gbytes_per_s", &Shape::write_bytes_per_s, kGB, "all drives' sequential write, GB/s"},
      {"read_iops", &Shape::read_iops, 1, "all drives' random 4 KiB read IOPS"},
      {"write_iops", &Shape::write_iops, 1, "all drives' random 4 KiB write IOPS"},
      {"nic_gbps", &Shape::nic_gbps, 1, "network bandwidth per node, Gbit/s"},
      {"watts", &Shape::watts, 1, "power per node under load, W"},
      {"rack_units", &Shape::rack_units, 1, "rack space per node, U"},
      {"price_per_hour_usd", &Shape::price_per_hour_usd, 1, "on-demand price, $/hour (cloud)"},
      {"capex_usd", &Shape::capex_usd, 1, "purchase price per node, $ (on-prem)"},
      {"read_p99_latency_ms", &Shape::read_p99_latency_s, 1e-3, "p99 of random 4 KiB reads at read_iops, ms (optional)", true},
      {"cores_per_gbytes_per_s", &Shape::cores_per_gbytes_per_s, 1,
       "cores the data path (erasure coding + CRC) needs per GB/s written (optional; else the model's)", true},
      {"raw_read_gbytes_per_s", &Shape::raw_read_bytes_per_s, kGB,
       "the drives' own sequential read without the data path, GB/s, when read_gbytes_per_s is what the node serves (optional)", true},
      {"raw_write_gbytes_per_s", &Shape::raw_write_bytes_per_s, kGB,
       "the drives' own sequential write without the data path, GB/s, when write_gbytes_per_s is what the node serves (optional)", true},
      {"drive_price_usd", &Shape::drive_price_usd, 1,
       "the part of capex_usd that is one drive, $: drives are refreshed every drive_lifetime_years, the rest over amortization_years (optional)", true},
      {"network_ports", &Shape::network_ports, 1, "switch ports per node (optional; else the model's network_ports_per_node)", true, true},
      {"frontend_nodes_per_node", &Shape::frontend_nodes_per_node, 1,
       "front-end / controller nodes a disaggregated design adds per storage node (optional)", true, true},
      {"frontend_node_capex_usd", &Shape::frontend_node_capex_usd, 1, "purchase price of one front-end node, $ (optional)", true, true},
      {"frontend_node_watts", &Shape::frontend_node_watts, 1, "power of one front-end node, W (optional)", true, true},
      {"frontend_node_rack_units", &Shape::frontend_node_rack_units, 1, "rack space of one front-end node, U (optional)", true, true},
      {"software_usd_per_tb_month", &Shape::software_usd_per_tb_month, 1,
       "software licence per protected TB-month, $ (optional; else the model's)", true, true},
      {"data_reduction_ratio", &Shape::data_reduction_ratio, 1,
       "the most data reduction this platform realizes, 1 = none (optional; caps the target's ratio)", true},
  };
  return fields;
}

const std::vector<TargetField>& TargetFields() {
  static const std::vector<TargetField> fields = {
      {"usable_pb", &Target::stated_usable_bytes, kPB, "usable capacity after protection and fill, PB (or from the scenario below)"},
      {"isolation_hours", &Target::isolation_s, 3600, "hours the GPUs must keep working from this storage alone (a network cut)"},
      {"gbytes_per_s_per_gpu", &Target::bytes_per_s_per_gpu, kGB, "data each GPU reads while working, GB/s (with isolation_hours)"},
      {"duty", &Target::duty, 1, "fraction of the isolation the GPUs read at that rate (default 1)"},
      {"pb_per_gpu", &Target::bytes_per_gpu, kPB, "usable PB per GPU"},
      {"read_tbps", &Target::read_bytes_per_s, kTB, "aggregate read, TB/s"},
      {"write_tbps", &Target::write_bytes_per_s, kTB, "aggregate write, TB/s"},
      {"iops_per_pb", &Target::iops_per_pb, 1, "random read IOPS per usable PB"},
      {"checkpoint_tb", &Target::checkpoint_bytes, kTB, "checkpoint size, TB"},
      {"checkpoint_window_s", &Target::checkpoint_window_s, 1, "seconds a checkpoint may take to write"},
      {"gpus", &Target::gpus, 1, "GPUs served (for PB per GPU)"},
      {"write_fraction", &Target::write_fraction, 1, "share of the iops_per_pb operations that are random writes (0, 1]"},
      {"p99_latency_ms", &Target::p99_latency_s, 1e-3, "p99 latency bound, ms"},
      {"max_rebuild_hours", &Target::max_rebuild_s, 3600, "longest a failed node's data may take to rebuild, hours"},
      {"budget_usd_per_pb_month", &Target::budget_usd_per_pb_month, 1, "price cap, $ per usable PB-month"},
      {"max_racks", &Target::max_racks, 1, "rack positions available"},
      {"max_kw", &Target::max_kw, 1, "power available, kW"},
  };
  return fields;
}

Shape LoadShape(const std::string& path) {
  const nlohmann::json json = ParseProfileFile(path);
  const FieldReader r(path, json);
  r.OnlyFields({"schema", "schema_version", "title", "kind", "protection", "sources", "figures", "note"});
  r.Schema("shapeq.shape", 1);
  Shape shape;
  shape.file = path;
  shape.name = Stem(path);
  shape.title = r.String("title", true);
  shape.kind = r.String("kind", true);
  if (shape.kind != "cloud-vm" && shape.kind != "on-prem") r.Fail("kind", "expected \"cloud-vm\" or \"on-prem\"");
  shape.protection = r.String("protection", true);
  const FieldReader sources = r.Nested("sources", *r.Object("sources", true));
  for (const auto& [key, value] : sources.json().items()) shape.sources[key] = sources.String(key.c_str(), true);

  const FieldReader figures = r.Nested("figures", *r.Object("figures", true));
  std::vector<std::string> names;
  for (const auto& spec : ShapeFields()) {
    names.push_back(spec.name);
    shape.*spec.member = ReadFigure(figures, spec, shape);
  }
  figures.OnlyFields(names);
  if (!shape.drive_count.known() || !shape.drive_capacity_bytes.known()) {
    figures.Fail(shape.drive_count.known() ? "drive_capacity_tb" : "drive_count", "must be known: capacity sizes every shape");
  }
  return shape;
}

Target LoadTarget(const std::string& path) {
  const nlohmann::json json = ParseProfileFile(path);
  const FieldReader r(path, json);
  std::vector<std::string> names = {"schema", "schema_version", "title", "note", "sources", "protection",
                                    "data_reduction_ratio", "must_survive"};
  for (const auto& spec : TargetFields()) names.push_back(spec.name);
  r.OnlyFields(names);
  r.Schema("shapeq.target", 1);
  Target target;
  target.file = path;
  target.name = Stem(path);
  target.title = r.String("title", true);
  target.note = r.String("note", false);
  target.protection = r.String("protection", false);
  if (const auto it = json.find("sources"); it != json.end()) {
    if (!it->is_array()) r.Fail("sources", "expected a list of strings");
    for (const auto& source : *it) {
      if (!source.is_string()) r.Fail("sources", "expected a list of strings");
      target.sources.push_back(source.get<std::string>());
    }
  }
  for (const auto& spec : TargetFields()) target.*spec.member = Scaled(r.Number(spec.name, false), spec.to_si);
  target.data_reduction_ratio = r.Number("data_reduction_ratio", false).value_or(1.0);
  if (target.duty && *target.duty > 1) r.Fail("duty", "expected a fraction in (0, 1]");
  if (target.write_fraction && *target.write_fraction > 1) r.Fail("write_fraction", "expected a fraction in (0, 1]");
  target.must_survive = r.String("must_survive", false);
  if (!target.must_survive.empty() && target.must_survive != "drive" && target.must_survive != "node" && target.must_survive != "rack") {
    r.Fail("must_survive", "expected \"drive\", \"node\" or \"rack\"");
  }
  if (target.isolation_s.has_value() != target.bytes_per_s_per_gpu.has_value()) {
    r.Fail(target.isolation_s ? "gbytes_per_s_per_gpu" : "isolation_hours", "isolation_hours and gbytes_per_s_per_gpu go together");
  }
  if ((target.isolation_s || target.bytes_per_gpu) && !target.gpus) r.Fail("gpus", "missing: the scenario sizes capacity per GPU");
  DeriveUsable(target);
  if (!target.usable_bytes) r.Fail("usable_pb", "missing: every target states the usable capacity it needs, or a scenario that sizes it");
  if (target.checkpoint_bytes.has_value() != target.checkpoint_window_s.has_value()) {
    r.Fail(target.checkpoint_bytes ? "checkpoint_window_s" : "checkpoint_tb", "checkpoint_tb and checkpoint_window_s go together");
  }
  return target;
}

Model LoadModel(const std::string& path) {
  const nlohmann::json json = ParseProfileFile(path);
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
  Model model;
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

void SetShapeFigure(Shape& shape, const std::string& field, double profile_value) {
  for (const auto& spec : ShapeFields()) {
    if (field != spec.name) continue;
    CheckSetValue(shape.name, field, profile_value, spec.allow_zero);
    Figure& figure = shape.*spec.member;
    figure.value = profile_value * spec.to_si;
    figure.basis = Basis::kEstimated;
    figure.source = "user";
    figure.note = "supplied with --set";
    shape.sources["user"] = "supplied on the command line";
    return;
  }
  throw Error(ExitCode::kUsage, "--set: " + field + " is not a shape figure");
}

void DeriveUsable(Target& target) {
  char text[200];
  target.usable_bytes = target.stated_usable_bytes;
  target.usable_basis = target.stated_usable_bytes ? "stated" : "";
  auto consider = [&](std::optional<double> bytes, const std::string& basis) {
    if (bytes && (!target.usable_bytes || *bytes > *target.usable_bytes)) {
      target.usable_bytes = bytes;
      target.usable_basis = basis;
    }
  };
  if (target.gpus && target.isolation_s && target.bytes_per_s_per_gpu) {
    const double duty = target.duty.value_or(1);
    std::snprintf(text, sizeof text, "%g h of isolation x %g GPUs x %g GB/s each x duty %g", *target.isolation_s / 3600, *target.gpus,
                  *target.bytes_per_s_per_gpu / kGB, duty);
    consider(*target.gpus * *target.bytes_per_s_per_gpu * duty * *target.isolation_s, text);
  }
  if (target.gpus && target.bytes_per_gpu) {
    std::snprintf(text, sizeof text, "%g GPUs x %g PB each", *target.gpus, *target.bytes_per_gpu / kPB);
    consider(*target.gpus * *target.bytes_per_gpu, text);
  }
}

void SetTargetField(Target& target, const std::string& field, double profile_value) {
  if (field == "data_reduction_ratio") {
    CheckSetValue(target.name, field, profile_value);
    target.data_reduction_ratio = profile_value;
    return;
  }
  for (const auto& spec : TargetFields()) {
    if (field != spec.name) continue;
    CheckSetValue(target.name, field, profile_value);
    if ((field == "duty" || field == "write_fraction") && profile_value > 1) {
      throw Error(ExitCode::kUsage, "--set " + target.name + "." + field + ": expected a fraction in (0, 1]");
    }
    target.*spec.member = profile_value * spec.to_si;
    DeriveUsable(target);
    return;
  }
  throw Error(ExitCode::kUsage, field + " is not a target field");
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
      return;
    }
    Model changed = model;
    changed.*spec.member = value;
    if (changed.rack_overhead_units >= changed.rack_units) {
      throw Error(ExitCode::kUsage, "--set model." + field + ": rack_overhead_units would leave no room in the rack");
    }
    model = changed;
    return;
  }
  std::string known;
  for (const auto& spec : ModelFields()) known += std::string(known.empty() ? "" : ", ") + spec.name;
  throw Error(ExitCode::kUsage, "--set model." + field + ": not a model field (have: " + known + ")");
}

}  // namespace shapeq
