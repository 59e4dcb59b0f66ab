// The Fingerprint's JSON form: versioned, lossless, and bad JSON named by field.
#include <gtest/gtest.h>

#include "common/error.h"
#include "probes/probe.h"
#include "tests/test_support.h"

namespace shapeq {
namespace {

Fingerprint GpuNode() { return test::ProbeFixtureShape("gpu-8x-h100"); }

TEST(FingerprintJson, RoundTripIsLossless) {
  const nlohmann::json first = GpuNode();
  EXPECT_EQ(first["schema"], "shapeq.fingerprint");
  EXPECT_EQ(first["schema_version"], 1);
  EXPECT_EQ(first["gpus"].size(), 8u);
  const Fingerprint back = first.get<Fingerprint>();
  EXPECT_EQ(nlohmann::json(back), first);
}

TEST(FingerprintJson, UnknownFiguresAreNullNotZero) {
  const nlohmann::json j = Probe({.topology_xml = std::string(SHAPEQ_FIXTURES) + "/shapes/azure-l96s-v4/topology.xml",
                                  .sysfs_root = ""});
  EXPECT_TRUE(j["nics"][0]["link_gbps"].is_null());
  EXPECT_TRUE(j["drives"][0]["pci_link_bytes_per_s"].is_null());
  EXPECT_TRUE(j["memory"]["os_total_bytes"].is_null());
}

ExitCode CodeOf(const nlohmann::json& j, std::string& message) {
  try {
    (void)j.get<Fingerprint>();
  } catch (const Error& e) {
    message = e.what();
    return e.code();
  }
  return ExitCode::kOk;
}

TEST(FingerprintJson, BadJsonNamesTheField) {
  nlohmann::json good = GpuNode();
  std::string message;

  nlohmann::json wrong_version = good;
  wrong_version["schema_version"] = 2;
  EXPECT_EQ(CodeOf(wrong_version, message), ExitCode::kBadInput);
  EXPECT_NE(message.find("schema_version"), std::string::npos) << message;

  nlohmann::json wrong_type = good;
  wrong_type["cpu"]["cores"] = "many";
  EXPECT_EQ(CodeOf(wrong_type, message), ExitCode::kBadInput);
  EXPECT_NE(message.find("field cpu"), std::string::npos) << message;

  EXPECT_EQ(CodeOf(nlohmann::json::array(), message), ExitCode::kBadInput);
  EXPECT_EQ(CodeOf(nlohmann::json{{"schema", "other"}}, message), ExitCode::kBadInput);
}

}  // namespace
}  // namespace shapeq
