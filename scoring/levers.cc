// What it would take: levers found from a failing verdict, each re-scored before it is printed.
#include "scoring/levers.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <string_view>

#include "common/error.h"
#include "scoring/cost.h"
#include "scoring/field_bounds.h"

namespace shapeq {
namespace {

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
    if (v.nodes_for[NeedIndex(Need::kCapacity)] && *v.nodes_for[NeedIndex(Need::kCapacity)] > m) {
      const double drives = *shape.drive_count.value;
      AddLever(v.levers, {"drive_capacity_tb", ">=",
                          *target.usable_bytes / (m * drives * n.efficiency * model.fill_fraction * n.data_reduction_ratio) / 1e12,
                          "capacity"});
    }
    if (v.nodes_for[NeedIndex(Need::kRead)] && *v.nodes_for[NeedIndex(Need::kRead)] > m) {
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
    if (v.nodes_for[NeedIndex(Need::kWrite)] && *v.nodes_for[NeedIndex(Need::kWrite)] > m) {
      const double need = write_required * n.write_amplification / m;  // bytes each node must absorb
      if (n.nic_payload_bytes_per_s && *n.nic_payload_bytes_per_s < need) nic_for(need, "write");
      if (shape.write_bytes_per_s.known() && *shape.write_bytes_per_s.value < need) {
        AddLever(v.levers, {"write_gbytes_per_s", ">=", need / 1e9, "write"});
      }
      if (n.write_bytes_per_s.bound == Bound::kCores && shape.cores.known()) {
        AddLever(v.levers, {"cores", ">=", std::ceil(*shape.cores.value * need / (*n.write_bytes_per_s.value * n.write_amplification)), "write"});
      }
    }
    if (v.nodes_for[NeedIndex(Need::kIops)] && *v.nodes_for[NeedIndex(Need::kIops)] > m) {
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
    if (v.nodes_for[NeedIndex(Need::kProtectionWidth)] && *v.nodes_for[NeedIndex(Need::kProtectionWidth)] > m) AddLever(v.levers, {"protection_width", "<=", m, "protection width"});
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
      // A cloud spreads over the fault domains it offers: enough that none holds more than the code recovers.
      const ProtectionScheme& scheme = model.schemes.at(v.protection);
      AddLever(v.levers, {"cloud_fault_domains", ">=", std::ceil(static_cast<double>(scheme.width()) / scheme.tolerance()), "rack_loss"});
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
  for (auto& lever : v.levers) lever.value = RoundToThreeFigures(lever.value, lever.comparison == ">=");
  // What no one can build is said, not offered.
  std::vector<Lever> feasible;
  for (auto& lever : v.levers) {
    const AskCheck check = CheckAsk(shape, model, lever);
    if (check.feasible) {
      feasible.push_back(std::move(lever));
    } else {
      lever.bound = check.why;
      v.infeasible.push_back(std::move(lever));
    }
  }
  v.levers = std::move(feasible);
}

void VerifyLevers(const Shape& shape, const Model& model, const Rescore& rescore, Verdict& v) {
  for (auto& lever : v.levers) {
    Shape s = shape;
    Model m = model;
    lever.alone = ApplyLever(s, m, lever) && rescore(s, m).status == Status::kPass;
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
    const Verdict again = rescore(s, m);
    if (again.status == Status::kPass) {
      if (applied.size() > 1) v.levers_together = applied;
      return;
    }
    if (again.status != Status::kFail) return;  // unknown figures: no pass can be shown
    next = again.levers;
  }
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

}  // namespace shapeq
