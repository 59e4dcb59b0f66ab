#pragma once
// A shape profile: what one node offers, each figure with its basis and source. Written in
// humane units with the unit in the field name (drive_capacity_tb, read_gbytes_per_s), held in SI
// through the field table's scale. Docs: docs/profiles.md.
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace shapeq {

// Where a figure comes from. A verdict shows it beside every number it used.
enum class Basis { kRated, kMeasured, kEstimated, kDerived, kUnknown };
const char* BasisName(Basis basis);

struct Figure {
  std::optional<double> value;  // SI; empty when unknown
  Basis basis = Basis::kUnknown;
  std::string source;  // a key of the profile's sources
  std::string note;
  bool known() const { return value.has_value(); }
};

struct Shape {
  std::string name;   // file stem, e.g. azure-l96s-v4
  std::string title;  // "Azure Standard_L96s_v4"
  std::string kind;   // cloud-vm, on-prem
  std::string file;
  std::string protection;  // default scheme, a key of Model::schemes
  std::string cloud_sku;   // the provider's name for the size (Azure armSkuName, AWS instance type); "" on-prem
  std::map<std::string, std::string> sources;
  Figure cores;  // vCPUs (hardware threads) for cloud VMs
  Figure memory_bytes;
  Figure drive_count;
  Figure drive_capacity_bytes;
  Figure read_bytes_per_s;   // all drives at once
  Figure write_bytes_per_s;
  Figure read_iops;
  Figure write_iops;
  Figure nic_gbps;
  Figure watts;
  Figure rack_units;
  Figure price_per_hour_usd;  // cloud
  Figure capex_usd;           // on-prem, amortized over Model::amortization_years
  // Measured more than published (optional in profiles):
  Figure read_p99_latency_s;      // p99 of random 4 KiB reads at the read_iops figure
  Figure cores_per_gbytes_per_s;  // data-path CPU: cores per GB/s written (erasure coding + CRC)
  // When read/write_bytes_per_s are what the node serves with its data path (the served kernels),
  // the drives' own figures, without it. Served well under these: the cores limit serving.
  Figure raw_read_bytes_per_s;
  Figure raw_write_bytes_per_s;
  // The full cost of an on-prem node (optional; absent parts cost nothing beyond the model's).
  Figure drive_price_usd;             // the part of capex_usd that is one drive, refreshed every drive_lifetime_years
  Figure network_ports;               // switch ports per node (else the model's network_ports_per_node)
  Figure frontend_nodes_per_node;     // controller / front-end nodes a disaggregated design adds per storage node
  Figure frontend_node_capex_usd;
  Figure frontend_node_watts;
  Figure frontend_node_rack_units;
  Figure software_usd_per_tb_month;   // per TB of protected capacity (raw x efficiency); else the model's
  // The most data reduction this platform's software realizes (1: it stores data as written);
  // the target's ratio is capped by it. Absent: the target's ratio applies.
  Figure data_reduction_ratio;
};

struct ShapeField {
  const char* name;  // in the profile
  Figure Shape::*member;
  double to_si;  // profile unit -> SI
  const char* help;
  bool optional = false;  // a profile may leave it out (unknown: "not in the profile")
  bool allow_zero = false;  // 0 is a real value (no ports, no licence)
};
// Every figure a shape profile has, in the order profiles and reports list them.
const std::vector<ShapeField>& ShapeFields();

// Throws Error(kBadInput) naming the file and field.
Shape LoadShape(const std::string& path);

// "FIELD=VALUE" in the profile's unit, applied to a shape (marked as supplied by the user).
void SetShapeFigure(Shape& shape, const std::string& field, double profile_value);

}  // namespace shapeq
