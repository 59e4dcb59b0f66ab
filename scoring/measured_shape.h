#pragma once
// The "shape" step for a node that was qualified: a Shape built from its results directory.
// What the probe counted (cores, memory, data drives and their size) is measured; NIC link
// rates are rated (the machine reports them); what a node cannot measure about itself
// (watts, rack units, price) comes from the catalog shape it matches, marked as such.
// Storage and network figures join here as the measure stage writes them.
#include <optional>
#include <string>
#include <vector>

#include "model/fingerprint.h"
#include "model/kernel_id.h"
#include "model/measurement.h"
#include "scoring/profiles.h"

namespace shapeq {

// The scheme a measured node is scored under when it has no catalog twin.
inline constexpr const char* kMeasuredDefaultProtection = "ec-146+4";

// `rated` (may be null): the catalog shape to borrow unmeasurable figures and protection from.
Shape ShapeFromFingerprint(const Fingerprint& fp, const std::string& file, const Shape* rated);

// The storage kernels' figures (storage.json) as the shape's drive figures: seq_read and
// seq_write bytes/s, lat_read (else rand_read) and rand_write IOPS with the read p99, from runs on raw devices only (a scratch file
// says nothing of the data drives). The run over the most drives counts. A run on fewer drives
// than the node has leaves the figure unknown, saying why, unless `scale_from_subset` (then it
// is scaled up linearly and marked derived). Loop devices measured raw count as the node's.
void ApplyStorageMeasurements(Shape& shape, const Fingerprint& fp, const std::vector<Measurement>& storage, const std::string& file,
                              bool scale_from_subset = false);

// The data-path kernels' figures (datapath.json) as the shape's CPU cost: cores per GB/s written
// = 1 / (its scheme's erasure encode per core) + 1 / (CRC-32C per core), basis measured; left
// unknown, saying why, when the scheme has no encode kernel (replication, LRC) or none ran.
void ApplyDatapathMeasurements(Shape& shape, const std::vector<Measurement>& datapath, const std::string& file);

// The network kernel's figure (network.json) as the shape's NIC figure, basis measured, when it
// ran to a real peer; a loopback run measures the TCP stack, not the network, and changes nothing.
void ApplyNetworkMeasurement(Shape& shape, const std::optional<Measurement>& network, const std::string& file);
bool IsLoopbackPeer(const std::string& target);

// The catalog shape this fingerprint is an instance of: DMI's instance type (AWS Nitro names
// it) matched against catalog names, e.g. "i7ie.48xlarge" -> aws-i7ie-48xlarge.
const Shape* MatchCatalogShape(const Fingerprint& fp, const std::vector<Shape>& catalog);

}  // namespace shapeq
