#pragma once
// The catalogs as plain data: shapes (what one node offers), targets (what a customer needs)
// and the model (protection schemes, fill, rack and cost parameters). Profiles are written in
// humane units with the unit in the field name (drive_capacity_tb, read_gbytes_per_s); they
// are held here in SI (bytes, bytes/s) through each field table's scale. Docs: docs/profiles.md.
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

struct Target {
  std::string name;
  std::string title;
  std::string file;
  std::string protection;  // overrides the shape's scheme when set
  std::vector<std::string> sources;
  std::string note;
  // Requirements; empty when the customer did not set one.
  std::optional<double> usable_bytes;         // what the scorer sizes for: the largest of the three below
  std::optional<double> stated_usable_bytes;  // usable_pb as the profile states it
  // A GPU cluster's scenario, as inputs: capacity to keep `gpus` fed for `isolation_s` at
  // `bytes_per_s_per_gpu` x `duty` (a network cut), and capacity per GPU.
  std::optional<double> isolation_s;
  std::optional<double> bytes_per_s_per_gpu;
  std::optional<double> duty;
  std::optional<double> bytes_per_gpu;
  std::string usable_basis;  // which input sized usable_bytes, in words
  std::optional<double> read_bytes_per_s;
  std::optional<double> write_bytes_per_s;
  std::optional<double> iops_per_pb;
  std::optional<double> checkpoint_bytes;     // a checkpoint burst: this much...
  std::optional<double> checkpoint_window_s;  // ...written within this window
  std::optional<double> gpus;                 // for PB per GPU
  std::optional<double> p99_latency_s;
  std::optional<double> write_fraction;       // of the iops_per_pb operations, the share that are random writes
  // Availability: the losses the deployment must survive (drive, node or rack; empty: none
  // asked) and the longest a failed node's data may take to rebuild.
  std::string must_survive;
  std::optional<double> max_rebuild_s;
  // Limits the deployment must stay within.
  std::optional<double> budget_usd_per_pb_month;
  std::optional<double> max_racks;
  std::optional<double> max_kw;
  double data_reduction_ratio = 1.0;
};

struct TargetField {
  const char* name;
  std::optional<double> Target::*member;
  double to_si;
  const char* help;
};
const std::vector<TargetField>& TargetFields();

struct ProtectionScheme {
  std::string name;        // ec-146+4
  unsigned data = 1;       // k (1 for replication)
  unsigned parity = 0;     // m (copies - 1 for replication)
  bool per_drive = false;  // strips spread over drives (true) or one per node (false)
  unsigned rebuild_reads = 0;  // strips read to rebuild one (0: data, as plain erasure codes need)
  double efficiency() const { return static_cast<double>(data) / (data + parity); }
  unsigned reads_per_rebuilt_strip() const { return rebuild_reads ? rebuild_reads : data; }
  unsigned width() const { return data + parity; }
};

struct Model {
  std::string file;
  std::map<std::string, ProtectionScheme> schemes;
  double fill_fraction = 0.85;        // how full the cluster may run
  double protocol_efficiency = 0.9;   // payload / NIC line rate
  double rack_units = 42;
  double rack_overhead_units = 2;     // switches, PDUs
  double kw_per_rack = 15;
  double amortization_years = 5;     // an on-prem node's life: its capex less drives is spread over it
  double drive_lifetime_years = 5;   // drives are refreshed this often
  double usd_per_kwh = 0.10;
  double usd_per_rack_month = 0;     // floor space and cooling per rack position
  double usd_per_network_port_month = 0;
  double network_ports_per_node = 2; // for shapes that do not say
  double software_usd_per_tb_month = 0;  // per TB protected, for shapes that do not say
  double rebuild_share = 0.25;       // of the cluster's read bandwidth a rebuild may take
  double cloud_fault_domains = 3;    // what a cloud VM deployment can spread over (its "racks")
  double hours_per_month = 730;
  double iops_block_bytes = 4096;     // NIC bound on IOPS: line rate / block size
  std::optional<double> cores_per_gbytes_per_s;  // data-path CPU cost for shapes that do not give their own
};

// Each throws Error(kBadInput) naming the file and field.
Shape LoadShape(const std::string& path);
Target LoadTarget(const std::string& path);
Model LoadModel(const std::string& path);

// "FIELD=VALUE" in the profile's unit, applied to a shape (marked as supplied by the user).
void SetShapeFigure(Shape& shape, const std::string& field, double profile_value);
// A target's requirement or limit, or its data_reduction_ratio (the usable capacity derived again).
void SetTargetField(Target& target, const std::string& field, double profile_value);
// usable_bytes from the stated figure and the scenario (the largest), with usable_basis saying which.
void DeriveUsable(Target& target);

// The model's numbers, each settable for a run (`--set model.FIELD=VALUE`) and sweepable.
struct ModelField {
  const char* name;
  double Model::*member;  // nullptr: cores_per_gbytes_per_s (optional)
  double max;             // fractions 1; others the profile maximum
  const char* help;
  bool allow_zero = false;  // costs may be 0 (a term left out)
};
const std::vector<ModelField>& ModelFields();
// Error(kUsage) naming the field for an unknown field or a value out of its range (a fraction
// above 1, overhead that leaves no room in the rack).
void SetModelField(Model& model, const std::string& field, double value);

}  // namespace shapeq
