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
  if (!object) return Figure{std::nullopt, Basis::kUnknown, "", "not in the profile", std::nullopt};
  const FieldReader r = figures.Nested(spec.name, *object);
  r.OnlyFields({"value", "basis", "source", "note", "low", "high", "range_note"});
  Figure figure;
  figure.basis = ParseBasis(r, r.String("basis", true));
  figure.note = r.String("note", false);
  if (figure.basis == Basis::kUnknown) {
    if (r.json().contains("value") && !r.json()["value"].is_null()) r.Fail("value", "must be null when basis is unknown");
    for (const char* field : {"low", "high"}) {
      if (r.json().contains(field)) r.Fail(field, "an unknown figure has no range");
    }
    return figure;
  }
  const bool whole = std::string(spec.name) == "drive_count" || std::string(spec.name) == "cores";
  figure.value = whole ? static_cast<double>(*r.Integer("value", true)) : *r.Number("value", true, spec.allow_zero);
  *figure.value *= spec.to_si;
  figure.source = r.String("source", true);
  if (!shape.sources.count(figure.source)) r.Fail("source", "\"" + figure.source + "\" is not a key of sources");
  const double share_max = std::string(spec.name) == "host_share" ? 1 : kMaxProfileNumber;
  if (const auto range = ReadRange(r, *figure.value / spec.to_si, spec.allow_zero, share_max, "a share is at most 1")) {
    figure.range = Range{range->low * spec.to_si, range->high * spec.to_si, range->why};
  }
  return figure;
}

bool IsPrice(const ShapeField& spec) {
  const std::string name = spec.name;
  return name == "price_per_hour_usd" || name == "capex_usd" || name == "drive_price_usd" || name == "frontend_node_capex_usd";
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
      {"host_watts", &Shape::host_watts, 1, "power of the physical host a cloud VM runs on, W (optional; with host_share gives watts)", true},
      {"host_rack_units", &Shape::host_rack_units, 1, "rack space of that host, U (optional; with host_share gives rack_units)", true},
      {"host_share", &Shape::host_share, 1, "the VM's share of its host, (0, 1] (optional)", true},
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
  // A host's share stands for watts and rack_units: a profile gives one or the other.
  const bool from_host = figures.json().contains("host_share");
  std::vector<std::string> names;
  for (const auto& spec : ShapeFields()) {
    names.push_back(spec.name);
    const bool derived = from_host && (spec.member == &Shape::watts || spec.member == &Shape::rack_units);
    if (derived && figures.json().contains(spec.name)) figures.Fail(spec.name, "give it or host_share with host_watts and host_rack_units, not both");
    if (derived) continue;
    shape.*spec.member = ReadFigure(figures, spec, shape);
  }
  figures.OnlyFields(names);
  if (from_host) {
    if (*shape.host_share.value > 1) figures.Fail("host_share", "a share is at most 1");
    for (const char* field : {"host_watts", "host_rack_units"}) {
      if (!figures.json().contains(field)) figures.Fail(field, "required with host_share");
    }
    DeriveHostShare(shape);
  }
  if (!shape.drive_count.known() || !shape.drive_capacity_bytes.known()) {
    figures.Fail(shape.drive_count.known() ? "drive_capacity_tb" : "drive_count", "must be known: capacity sizes every shape");
  }
  return shape;
}

void SetShapeFigure(Shape& shape, const std::string& field, double profile_value) {
  for (const auto& spec : ShapeFields()) {
    if (field != spec.name) continue;
    CheckSetValue(shape.name, field, profile_value, spec.allow_zero);
    if (spec.member == &Shape::host_share && profile_value > 1) throw Error(ExitCode::kUsage, "--set " + shape.name + ".host_share: a share is at most 1");
    SetCoupledFigure(shape, spec.member, profile_value * spec.to_si);
    Figure& figure = shape.*spec.member;
    figure.basis = Basis::kEstimated;
    figure.source = "user";
    figure.note = "supplied with --set";
    figure.range.reset();  // what the user states is what is scored
    shape.sources["user"] = "supplied on the command line";
    return;
  }
  throw Error(ExitCode::kUsage, "--set: " + field + " is not a shape figure");
}

void SetCoupledFigure(Shape& shape, Figure Shape::*member, double value_si) {
  Figure& figure = shape.*member;
  if (member == &Shape::drive_price_usd && shape.capex_usd.known() && figure.known()) {
    *shape.capex_usd.value += (value_si - *figure.value) * *shape.drive_count.value;
  }
  figure.value = value_si;
  if (member == &Shape::host_watts || member == &Shape::host_rack_units || member == &Shape::host_share) DeriveHostShare(shape);
}

void DeriveHostShare(Shape& shape) {
  if (!shape.host_share.known() || !shape.host_watts.known() || !shape.host_rack_units.known()) return;
  const Figure& share = shape.host_share;
  auto derive = [&share](const Figure& host, const char* what) {
    Figure f;
    f.value = *host.value * *share.value;
    f.basis = Basis::kDerived;
    f.source = host.source;
    f.note = std::string("the VM's share of its host's ") + what + ": host x host_share";
    if (host.range || share.range) {
      const Range h = host.range.value_or(Range{*host.value, *host.value, ""});
      const Range s = share.range.value_or(Range{*share.value, *share.value, ""});
      f.range = Range{h.low * s.low, h.high * s.high, "the host's range times the share's"};
    }
    return f;
  };
  shape.watts = derive(shape.host_watts, "power");
  shape.rack_units = derive(shape.host_rack_units, "rack space");
}

std::vector<std::string> FiguresWithoutRange(const Shape& shape) {
  std::vector<std::string> missing;
  for (const auto& spec : ShapeFields()) {
    const Figure& f = shape.*spec.member;
    if (f.known() && !f.range && (f.basis == Basis::kEstimated || IsPrice(spec))) missing.push_back(spec.name);
  }
  return missing;
}

}  // namespace shapeq
