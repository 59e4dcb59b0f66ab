#pragma once
// The model profile: protection schemes, fill, rack, power and cost terms every verdict uses.
// Docs: docs/profiles.md.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "scoring/figure.h"

namespace shapeq {

struct ProtectionScheme {
  std::string name;        // ec-146+4
  unsigned data = 1;       // k (1 for replication)
  unsigned parity = 0;     // m (copies - 1 for replication)
  bool per_drive = false;  // strips spread over drives (true) or one per node (false)
  unsigned rebuild_reads = 0;  // strips read to rebuild one (0: data, or a local group's, as the code needs)
  // A locally repairable code (LRC): `parity` counts one local parity per group and the global
  // ones. It guarantees recovery from any (global + 1) losses, not `parity` (Huang et al., "Erasure
  // Coding in Windows Azure Storage", USENIX ATC 2012: LRC(12,2,2) recovers any 3, and most 4).
  unsigned local_groups = 0;
  double efficiency() const { return static_cast<double>(data) / (data + parity); }
  // The losses of one stripe it survives, whichever they are.
  unsigned tolerance() const { return local_groups ? parity - local_groups + 1 : parity; }
  // Strips read to rebuild one: a local group's data (k / groups) for an LRC, else k.
  unsigned reads_per_rebuilt_strip() const { return rebuild_reads ? rebuild_reads : local_groups ? data / local_groups : data; }
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
  // Terms given with their basis, source and range ({"value": 15, "basis": "estimated", ...}),
  // by field name; value and range in the field's unit. A term given as a bare number is absent.
  std::map<std::string, Figure> sourced;
  // The largest drive in the parts catalog (profiles/parts/), bytes: the most a drive_capacity_tb
  // ask may reach. Empty without a parts catalog.
  std::optional<double> largest_drive_bytes;
};

// Throws Error(kBadInput) naming the file and field.
Model LoadModel(const std::string& path);

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
