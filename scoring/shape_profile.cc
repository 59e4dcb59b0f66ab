#include "scoring/shape_profile.h"

#include "common/error.h"
#include "scoring/profile_json.h"

namespace shapeq {
namespace {

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

Shape LoadShape(const std::string& path) {
  const nlohmann::json json = ParseProfileFile(path);
  const FieldReader r(path, json);
  r.OnlyFields({"schema", "schema_version", "title", "kind", "protection", "cloud_sku", "sources", "figures", "note"});
  r.Schema("shapeq.shape", 1);
  Shape shape;
  ReadProfileHead(r, path, shape);
  shape.kind = r.String("kind", true);
  if (shape.kind != "cloud-vm" && shape.kind != "on-prem") r.Fail("kind", "expected \"cloud-vm\" or \"on-prem\"");
  shape.protection = r.String("protection", true);
  shape.cloud_sku = r.String("cloud_sku", false);
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

}  // namespace shapeq
