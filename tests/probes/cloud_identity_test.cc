// Cloud identity from DMI strings as each vendor writes them.
#include <gtest/gtest.h>

#include "probes/cloud_identity.h"

namespace shapeq {
namespace {

CloudIdentity Identify(std::string sys_vendor, std::string product_name, std::string product_version = "",
                       std::string asset_tag = "", std::string bios_vendor = "") {
  CloudIdentity id;
  id.dmi_sys_vendor = std::move(sys_vendor);
  id.dmi_product_name = std::move(product_name);
  id.dmi_product_version = std::move(product_version);
  id.dmi_chassis_asset_tag = std::move(asset_tag);
  id.dmi_bios_vendor = std::move(bios_vendor);
  IdentifyCloud(id);
  return id;
}

TEST(CloudIdentity, AzureNeedsItsAssetTag) {
  auto azure = Identify("Microsoft Corporation", "Virtual Machine", "7.0", "7783-7084-3265-9085-8269-3286-77");
  EXPECT_EQ(azure.vendor, "azure");
  EXPECT_TRUE(azure.virtualized);
  auto hyperv = Identify("Microsoft Corporation", "Virtual Machine", "7.0", "0000-0000");
  EXPECT_EQ(hyperv.vendor, "unknown");
  EXPECT_TRUE(hyperv.virtualized);
}

TEST(CloudIdentity, AwsNitroGivesTheInstanceType) {
  auto nitro = Identify("Amazon EC2", "i7ie.48xlarge", "", "Amazon EC2", "Amazon EC2");
  EXPECT_EQ(nitro.vendor, "aws");
  EXPECT_EQ(nitro.instance_type_hint, "i7ie.48xlarge");
  EXPECT_TRUE(nitro.virtualized);
  auto metal = Identify("Amazon EC2", "i4i.metal");
  EXPECT_EQ(metal.instance_type_hint, "i4i.metal");
  EXPECT_FALSE(metal.virtualized);
  auto xen = Identify("Xen", "HVM domU", "4.11.amazon", "", "Xen");
  EXPECT_EQ(xen.vendor, "aws");
  EXPECT_EQ(xen.instance_type_hint, "") << "Xen-era instances do not name their type in DMI";
}

TEST(CloudIdentity, Gcp) {
  auto gcp = Identify("Google", "Google Compute Engine", "", "", "Google");
  EXPECT_EQ(gcp.vendor, "gcp");
  EXPECT_TRUE(gcp.virtualized);
}

TEST(CloudIdentity, PhysicalServerIsOnPrem) {
  auto dell = Identify("Dell Inc.", "PowerEdge R7625");
  EXPECT_EQ(dell.vendor, "on-prem");
  EXPECT_FALSE(dell.virtualized);
}

TEST(CloudIdentity, UnknownVirtualMachineOrNoDmi) {
  auto kvm = Identify("QEMU", "Standard PC (Q35 + ICH9, 2009)");
  EXPECT_EQ(kvm.vendor, "unknown");
  EXPECT_TRUE(kvm.virtualized);
  auto none = Identify("", "");
  EXPECT_EQ(none.vendor, "unknown");
  EXPECT_FALSE(none.virtualized);
  EXPECT_NE(none.reason.find("no DMI"), std::string::npos);
}

}  // namespace
}  // namespace shapeq
