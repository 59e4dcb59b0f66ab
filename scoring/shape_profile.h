#pragma once
// A shape profile: what one node offers, each figure with its basis and source. Written in
// humane units with the unit in the field name (drive_capacity_tb, read_gbytes_per_s), held in SI
// through the field table's scale. Docs: docs/profiles.md.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "scoring/figure.h"

namespace shapeq {

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
  // A cloud VM's power and space are its share of the physical host it runs on; when a profile
  // gives these three, watts and rack_units are derived from them (DeriveHostShare).
  Figure host_watts;
  Figure host_rack_units;
  Figure host_share;  // the VM's part of the host, (0, 1]
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

// "FIELD=VALUE" in the profile's unit, applied to a shape (marked as supplied by the user),
// with what follows from it (SetCoupledFigure).
void SetShapeFigure(Shape& shape, const std::string& field, double profile_value);

// Sets one figure (SI) and what is tied to it: a drive's price is part of capex_usd, so capex
// moves with it; a host figure re-derives watts and rack_units. Keeps basis and source: the
// sensitivity and uncertainty runs move figures across their ranges with it.
void SetCoupledFigure(Shape& shape, Figure Shape::*member, double value_si);

// watts and rack_units from host_watts, host_rack_units and host_share (ranges multiplied
// through), when all three are known; otherwise leaves them.
void DeriveHostShare(Shape& shape);

// Figures whose basis is estimated, and every price, that have no range: what a shipped
// profile must not have (names in the profile's units).
std::vector<std::string> FiguresWithoutRange(const Shape& shape);

}  // namespace shapeq
