#include "probes/cloud_identity.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>

namespace shapeq {
namespace {

// Azure's fixed chassis asset tag: tells an Azure VM from any other Hyper-V guest.
constexpr std::string_view kAzureAssetTag = "7783-7084-3265-9085-8269-3286-77";

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

bool Contains(const std::string& haystack, std::string_view needle) {
  return Lower(haystack).find(needle) != std::string::npos;
}

// Product strings hypervisors put in DMI; a physical server has none of them.
bool LooksVirtual(const CloudIdentity& id) {
  constexpr std::array<std::string_view, 10> kMarkers = {
      "virtual machine", "kvm", "qemu", "vmware", "virtualbox", "hvm domu", "bochs", "standard pc", "openstack",
      "cloud hypervisor"};
  for (const auto& field : {id.dmi_product_name, id.dmi_sys_vendor, id.dmi_bios_vendor}) {
    for (auto marker : kMarkers) {
      if (Contains(field, marker)) return true;
    }
  }
  return false;
}

}  // namespace

void IdentifyCloud(CloudIdentity& id) {
  id.instance_type_hint.clear();
  const bool any_dmi = !(id.dmi_sys_vendor.empty() && id.dmi_product_name.empty() && id.dmi_bios_vendor.empty() &&
                         id.dmi_board_vendor.empty());
  if (!any_dmi) {
    id.vendor = "unknown";
    id.virtualized = false;
    id.reason = "no DMI information (a micro-VM, a container, or a topology captured without it)";
    return;
  }
  if (id.dmi_sys_vendor == "Microsoft Corporation" && id.dmi_product_name == "Virtual Machine") {
    id.virtualized = true;
    if (id.dmi_chassis_asset_tag == kAzureAssetTag) {
      id.vendor = "azure";
      id.reason = "DMI: Microsoft Virtual Machine with Azure's chassis asset tag";
    } else {
      id.vendor = "unknown";
      id.reason = "DMI: a Hyper-V guest without Azure's chassis asset tag";
    }
    return;
  }
  if (id.dmi_sys_vendor == "Amazon EC2" || id.dmi_bios_vendor == "Amazon EC2" ||
      Contains(id.dmi_product_version, "amazon")) {
    id.vendor = "aws";
    id.virtualized = !Contains(id.dmi_product_name, "metal");
    // Nitro instances put the instance type in product_name ("i7ie.48xlarge").
    if (id.dmi_product_name.find('.') != std::string::npos) id.instance_type_hint = id.dmi_product_name;
    id.reason = "DMI: vendor Amazon EC2";
    return;
  }
  if (id.dmi_sys_vendor == "Google" || id.dmi_product_name == "Google Compute Engine") {
    id.vendor = "gcp";
    id.virtualized = true;
    id.reason = "DMI: Google Compute Engine";
    return;
  }
  id.virtualized = LooksVirtual(id);
  if (id.virtualized) {
    id.vendor = "unknown";
    id.reason = "DMI: a virtual machine of no known cloud (" + id.dmi_sys_vendor + " " + id.dmi_product_name + ")";
  } else {
    id.vendor = "on-prem";
    id.reason = "DMI: physical server " + id.dmi_sys_vendor + " " + id.dmi_product_name;
  }
}

}  // namespace shapeq
