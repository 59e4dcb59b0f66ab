#include "scoring/scorer.h"

#include <algorithm>
#include <cmath>
#include <iterator>

#include "common/error.h"
#include "common/json_optional.h"

namespace shapeq {
namespace {

constexpr double kPB = 1e15;

// Nodes to cover `need` at `per_node` each; the epsilon keeps 400.0000001 from becoming 401.
double NodesFor(double need, double per_node) { return std::max(1.0, std::ceil(need / per_node * (1 - 1e-12))); }

NodeRate Slowest(std::initializer_list<std::pair<std::optional<double>, Bound>> terms) {
  NodeRate rate;
  for (const auto& [value, bound] : terms) {
    if (value && (!rate.value || *value < *rate.value)) rate = {value, bound};
  }
  return rate;
}

std::optional<double> Times(std::optional<double> a, double b) { return a ? std::optional(*a * b) : std::nullopt; }

// Keeps one lever per field and direction: the strictest.
void AddLever(std::vector<Lever>& levers, Lever lever) {
  for (auto& existing : levers) {
    if (existing.field != lever.field || existing.comparison != lever.comparison) continue;
    const bool stricter = lever.comparison[0] == '>' ? lever.value > existing.value : lever.value < existing.value;
    if (stricter) existing = lever;
    return;
  }
  levers.push_back(lever);
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

// A storage node's power and rack space with its share of front-end nodes (a disaggregated
// design's controllers); nullopt when the node's own is unknown.
std::optional<double> NodeWatts(const Shape& shape) {
  if (!shape.watts.known()) return std::nullopt;
  return *shape.watts.value + shape.frontend_nodes_per_node.value.value_or(0) * shape.frontend_node_watts.value.value_or(0);
}
std::optional<double> NodeUnits(const Shape& shape) {
  if (!shape.rack_units.known()) return std::nullopt;
  return *shape.rack_units.value + shape.frontend_nodes_per_node.value.value_or(0) * shape.frontend_node_rack_units.value.value_or(0);
}

// The part of capex_usd that is drives (refreshed on their own lifetime); 0 when not stated.
double DrivePart(const Shape& shape) {
  return shape.drive_price_usd.known() ? *shape.drive_price_usd.value * *shape.drive_count.value : 0;
}

// The deployment's monthly cost by part at its node and rack counts.
CostParts CostOf(const Shape& shape, const Model& model, const Verdict& v) {
  CostParts c;
  const double nodes = v.nodes;
  const double protected_tb = v.per_node.raw_bytes * v.per_node.efficiency / 1e12 * nodes;
  const double software_rate = shape.software_usd_per_tb_month.value.value_or(model.software_usd_per_tb_month);
  if (software_rate > 0) c.software = protected_tb * software_rate;
  auto sum = [&c](std::initializer_list<std::optional<double>> parts) {
    double total = 0;
    for (const auto& part : parts) total += part.value_or(0);
    return total;
  };
  if (shape.kind == "cloud-vm") {
    c.rent = Times(shape.price_per_hour_usd.value, model.hours_per_month * nodes);
    if (c.rent) c.total = sum({c.rent, c.software});
    return c;
  }
  const double months = model.amortization_years * 12;
  if (shape.capex_usd.known()) {
    const double drives = DrivePart(shape);
    c.node_capex = std::max(0.0, *shape.capex_usd.value - drives) / months * nodes;
    if (drives > 0) c.drive_capex = drives / (model.drive_lifetime_years * 12) * nodes;
  }
  c.power = Times(NodeWatts(shape), nodes / 1000 * model.hours_per_month * model.usd_per_kwh);
  if (model.usd_per_rack_month > 0 && v.racks) c.space = *v.racks * model.usd_per_rack_month;
  const double ports = shape.network_ports.value.value_or(model.network_ports_per_node) * model.usd_per_network_port_month;
  if (ports > 0) c.ports = ports * nodes;
  const double frontends = shape.frontend_nodes_per_node.value.value_or(0) * nodes;
  if (frontends > 0 && shape.frontend_node_capex_usd.known()) c.frontend = frontends * *shape.frontend_node_capex_usd.value / months;
  if (c.node_capex && c.power) c.total = sum({c.node_capex, c.drive_capex, c.power, c.space, c.ports, c.frontend, c.software});
  return c;
}

// What it would take: the per-node figures that would let `max_nodes` nodes meet every need,
// and for each failing limit the input that would pass it at today's node count.
void FindLevers(const Shape& shape, const Target& target, const Model& model, Verdict& v, double write_required,
                double iops_required) {
  const PerNode& n = v.per_node;
  std::optional<double> max_nodes;
  auto cap = [&max_nodes](std::optional<double> nodes) {
    if (nodes) max_nodes = std::min(max_nodes.value_or(*nodes), *nodes);
  };
  if (target.budget_usd_per_pb_month && n.usd_per_month) {
    cap(std::floor(*target.budget_usd_per_pb_month * (*target.usable_bytes / kPB) / *n.usd_per_month));
  }
  if (target.max_racks && v.nodes_per_rack) cap(*target.max_racks * *v.nodes_per_rack);
  if (target.max_kw && NodeWatts(shape)) cap(std::floor(*target.max_kw * 1000 / *NodeWatts(shape)));

  if (max_nodes && *max_nodes >= 1 && *max_nodes < v.nodes) {
    const double m = *max_nodes;
    const double bits = 8 / 1e9;
    auto nic_for = [&](double bytes_per_s, const char* why) {
      AddLever(v.levers, {"nic_gbps", ">=", bytes_per_s / model.protocol_efficiency * bits, why});
    };
    if (v.nodes_for[0] && *v.nodes_for[0] > m) {
      const double drives = *shape.drive_count.value;
      AddLever(v.levers, {"drive_capacity_tb", ">=",
                          *target.usable_bytes / (m * drives * n.efficiency * model.fill_fraction * n.data_reduction_ratio) / 1e12,
                          "capacity"});
    }
    if (v.nodes_for[1] && *v.nodes_for[1] > m) {
      const double need = *target.read_bytes_per_s / m;
      if (n.nic_payload_bytes_per_s && *n.nic_payload_bytes_per_s < need) nic_for(need, "read");
      if (shape.read_bytes_per_s.known() && *shape.read_bytes_per_s.value < need) {
        AddLever(v.levers, {"read_gbytes_per_s", ">=", need / 1e9, "read"});
      }
      // Cores-bound (the model's per-GB/s cost, or a served figure under the drives'): the data
      // path scales with cores.
      if (n.read_bytes_per_s.bound == Bound::kCores && shape.cores.known()) {
        AddLever(v.levers, {"cores", ">=", std::ceil(*shape.cores.value * need / *n.read_bytes_per_s.value), "read"});
      }
    }
    if (v.nodes_for[2] && *v.nodes_for[2] > m) {
      const double need = write_required * n.write_amplification / m;  // bytes each node must absorb
      if (n.nic_payload_bytes_per_s && *n.nic_payload_bytes_per_s < need) nic_for(need, "write");
      if (shape.write_bytes_per_s.known() && *shape.write_bytes_per_s.value < need) {
        AddLever(v.levers, {"write_gbytes_per_s", ">=", need / 1e9, "write"});
      }
      if (n.write_bytes_per_s.bound == Bound::kCores && shape.cores.known()) {
        AddLever(v.levers, {"cores", ">=", std::ceil(*shape.cores.value * need / (*n.write_bytes_per_s.value * n.write_amplification)), "write"});
      }
    }
    if (v.nodes_for[3] && *v.nodes_for[3] > m) {
      const double need = iops_required / m;  // operations each node must serve
      const double w = target.write_fraction.value_or(0);
      const double wa = n.write_amplification;
      // Each device's figure that, with the other as it is, serves `need` of the mix.
      if (shape.read_iops.known() && (w == 0 || shape.write_iops.known())) {
        const double left = 1 / need - (w > 0 ? w * wa / *shape.write_iops.value : 0);
        if (left > 0 && w < 1 && *shape.read_iops.value < (1 - w) / left) AddLever(v.levers, {"read_iops", ">=", (1 - w) / left, "iops"});
      }
      if (w > 0 && shape.write_iops.known() && shape.read_iops.known()) {
        const double left = 1 / need - (1 - w) / *shape.read_iops.value;
        if (left > 0 && *shape.write_iops.value < w * wa / left) AddLever(v.levers, {"write_iops", ">=", w * wa / left, "iops"});
      }
      if (n.mixed_iops.bound == Bound::kNic) nic_for(need * model.iops_block_bytes * (1 - w + w * wa), "iops");
    }
    if (v.nodes_for[4] && *v.nodes_for[4] > m) AddLever(v.levers, {"protection_width", "<=", m, "protection width"});
  }

  // Direct levers at today's node count.
  for (const Check& check : v.checks) {
    if (check.status != Status::kFail) continue;
    const std::string_view name = check.name;
    if (name == "budget") {
      if (const auto price = PriceFor(v, *target.budget_usd_per_pb_month, shape, target, model)) {
        AddLever(v.levers, {shape.kind == "cloud-vm" ? "price_per_hour_usd" : "capex_usd", "<=", *price, "budget"});
      }
    } else if (name == "rack_loss" && shape.kind == "cloud-vm") {
      // A cloud spreads over the fault domains it offers: enough that none holds more than the parity.
      const ProtectionScheme& scheme = model.schemes.at(v.protection);
      AddLever(v.levers, {"cloud_fault_domains", ">=", std::ceil(static_cast<double>(scheme.width()) / scheme.parity), "rack_loss"});
    } else if (name == "rebuild" && v.availability.node_rebuild_s) {
      AddLever(v.levers, {"rebuild_share", ">=", model.rebuild_share * *v.availability.node_rebuild_s / *target.max_rebuild_s, "rebuild"});
    } else if (name == "p99_latency") {
      AddLever(v.levers, {"read_p99_latency_ms", "<=", *target.p99_latency_s * 1e3, "p99_latency"});
    } else if (name == "power") {
      AddLever(v.levers, {"watts", "<=", *target.max_kw * 1000 / v.nodes - (*NodeWatts(shape) - *shape.watts.value), "power"});
    } else if (name == "racks") {
      const double per_rack = std::ceil(v.nodes / *target.max_racks);
      // A node's own space or power, its front-end share apart; racks spread for a rack loss
      // (bound "domain") are not fewer for either.
      if (v.rack_bound == "space") {
        AddLever(v.levers, {"rack_units", "<=", (model.rack_units - model.rack_overhead_units) / per_rack - (*NodeUnits(shape) - *shape.rack_units.value), "racks"});
      } else if (v.rack_bound == "power") {
        AddLever(v.levers, {"kw_per_rack", ">=", per_rack * *NodeWatts(shape) / 1000, "racks"});
      }
    }
  }
}

}  // namespace

Bound ServedBound(const Figure& figure, const Figure& drives_alone) {
  const bool cores = figure.known() && drives_alone.known() && *figure.value < *drives_alone.value * (1 - kServedNoiseFraction);
  return cores ? Bound::kCores : Bound::kDrives;
}

std::optional<double> CoresPerGbytesPerS(const Shape& shape, const Model& model) {
  return shape.cores_per_gbytes_per_s.known() ? shape.cores_per_gbytes_per_s.value : model.cores_per_gbytes_per_s;
}

const char* NeedName(Need need) {
  static constexpr const char* kNames[] = {"capacity", "read", "write", "iops", "protection width"};
  return kNames[static_cast<size_t>(need)];
}

const char* BoundName(Bound bound) {
  static constexpr const char* kNames[] = {"drives", "nic", "cores", "unknown"};
  return kNames[static_cast<size_t>(bound)];
}

const char* StatusName(Status status) {
  static constexpr const char* kNames[] = {"pass", "fail", "unknown"};
  return kNames[static_cast<size_t>(status)];
}

namespace {

Verdict ScoreWith(const Shape& shape, const Target& target, const Model& model, const std::string& protection_override, bool verify);

// Re-scores each lever alone, and all of them together (then the levers the result still asks
// for, a few rounds): hints are printed only as what was shown to pass.
void VerifyLevers(const Shape& shape, const Target& target, const Model& model, const std::string& protection_override, Verdict& v) {
  for (auto& lever : v.levers) {
    Shape s = shape;
    Model m = model;
    lever.alone = ApplyLever(s, m, lever) && ScoreWith(s, target, m, protection_override, false).status == Status::kPass;
  }
  // Together: the levers that do not pass alone (they answer different failing checks, or one
  // need each at the node count a limit allows), and what the result still asks for.
  std::vector<Lever> applied, next;
  std::copy_if(v.levers.begin(), v.levers.end(), std::back_inserter(next), [](const Lever& l) { return !l.alone; });
  Shape s = shape;
  Model m = model;
  for (int round = 0; round < 4 && !next.empty(); ++round) {
    for (const auto& lever : next) {
      if (ApplyLever(s, m, lever)) AddLever(applied, {lever.field, lever.comparison, lever.value, lever.why, false});
    }
    const Verdict again = ScoreWith(s, target, m, protection_override, false);
    if (again.status == Status::kPass) {
      if (applied.size() > 1) v.levers_together = applied;
      return;
    }
    if (again.status != Status::kFail) return;  // unknown figures: no pass can be shown
    next = again.levers;
  }
}

}  // namespace

double RoundToThreeFigures(double value, bool up) {
  if (value == 0 || !std::isfinite(value)) return value;
  const double scale = std::pow(10.0, std::floor(std::log10(std::abs(value))) - 2);
  const double steps = value / scale;
  // An exact step stays put: 140 is not rounded up to 141 by a last-bit error.
  const double nearest = std::round(steps);
  if (std::abs(steps - nearest) < 1e-9 * std::abs(steps)) return nearest * scale;
  return (up ? std::ceil(steps) : std::floor(steps)) * scale;
}

std::optional<double> PriceFor(const Verdict& v, double usd_per_pb_month, const Shape& shape, const Target& target, const Model& model) {
  const CostParts& c = v.cost;
  const bool cloud = shape.kind == "cloud-vm";
  if (!cloud && !c.power) return std::nullopt;
  // Everything but the price is fixed at this node count; the price part is what is left.
  const double others = c.power.value_or(0) + c.space.value_or(0) + c.ports.value_or(0) + c.frontend.value_or(0) + c.software.value_or(0);
  const double per_node_month = (usd_per_pb_month * (*target.usable_bytes / kPB) - others) / v.nodes;
  if (per_node_month <= 0) return std::nullopt;
  if (cloud) return per_node_month / model.hours_per_month;
  const double drives = DrivePart(shape);
  const double drives_month = drives / (model.drive_lifetime_years * 12);
  if (per_node_month <= drives_month) return std::nullopt;
  return (per_node_month - drives_month) * model.amortization_years * 12 + drives;
}

bool ApplyLever(Shape& shape, Model& model, const Lever& lever) {
  const bool at_least = lever.comparison == ">=";
  // The model's terms a deployment can change: rack power, the cloud's fault domains, rebuild share.
  if (lever.field == "kw_per_rack" || lever.field == "cloud_fault_domains" || lever.field == "rebuild_share") {
    for (const auto& spec : ModelFields()) {
      if (lever.field != spec.name) continue;
      const double value = at_least ? std::max(model.*spec.member, lever.value) : std::min(model.*spec.member, lever.value);
      if (value > spec.max) return false;  // a share over 1
      model.*spec.member = value;
      return true;
    }
  }
  for (const auto& spec : ShapeFields()) {
    if (lever.field != spec.name) continue;
    const Figure& now = shape.*spec.member;
    double value = lever.value;
    if (now.known()) {
      const double current = *now.value / spec.to_si;
      value = at_least ? std::max(current, value) : std::min(current, value);
    }
    try {
      SetShapeFigure(shape, spec.name, value);  // refuses what no profile could hold (0, 1e-9 W, 1e20 TB)
    } catch (const Error&) {
      return false;
    }
    return true;
  }
  return false;
}

Verdict Score(const Shape& shape, const Target& target, const Model& model, const std::string& protection_override) {
  return ScoreWith(shape, target, model, protection_override, true);
}

namespace {

Verdict ScoreWith(const Shape& shape, const Target& target, const Model& model, const std::string& protection_override, bool verify) {
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
  n.nic_payload_bytes_per_s = Times(shape.nic_gbps.value, 1e9 / 8 * model.protocol_efficiency);
  std::optional<double> cores_bound;  // bytes/s the cores can push through the data path
  const std::optional<double> cores_per_gbps = CoresPerGbytesPerS(shape, model);
  if (cores_per_gbps && shape.cores.known()) cores_bound = *shape.cores.value / *cores_per_gbps * 1e9;
  const double wa = n.write_amplification;
  n.read_bytes_per_s = Slowest({{shape.read_bytes_per_s.value, ServedBound(shape.read_bytes_per_s, shape.raw_read_bytes_per_s)},
                                {n.nic_payload_bytes_per_s, Bound::kNic},
                                {cores_bound, Bound::kCores}});
  n.write_bytes_per_s = Slowest({{Times(shape.write_bytes_per_s.value, 1 / wa), ServedBound(shape.write_bytes_per_s, shape.raw_write_bytes_per_s)},
                                 {Times(n.nic_payload_bytes_per_s, 1 / wa), Bound::kNic},
                                 {Times(cores_bound, 1 / wa), Bound::kCores}});
  n.read_iops = Slowest({{shape.read_iops.value, Bound::kDrives},
                         {Times(n.nic_payload_bytes_per_s, 1 / model.iops_block_bytes), Bound::kNic}});
  // A read/write mix: a write lands on the drives, and crosses the network, write-amplified times.
  const double write_share = target.write_fraction.value_or(0);
  n.mixed_iops = n.read_iops;
  if (write_share > 0) {
    std::optional<double> drives_mix;
    if (shape.read_iops.known() && shape.write_iops.known()) {
      drives_mix = 1 / ((1 - write_share) / *shape.read_iops.value + write_share * wa / *shape.write_iops.value);
    }
    n.mixed_iops = Slowest({{drives_mix, Bound::kDrives},
                            {Times(n.nic_payload_bytes_per_s, 1 / (model.iops_block_bytes * (1 - write_share + write_share * wa))), Bound::kNic}});
  }
  unknown(shape.kind == "cloud-vm" ? shape.price_per_hour_usd : shape.capex_usd, shape.kind == "cloud-vm" ? "price_per_hour_usd" : "capex_usd");
  unknown(shape.read_bytes_per_s, "read_gbytes_per_s");
  unknown(shape.nic_gbps, "nic_gbps");

  // Nodes for each need; the largest binds.
  const double target_pb = *target.usable_bytes / kPB;
  double write_required = target.write_bytes_per_s.value_or(0);
  if (target.checkpoint_bytes) write_required = std::max(write_required, *target.checkpoint_bytes / *target.checkpoint_window_s);
  const double iops_required = target.iops_per_pb.value_or(0) * target_pb;
  v.nodes_for[0] = NodesFor(*target.usable_bytes, n.usable_bytes);
  if (target.read_bytes_per_s && n.read_bytes_per_s.value) v.nodes_for[1] = NodesFor(*target.read_bytes_per_s, *n.read_bytes_per_s.value);
  if (write_required > 0) {
    unknown(shape.write_bytes_per_s, "write_gbytes_per_s");
    if (n.write_bytes_per_s.value) v.nodes_for[2] = NodesFor(write_required, *n.write_bytes_per_s.value);
  }
  if (iops_required > 0) {
    unknown(shape.read_iops, "read_iops");
    if (write_share > 0) unknown(shape.write_iops, "write_iops");
    if (n.mixed_iops.value) v.nodes_for[3] = NodesFor(iops_required, *n.mixed_iops.value);
  }
  // Protection width: nodes enough for the stripe, and, where a loss must be survived, for no
  // node (rack) to hold more strips of one stripe than the parity: ceil(width / parity).
  const double width = scheme.width();
  const double parity = scheme.parity;
  const bool survive_node = target.must_survive == "node" || target.must_survive == "rack";
  const bool survive_rack = target.must_survive == "rack";
  v.nodes_for[4] = scheme.per_drive ? std::ceil(width / drives) : width;
  if ((survive_node && scheme.per_drive) || survive_rack) v.nodes_for[4] = std::max(*v.nodes_for[4], std::ceil(width / parity));
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
  v.kw = Times(NodeWatts(shape), v.nodes / 1000);
  v.cost = CostOf(shape, model, v);
  v.usd_per_month = v.cost.total;
  n.usd_per_month = Times(v.cost.total, 1 / v.nodes);
  v.usd_per_pb_month = Times(v.usd_per_month, 1 / target_pb);
  v.usable_bytes = v.nodes * n.usable_bytes;
  v.read_bytes_per_s = Times(n.read_bytes_per_s.value, v.nodes);
  v.write_bytes_per_s = Times(n.write_bytes_per_s.value, v.nodes);
  v.read_tbps_per_pb = Times(v.read_bytes_per_s, 1 / 1e12 / target_pb);
  v.iops_per_pb = Times(n.mixed_iops.value, v.nodes / target_pb);
  if (target.gpus) v.pb_per_gpu = v.usable_bytes / kPB / *target.gpus;

  // A shape without a price: the price its budget allows.
  if (!(cloud ? shape.price_per_hour_usd : shape.capex_usd).known()) {
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
  if (any_fail) {
    FindLevers(shape, target, model, v, write_required, iops_required);
    for (auto& lever : v.levers) lever.value = RoundToThreeFigures(lever.value, lever.comparison == ">=");
    if (verify) VerifyLevers(shape, target, model, protection_override, v);
  }
  return v;
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
          {"parity", a.parity}, {"survives_node", a.survives_node}, {"survives_domain", a.survives_domain},
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
    for (const auto& l : ls) out.push_back({{"field", l.field}, {"comparison", l.comparison}, {"value", l.value}, {"answers", l.why}, {"alone", l.alone}});
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
       {"nodes", v.nodes},
       {"limiting_factor", NeedName(v.limiting)},
       {"nodes_per_rack", v.nodes_per_rack},
       {"racks_bound_by", v.rack_bound},
       {"racks", v.racks},
       {"kw", v.kw},
       {"usd_per_month", v.usd_per_month},
       {"usd_per_pb_month", v.usd_per_pb_month},
       {"cost_usd_per_month", CostJson(v.cost)},
       {"availability", AvailabilityJson(v.availability)},
       {"usable_bytes", v.usable_bytes},
       {"read_bytes_per_s", v.read_bytes_per_s},
       {"write_bytes_per_s", v.write_bytes_per_s},
       {"read_tbps_per_pb", v.read_tbps_per_pb},
       {"iops_per_pb", v.iops_per_pb},
       {"pb_per_gpu", v.pb_per_gpu},
       {"checks", checks},
       {"what_it_would_take", levers},
       {"what_it_would_take_together", lever_json(v.levers_together)},
       {"break_even", v.break_even ? nlohmann::json{{"field", v.break_even->field}, {"for_budget", v.break_even->for_budget},
                                                    {"to_match", v.break_even->to_match}, {"cheapest_shape", v.break_even->cheapest_shape},
                                                    {"cheapest_usd_per_pb_month", v.break_even->cheapest_usd_per_pb_month}}
                                   : nlohmann::json()},
       {"unknown_figures", v.unknowns},
       {"status", StatusName(v.status)}};
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
      out.push_back({l.value("field", "?"), l.value("comparison", "?"), l.value("value", 0.0), l.value("answers", ""), l.value("alone", false)});
    }
    return out;
  };
  v.levers = read_levers("what_it_would_take");
  v.levers_together = read_levers("what_it_would_take_together");
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
    av.survives_node = a->value("survives_node", false);
    if (a->contains("survives_domain") && (*a)["survives_domain"].is_boolean()) av.survives_domain = (*a)["survives_domain"].get<bool>();
    av.drive_rebuild_s = OptionalNumber(*a, "drive_rebuild_s");
    av.node_rebuild_s = OptionalNumber(*a, "node_rebuild_s");
  }
  v.unknowns = j.value("unknown_figures", std::vector<std::string>{});
  v.status = FromName(StatusName, 3, j.value("status", "unknown"), "status");
}

}  // namespace shapeq
