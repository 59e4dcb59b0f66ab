// Planning the network kernel from the fingerprint, and the pieces it is built from.
#include <gtest/gtest.h>

#include <set>

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

// The fleet schedules: pairwise is every ordered pair once, in N-1 rounds (N odd: N) where no host
// sends or receives twice; the one-round patterns are what they say.
TEST(NetPlan, FleetRoundsCoverEveryPairOnceWithDisjointHostsPerRound) {
  for (size_t n : {2, 3, 4, 5, 8}) {
    const auto rounds = NetFleetRounds(n, "pairwise");
    EXPECT_EQ(rounds.size(), n % 2 ? n : n - 1) << n;
    std::set<std::pair<size_t, size_t>> seen;
    for (const auto& round : rounds) {
      std::set<size_t> senders, receivers;
      for (const auto& p : round) {
        EXPECT_NE(p.from, p.to);
        EXPECT_TRUE(senders.insert(p.from).second) << n << ": a host sends twice in one round";
        EXPECT_TRUE(receivers.insert(p.to).second) << n << ": a host receives twice in one round";
        EXPECT_TRUE(seen.insert({p.from, p.to}).second) << n << ": a pair twice";
      }
    }
    EXPECT_EQ(seen.size(), n * (n - 1)) << n;
  }
  EXPECT_EQ(NetFleetRounds(4, "ring").size(), 1u);
  EXPECT_EQ(NetFleetRounds(4, "ring")[0].size(), 4u);
  EXPECT_EQ(NetFleetRounds(4, "all-to-all")[0].size(), 12u);
  const auto incast = NetFleetRounds(4, "incast");
  ASSERT_EQ(incast.size(), 1u);
  for (const auto& p : incast[0]) EXPECT_EQ(p.to, 0u);
  EXPECT_EQ(incast[0].size(), 3u);
  EXPECT_THROW(NetFleetRounds(4, "mesh"), Error);
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
