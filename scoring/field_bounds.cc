#include "scoring/field_bounds.h"

#include <cmath>
#include <cstdio>

#include "common/units.h"

namespace shapeq {
namespace {

// The least a node draws: each drive idle and each core (vCPU) lightly loaded. A drive idles at
// about 5 W (the P5316 datasheet's idle figure; a nearline disk's is similar); 1 W a core is far
// under any server CPU's share of its TDP [Est].
constexpr double kDriveIdleWatts = 5;
constexpr double kCoreWatts = 1;
// The most one NVMe drive moves: a PCIe 5.0 x4 link, 4 lanes x 32 GT/s x 128/130 / 8 bits.
constexpr double kDriveLinkBytesPerS = 4 * 32e9 * 128 / 130 / 8;
// The fastest NICs a node carries today: two 800 GbE ports [Est].
constexpr double kMaxNicGbps = 1600;

AskCheck No(std::string why) { return {false, std::move(why)}; }

// Three significant figures, as the asks are printed.
std::string Text(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3g", value);
  return text;
}

// A cloud's fault domains for one deployment: Azure availability sets offer up to 3, AWS
// partition placement groups up to 7 per Availability Zone (docs/sources.md); others unstated.
std::optional<double> ProviderFaultDomains(const Shape& shape) {
  if (shape.name.rfind("azure-", 0) == 0) return 3;
  if (shape.name.rfind("aws-", 0) == 0) return 7;
  return std::nullopt;
}

}  // namespace

AskCheck CheckAsk(const Shape& shape, const Model& model, const Lever& lever) {
  const std::string& field = lever.field;
  const double v = lever.value;
  const double drives = shape.drive_count.value.value_or(0);
  if (field == "watts") {
    const double cores = shape.cores.value.value_or(0);
    const double floor_w = drives * kDriveIdleWatts + cores * kCoreWatts;
    if (v < floor_w) {
      return No("below the " + Text(drives) + " drives' and " + Text(cores) + " cores' own draw (" + Text(floor_w) + " W at " +
                Text(kDriveIdleWatts) + " W a drive idle and " + Text(kCoreWatts) + " W a core)");
    }
  } else if (field == "rack_units") {
    const bool cloud = shape.kind == "cloud-vm";
    const double least = cloud ? shape.host_share.value.value_or(0) : 1;
    if (v < least) {
      return No(cloud ? "below the VM's share (" + Text(least) + ") of a 1U host" : "below 1U: a server takes at least one rack unit");
    }
  } else if (field == "cloud_fault_domains") {
    if (const auto most = ProviderFaultDomains(shape); most && v > *most) {
      return No("above the " + Text(*most) + " fault domains the provider offers one deployment");
    }
  } else if (field == "kw_per_rack") {
    const auto it = model.sourced.find("kw_per_rack");
    if (it != model.sourced.end() && it->second.range && v > it->second.range->high) {
      return No("above the " + Text(it->second.range->high) + " kW a rack the model allows (" + it->second.range->why + ")");
    }
  } else if (field == "drive_capacity_tb") {
    if (model.largest_drive_bytes && v * kTB > *model.largest_drive_bytes * (1 + 1e-9)) {
      return No("above the largest drive in the parts catalog (" + Text(*model.largest_drive_bytes / kTB) + " TB)");
    }
  } else if (field == "read_gbytes_per_s" || field == "write_gbytes_per_s") {
    const double most = drives * kDriveLinkBytesPerS / kGB;
    if (drives > 0 && v > most) {
      return No("above what " + Text(drives) + " drives' PCIe 5.0 x4 links carry (" + Text(most) + " GB/s)");
    }
  } else if (field == "nic_gbps") {
    if (v > kMaxNicGbps) return No("above two 800 GbE ports (" + Text(kMaxNicGbps) + " Gbit/s), the fastest a node carries today");
  }
  return {};
}

}  // namespace shapeq
