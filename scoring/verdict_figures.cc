#include "scoring/verdict_figures.h"

#include "common/units.h"

namespace shapeq {
namespace {

template <size_t kNeed>
std::optional<double> NodesForNeed(const Verdict& v) {
  return v.nodes_for[kNeed];
}

}  // namespace

const std::vector<VerdictFigure>& VerdictFigures() {
  static const std::vector<VerdictFigure> figures = {
      {"nodes", "nodes", [](const Verdict& v) { return std::optional(v.nodes); }, 1, "shapeq_verdict_nodes", 1,
       "Nodes the candidate shape needs for the target", true, "nodes"},
      {"nodes_for_capacity", "nodes", NodesForNeed<NeedIndex(Need::kCapacity)>, 1, nullptr, 1, "Nodes the usable capacity needs"},
      {"nodes_for_read", "nodes", NodesForNeed<NeedIndex(Need::kRead)>, 1, nullptr, 1, "Nodes the read bandwidth needs"},
      {"nodes_for_write", "nodes", NodesForNeed<NeedIndex(Need::kWrite)>, 1, nullptr, 1, "Nodes the write bandwidth needs"},
      {"nodes_for_iops", "nodes", NodesForNeed<NeedIndex(Need::kIops)>, 1, nullptr, 1, "Nodes the IOPS need"},
      {"nodes_for_protection_width", "nodes", NodesForNeed<NeedIndex(Need::kProtectionWidth)>, 1, nullptr, 1,
       "Nodes the protection scheme's stripe needs"},
      {"racks", "racks", [](const Verdict& v) { return v.racks; }, 1, "shapeq_verdict_racks", 1, "Racks the candidate shape needs for the target", true, "racks"},
      {"kw", "kW", [](const Verdict& v) { return v.kw; }, 1, "shapeq_verdict_power_watts", 1e3,
       "Power the candidate shape draws at the target's size", true, "kw"},
      {"usd_per_month", "$/month", [](const Verdict& v) { return v.usd_per_month; }, 1, nullptr, 1, "Cost of the deployment per month", true, "usd_per_month"},
      {"usd_per_pb_month", "$/PB-month", [](const Verdict& v) { return v.usd_per_pb_month; }, 1, "shapeq_verdict_cost_dollars_per_petabyte_month", 1,
       "Cost per usable PB-month", true, "usd_per_pb_month"},
      {"usable_pb", "PB", [](const Verdict& v) { return std::optional(v.usable_bytes); }, kPB, nullptr, 1, "Usable capacity deployed", true, "usable_bytes"},
      {"read_tbps", "TB/s", [](const Verdict& v) { return v.read_bytes_per_s; }, kTB, "shapeq_verdict_read_bytes_per_second", 1,
       "Aggregate read at the target's size", true, "read_bytes_per_s"},
      {"write_tbps", "TB/s", [](const Verdict& v) { return v.write_bytes_per_s; }, kTB, nullptr, 1, "Aggregate write at the target's size", true, "write_bytes_per_s"},
      {"read_tbps_per_pb", "TB/s per PB", [](const Verdict& v) { return v.read_tbps_per_pb; }, 1, nullptr, 1, "Aggregate read per PB asked for", true, "read_tbps_per_pb"},
      {"iops_per_pb", "IOPS per PB", [](const Verdict& v) { return v.iops_per_pb; }, 1, nullptr, 1, "Random IOPS per PB asked for", true, "iops_per_pb"},
      {"pb_per_gpu", "PB per GPU", [](const Verdict& v) { return v.pb_per_gpu; }, 1, nullptr, 1, "Usable PB per GPU served", true, "pb_per_gpu"},
      {"node_rebuild_hours", "hours", [](const Verdict& v) { return v.availability.node_rebuild_s; }, kSecondsPerHour, nullptr, 1,
       "Time to rebuild a failed node's data", false},
  };
  return figures;
}

const VerdictFigure* FindVerdictFigure(const std::string& name) {
  for (const auto& figure : VerdictFigures()) {
    if (name == figure.name) return &figure;
  }
  return nullptr;
}

}  // namespace shapeq
