// The cost model: a deployment's monthly cost by part, and the price that would meet a $/PB-month.
#include "scoring/cost.h"

#include <algorithm>

namespace shapeq {

namespace {

// The part of capex_usd that is drives (refreshed on their own lifetime); 0 when not stated.
double DrivePart(const Shape& shape) {
  return shape.drive_price_usd.known() ? *shape.drive_price_usd.value * *shape.drive_count.value : 0;
}

}  // namespace

std::optional<double> NodeWatts(const Shape& shape) {
  if (!shape.watts.known()) return std::nullopt;
  return *shape.watts.value + shape.frontend_nodes_per_node.value.value_or(0) * shape.frontend_node_watts.value.value_or(0);
}
std::optional<double> NodeUnits(const Shape& shape) {
  if (!shape.rack_units.known()) return std::nullopt;
  return *shape.rack_units.value + shape.frontend_nodes_per_node.value.value_or(0) * shape.frontend_node_rack_units.value.value_or(0);
}

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
    c.rent = ScaledIfKnown(shape.price_per_hour_usd.value, model.hours_per_month * nodes);
    if (c.rent) c.total = sum({c.rent, c.software});
    return c;
  }
  const double months = model.amortization_years * 12;
  if (shape.capex_usd.known()) {
    const double drives = DrivePart(shape);
    c.node_capex = std::max(0.0, *shape.capex_usd.value - drives) / months * nodes;
    if (drives > 0) c.drive_capex = drives / (model.drive_lifetime_years * 12) * nodes;
  }
  c.power = ScaledIfKnown(NodeWatts(shape), nodes / 1000 * model.hours_per_month * model.usd_per_kwh);
  if (model.usd_per_rack_month > 0 && v.racks) c.space = *v.racks * model.usd_per_rack_month;
  const double ports = shape.network_ports.value.value_or(model.network_ports_per_node) * model.usd_per_network_port_month;
  if (ports > 0) c.ports = ports * nodes;
  const double frontends = shape.frontend_nodes_per_node.value.value_or(0) * nodes;
  if (frontends > 0 && shape.frontend_node_capex_usd.known()) c.frontend = frontends * *shape.frontend_node_capex_usd.value / months;
  if (c.node_capex && c.power) c.total = sum({c.node_capex, c.drive_capex, c.power, c.space, c.ports, c.frontend, c.software});
  return c;
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

}  // namespace shapeq
