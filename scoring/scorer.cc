#include "scoring/scorer.h"

#include <algorithm>
#include <cmath>

#include "common/error.h"
#include "scoring/cost.h"
#include "scoring/levers.h"

namespace shapeq {
namespace {

// Nodes to cover `need` at `per_node` each; the epsilon keeps 400.0000001 from becoming 401.
double NodesToCover(double need, double per_node) { return std::max(1.0, std::ceil(need / per_node * (1 - 1e-12))); }

NodeRate Slowest(std::initializer_list<std::pair<std::optional<double>, Bound>> terms) {
  NodeRate rate;
  for (const auto& [value, bound] : terms) {
    if (value && (!rate.value || *value < *rate.value)) rate = {value, bound};
  }
  return rate;
}

Check Requirement(const char* name, std::optional<double> required, std::optional<double> delivered) {
  Check check{name, false, required, delivered, std::nullopt, Status::kUnknown};
  if (required && delivered) {
    check.margin = *delivered / *required - 1;
    check.status = *check.margin >= -1e-9 ? Status::kPass : Status::kFail;
  }
  return check;
}

Check Limit(const char* name, std::optional<double> cap, std::optional<double> used) {
  Check check{name, true, cap, used, std::nullopt, Status::kUnknown};
  if (cap && used) {
    check.margin = *used > 0 ? *cap / *used - 1 : 1.0;
    check.status = *used <= *cap * (1 + 1e-12) ? Status::kPass : Status::kFail;
  }
  return check;
}

const ProtectionScheme& SchemeFor(const Shape& shape, const Target& target, const Model& model,
                                  const std::string& override_name) {
  const std::string& name = !override_name.empty() ? override_name : !target.protection.empty() ? target.protection : shape.protection;
  const auto it = model.schemes.find(name);
  if (it != model.schemes.end()) return it->second;
  const std::string where = !override_name.empty() ? "--protection" : !target.protection.empty() ? target.file : shape.file;
  throw BadInput(where, "field protection: \"" + name + "\" is not a scheme in " + model.file);
}

// How much of "what it would take" a score works out: levers re-scored, levers as found, or none.
enum class Levers { kVerified, kFound, kNone };

Verdict ScoreWith(const Shape& shape, const Target& target, const Model& model, const std::string& protection_override, Levers levers) {
  const ProtectionScheme& scheme = SchemeFor(shape, target, model, protection_override);
  if (!shape.drive_count.known() || !shape.drive_capacity_bytes.known()) {
    const char* field = shape.drive_count.known() ? "drive_capacity_tb" : "drive_count";
    throw BadInput(shape.file, std::string(field) + " unknown (" + (shape.*(shape.drive_count.known() ? &Shape::drive_capacity_bytes : &Shape::drive_count)).note +
                                   "): capacity sizes every shape; supply it with --set " + shape.name + "." + field + "=VALUE");
  }
  Verdict v;
  v.shape = shape.name;
  v.target = target.name;
  v.protection = scheme.name;
  auto unknown = [&v](const Figure& figure, const char* field) {
    if (!figure.known()) v.unknowns.push_back(field);
  };

  // Per node.
  PerNode& n = v.per_node;
  const double drives = *shape.drive_count.value;
  n.raw_bytes = drives * *shape.drive_capacity_bytes.value;
  n.efficiency = scheme.efficiency();
  n.write_amplification = 1 / n.efficiency;
  n.data_reduction_ratio = shape.data_reduction_ratio.known() ? std::min(target.data_reduction_ratio, *shape.data_reduction_ratio.value)
                                                              : target.data_reduction_ratio;
  n.usable_bytes = n.raw_bytes * n.efficiency * model.fill_fraction * n.data_reduction_ratio;
  n.nic_payload_bytes_per_s = ScaledIfKnown(shape.nic_gbps.value, 1e9 / 8 * model.protocol_efficiency);
  std::optional<double> cores_bound;  // bytes/s the cores can push through the data path
  const std::optional<double> cores_per_gbps = CoresPerGbytesPerS(shape, model);
  if (cores_per_gbps && shape.cores.known()) cores_bound = *shape.cores.value / *cores_per_gbps * 1e9;
  const double wa = n.write_amplification;
  n.read_bytes_per_s = Slowest({{shape.read_bytes_per_s.value, ServedBound(shape.read_bytes_per_s, shape.raw_read_bytes_per_s)},
                                {n.nic_payload_bytes_per_s, Bound::kNic},
                                {cores_bound, Bound::kCores}});
  n.write_bytes_per_s = Slowest({{ScaledIfKnown(shape.write_bytes_per_s.value, 1 / wa), ServedBound(shape.write_bytes_per_s, shape.raw_write_bytes_per_s)},
                                 {ScaledIfKnown(n.nic_payload_bytes_per_s, 1 / wa), Bound::kNic},
                                 {ScaledIfKnown(cores_bound, 1 / wa), Bound::kCores}});
  n.read_iops = Slowest({{shape.read_iops.value, Bound::kDrives},
                         {ScaledIfKnown(n.nic_payload_bytes_per_s, 1 / model.iops_block_bytes), Bound::kNic}});
  // A read/write mix: a write lands on the drives, and crosses the network, write-amplified times.
  const double write_share = target.write_fraction.value_or(0);
  n.mixed_iops = n.read_iops;
  if (write_share > 0) {
    std::optional<double> drives_mix;
    if (shape.read_iops.known() && shape.write_iops.known()) {
      drives_mix = 1 / ((1 - write_share) / *shape.read_iops.value + write_share * wa / *shape.write_iops.value);
    }
    n.mixed_iops = Slowest({{drives_mix, Bound::kDrives},
                            {ScaledIfKnown(n.nic_payload_bytes_per_s, 1 / (model.iops_block_bytes * (1 - write_share + write_share * wa))), Bound::kNic}});
  }
  unknown(shape.kind == "cloud-vm" ? shape.price_per_hour_usd : shape.capex_usd, shape.kind == "cloud-vm" ? "price_per_hour_usd" : "capex_usd");
  unknown(shape.read_bytes_per_s, "read_gbytes_per_s");
  unknown(shape.nic_gbps, "nic_gbps");

  // Nodes for each need; the largest binds.
  const double target_pb = *target.usable_bytes / kPB;
  double write_required = target.write_bytes_per_s.value_or(0);
  if (target.checkpoint_bytes) write_required = std::max(write_required, *target.checkpoint_bytes / *target.checkpoint_window_s);
  const double iops_required = target.iops_per_pb.value_or(0) * target_pb;
  v.nodes_for[NeedIndex(Need::kCapacity)] = NodesToCover(*target.usable_bytes, n.usable_bytes);
  if (target.read_bytes_per_s && n.read_bytes_per_s.value) v.nodes_for[NeedIndex(Need::kRead)] = NodesToCover(*target.read_bytes_per_s, *n.read_bytes_per_s.value);
  if (write_required > 0) {
    unknown(shape.write_bytes_per_s, "write_gbytes_per_s");
    if (n.write_bytes_per_s.value) v.nodes_for[NeedIndex(Need::kWrite)] = NodesToCover(write_required, *n.write_bytes_per_s.value);
  }
  if (iops_required > 0) {
    unknown(shape.read_iops, "read_iops");
    if (write_share > 0) unknown(shape.write_iops, "write_iops");
    if (n.mixed_iops.value) v.nodes_for[NeedIndex(Need::kIops)] = NodesToCover(iops_required, *n.mixed_iops.value);
  }
  // Protection width: nodes enough for the stripe, and, where a loss must be survived, for no
  // node (rack) to hold more strips of one stripe than the code recovers whatever they are
  // (its tolerance: the parity, or an LRC's global parities + 1): ceil(width / tolerance).
  const double width = scheme.width();
  const double parity = scheme.tolerance();
  const bool survive_node = target.must_survive == "node" || target.must_survive == "rack";
  const bool survive_rack = target.must_survive == "rack";
  v.nodes_for[NeedIndex(Need::kProtectionWidth)] = scheme.per_drive ? std::ceil(width / drives) : width;
  if ((survive_node && scheme.per_drive) || survive_rack) v.nodes_for[NeedIndex(Need::kProtectionWidth)] = std::max(*v.nodes_for[NeedIndex(Need::kProtectionWidth)], std::ceil(width / parity));
  for (size_t i = 0; i < kNeedCount; ++i) {
    if (v.nodes_for[i] && *v.nodes_for[i] > v.nodes) {
      v.nodes = *v.nodes_for[i];
      v.limiting = static_cast<Need>(i);
    }
  }

  // Racks: space or power per rack, whichever allows fewer nodes (front-end nodes count in both).
  std::optional<double> by_space, by_power;
  const bool cloud = shape.kind == "cloud-vm";
  if (const auto units = NodeUnits(shape)) by_space = std::max(1.0, std::floor((model.rack_units - model.rack_overhead_units) / *units));
  if (const auto watts = NodeWatts(shape)) by_power = std::max(1.0, std::floor(model.kw_per_rack * 1000 / *watts));
  unknown(shape.rack_units, "rack_units");
  unknown(shape.watts, "watts");
  if (shape.frontend_nodes_per_node.value.value_or(0) > 0) {
    unknown(shape.frontend_node_watts, "frontend_node_watts");
    if (!cloud) unknown(shape.frontend_node_capex_usd, "frontend_node_capex_usd");
  }
  if (by_space || by_power) {
    const bool power_binds = by_power && (!by_space || *by_power < *by_space);
    v.nodes_per_rack = power_binds ? by_power : by_space;
    v.rack_bound = power_binds ? "power" : "space";
    v.racks = std::ceil(v.nodes / *v.nodes_per_rack);
    // Surviving a rack loss: spread over enough racks that none holds more strips than the parity.
    if (survive_rack && !cloud && *v.racks < std::ceil(width / parity)) {
      v.racks = std::ceil(width / parity);
      v.nodes_per_rack = std::ceil(v.nodes / *v.racks);
      v.rack_bound = "domain";
    }
  }

  // Failure domains: strips land evenly on the nodes (over drives: a node may hold several) and
  // on the racks, or a cloud's fault domains (a deployment cannot choose more of those).
  Availability& a = v.availability;
  a.parity = scheme.parity;
  a.tolerates = scheme.tolerance();
  a.strips_per_node = scheme.per_drive ? std::min(drives, std::ceil(width / v.nodes)) : 1;
  a.survives_node = a.strips_per_node <= parity;
  a.domain = cloud ? "fault domain" : "rack";
  a.domains = cloud ? std::optional(std::min(model.cloud_fault_domains, v.nodes)) : v.racks;
  if (a.domains) {
    a.strips_per_domain = std::max(a.strips_per_node, std::ceil(width / *a.domains));
    a.survives_domain = *a.strips_per_domain <= parity;
  }
  if (n.read_bytes_per_s.value && v.nodes > 1) {
    // Each lost strip is rebuilt from reads_per_rebuilt_strip others, read by the surviving nodes.
    const double bytes_per_s = *n.read_bytes_per_s.value * (v.nodes - 1) * model.rebuild_share;
    const double reads = scheme.reads_per_rebuilt_strip();
    a.drive_rebuild_s = *shape.drive_capacity_bytes.value * model.fill_fraction * reads / bytes_per_s;
    a.node_rebuild_s = n.raw_bytes * model.fill_fraction * reads / bytes_per_s;
  }

  // Totals and delivered figures.
  v.kw = ScaledIfKnown(NodeWatts(shape), v.nodes / 1000);
  v.cost = CostOf(shape, model, v);
  v.usd_per_month = v.cost.total;
  n.usd_per_month = ScaledIfKnown(v.cost.total, 1 / v.nodes);
  v.usd_per_pb_month = ScaledIfKnown(v.usd_per_month, 1 / target_pb);
  v.usable_bytes = v.nodes * n.usable_bytes;
  v.read_bytes_per_s = ScaledIfKnown(n.read_bytes_per_s.value, v.nodes);
  v.write_bytes_per_s = ScaledIfKnown(n.write_bytes_per_s.value, v.nodes);
  v.read_tbps_per_pb = ScaledIfKnown(v.read_bytes_per_s, 1 / 1e12 / target_pb);
  v.iops_per_pb = ScaledIfKnown(n.mixed_iops.value, v.nodes / target_pb);
  if (target.gpus) v.pb_per_gpu = v.usable_bytes / kPB / *target.gpus;

  // A shape without a price: the price its budget allows.
  if (levers != Levers::kNone && !(cloud ? shape.price_per_hour_usd : shape.capex_usd).known()) {
    BreakEven b;
    b.field = cloud ? "price_per_hour_usd" : "capex_usd";
    if (target.budget_usd_per_pb_month) b.for_budget = PriceFor(v, *target.budget_usd_per_pb_month, shape, target, model);
    v.break_even = b;
  }

  // Checks: requirements (at least) then limits (at most).
  v.checks.reserve(12);
  v.checks.push_back(Requirement("capacity", target.usable_bytes, v.usable_bytes));
  if (target.read_bytes_per_s) v.checks.push_back(Requirement("read", target.read_bytes_per_s, v.read_bytes_per_s));
  if (target.write_bytes_per_s) v.checks.push_back(Requirement("write", target.write_bytes_per_s, v.write_bytes_per_s));
  if (target.checkpoint_bytes) v.checks.push_back(Requirement("checkpoint", write_required, v.write_bytes_per_s));
  if (target.iops_per_pb) v.checks.push_back(Requirement("iops", target.iops_per_pb, v.iops_per_pb));
  if (target.p99_latency_s) {
    v.checks.push_back(Limit("p99_latency", target.p99_latency_s, shape.read_p99_latency_s.value));
    unknown(shape.read_p99_latency_s, "read_p99_latency_ms");
  }
  if (survive_node) {
    v.checks.push_back(Limit("node_loss", parity, a.strips_per_node));
    // Re-protecting after the loss needs the lost share free: what fill leaves.
    v.checks.push_back(Limit("spare", 1 - model.fill_fraction, survive_rack && a.domains ? 1 / *a.domains : 1 / v.nodes));
  }
  if (survive_rack) v.checks.push_back(Limit("rack_loss", parity, a.strips_per_domain));
  if (target.max_rebuild_s) v.checks.push_back(Limit("rebuild", target.max_rebuild_s, a.node_rebuild_s));
  if (target.budget_usd_per_pb_month) v.checks.push_back(Limit("budget", target.budget_usd_per_pb_month, v.usd_per_pb_month));
  if (target.max_racks) v.checks.push_back(Limit("racks", target.max_racks, v.racks));
  if (target.max_kw) v.checks.push_back(Limit("power", target.max_kw, v.kw));
  const bool any_fail = std::any_of(v.checks.begin(), v.checks.end(), [](const Check& c) { return c.status == Status::kFail; });
  const bool any_unknown = std::any_of(v.checks.begin(), v.checks.end(), [](const Check& c) { return c.status == Status::kUnknown; });
  v.status = any_fail ? Status::kFail : any_unknown ? Status::kUnknown : Status::kPass;
  if (any_fail && levers != Levers::kNone) {
    FindLevers(shape, target, model, v, write_required, iops_required);
    if (levers == Levers::kVerified) {
      VerifyLevers(shape, model, [&](const Shape& s, const Model& m) { return ScoreWith(s, target, m, protection_override, Levers::kFound); }, v);
    }
  }
  return v;
}

}  // namespace

Bound ServedBound(const Figure& figure, const Figure& drives_alone) {
  const bool cores = figure.known() && drives_alone.known() && *figure.value < *drives_alone.value * (1 - kServedNoiseFraction);
  return cores ? Bound::kCores : Bound::kDrives;
}

std::optional<double> CoresPerGbytesPerS(const Shape& shape, const Model& model) {
  return shape.cores_per_gbytes_per_s.known() ? shape.cores_per_gbytes_per_s.value : model.cores_per_gbytes_per_s;
}

Verdict Score(const Shape& shape, const Target& target, const Model& model, const std::string& protection_override) {
  return ScoreWith(shape, target, model, protection_override, Levers::kVerified);
}

Verdict ScoreFigures(const Shape& shape, const Target& target, const Model& model, const std::string& protection_override) {
  return ScoreWith(shape, target, model, protection_override, Levers::kNone);
}

}  // namespace shapeq
