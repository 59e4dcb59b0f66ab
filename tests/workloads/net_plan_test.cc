// Planning the network kernel from the fingerprint, and the pieces it is built from.
#include <gtest/gtest.h>

#include "common/error.h"
#include "probes/probe.h"
#include "workloads/endpoint.h"
#include "model/measurement.h"
#include "workloads/net_kernel.h"
#include "tests/test_support.h"

namespace shapeq {
namespace {

Fingerprint DenseServer() { return test::ProbeFixtureShape("onprem-dense-1u"); }

TEST(NetPlan, StreamsFillTheNicAndPinToItsNumaNode) {
  const Fingerprint fp = DenseServer();
  std::string cpus;
  EXPECT_EQ(AutoStreams(fp, "ens2f0np0", &cpus), 16u) << "400 Gbit/s at 25 Gbit/s a stream";
  EXPECT_EQ(cpus, "32-63,96-127") << "the CPUs of the NIC's NUMA node";
  EXPECT_EQ(AutoStreams(fp, "eno1", &cpus), 1u);
  EXPECT_EQ(cpus, "0-31,64-95");
  cpus = "unchanged";
  EXPECT_EQ(AutoStreams(fp, "lo", &cpus), 2u) << "loopback: two streams";
  EXPECT_EQ(cpus, "unchanged");
}

TEST(NetPlan, EndpointsAsUsersWriteThem) {
  EXPECT_EQ(ParseEndpoint("10.0.0.2", 5201, "--peer").ToString(), "10.0.0.2:5201");
  EXPECT_EQ(ParseEndpoint("10.0.0.2:7000", 5201, "--peer").port, 7000);
  EXPECT_EQ(ParseEndpoint("[::1]:7000", 5201, "--peer").ToString(), "[::1]:7000");
  EXPECT_EQ(ParseEndpoint("::1", 5201, "--peer").ToString(), "[::1]:5201");
  EXPECT_EQ(ParseEndpoint("localhost:80", 5201, "--peer").port, 80);
  for (const char* bad : {"", ":80", "host:", "host:x", "a b", "[::1", "[::1]x", "h:70000"}) {
    try {
      ParseEndpoint(bad, 5201, "--peer");
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ExitCode::kUsage) << bad;
      EXPECT_EQ(std::string(e.what()).rfind("--peer '", 0), 0u) << e.what();
    }
  }
}

TEST(NetPlan, OptionsAreValidatedAndEchoed) {
  NetOptions o;
  o.streams = 4;
  o.direction = "both";
  const NetOptions back = NetOptionsFromJson(NetOptionsJson(o), "test");
  EXPECT_EQ(NetOptionsJson(back), NetOptionsJson(o));
  o.repeats = 0;
  EXPECT_THROW(ValidateNetOptions(o), Error);
  o.repeats = 1;
  o.duration_s = 0;
  EXPECT_THROW(ValidateNetOptions(o), Error);
}

TEST(Measurement, MedianSpreadAndJson) {
  Measurement m;
  m.kernel = "net.tcp";
  m.target = "x";
  m.repeats_bytes_per_s = {10, 14, 12};
  SummarizeRepeats(m);
  EXPECT_DOUBLE_EQ(*m.bytes_per_s, 12);
  EXPECT_DOUBLE_EQ(*m.spread_fraction, 4.0 / 12);
  const nlohmann::json j = m;
  EXPECT_EQ(j["schema"], "shapeq.measurement");
  EXPECT_EQ(nlohmann::json(j.get<Measurement>()), j);
}

}  // namespace
}  // namespace shapeq
