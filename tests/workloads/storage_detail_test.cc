// A storage measurement's detail read once into types: what fio wrote is found, and a detail of
// the wrong shape (a hand-edited or hostile results file) reads as unknown, never a throw.
#include "model/storage_detail.h"

#include "model/datapath_detail.h"
#include "model/net_detail.h"

#include <gtest/gtest.h>

#include "workloads/fio_output.h"

namespace shapeq {
namespace {

using nlohmann::json;

TEST(StorageDetail, ANodeRunsRepeatsDirectionsAndDrivesAreRead) {
  Measurement m;
  m.detail = {{"fio_version", "fio-3.33"},
              {"steady", false},
              {"repeats",
               {{{"read", {{"bytes_per_s", 2e9}, {"iops", 2000}, {"clat_percentiles_s", {{"p50", 0.001}, {"p99", 0.004}}}}},
                 {"write", {{"bytes_per_s", 0}, {"iops", 0}}},
                 {"latency_bound", {{"depth", 12}}},
                 {"per_target", {{{"target", "/dev/a"}, {"bytes_per_s", 1.5e9}, {"iops", 1500}, {"p99_s", 0.003}},
                                 {{"target", "/dev/b"}, {"bytes_per_s", 0.5e9}, {"iops", 500}, {"p99_s", nullptr}}}}}}}};
  const StorageDetail d = StorageDetailOf(m);
  EXPECT_EQ(d.fio_version, "fio-3.33");
  ASSERT_TRUE(d.steady.has_value());
  EXPECT_FALSE(*d.steady);
  ASSERT_NE(d.Last(), nullptr);
  EXPECT_EQ(&d.Last()->Busier(), &d.Last()->read);
  EXPECT_DOUBLE_EQ(d.Last()->read.Percentile("p99").value(), 0.004);
  EXPECT_FALSE(d.Last()->read.Percentile("p99.9"));
  EXPECT_EQ(d.Last()->latency_bound_depth, 12);
  ASSERT_EQ(d.Last()->per_target.size(), 2u);
  EXPECT_EQ(d.Last()->per_target[1].target, "/dev/b");
  EXPECT_FALSE(d.Last()->per_target[1].p99_s);
  EXPECT_FALSE(d.fleet);
  EXPECT_DOUBLE_EQ(StorageLatencyPercentile(m, "p50").value(), 0.001);
}

TEST(StorageDetail, AFleetsHostsCarryTheirFiguresOrWhyTheyRefused) {
  Measurement m;
  m.detail = {{"hosts", {{{"host", "10.0.0.1:5201"}, {"status", "ran"}, {"hostname", "node-a"}},
                         {{"host", "10.0.0.2:5201"}, {"status", "refused"}, {"reason", "no storage lent"}}}},
              {"per_host", {{{"host", "10.0.0.1:5201"}, {"bytes_per_s", 3e9}, {"iops", 30}, {"p99_s", 0.01}, {"status", "ok"}}}}};
  const StorageDetail d = StorageDetailOf(m);
  EXPECT_TRUE(d.fleet);
  ASSERT_EQ(d.hosts.size(), 2u);
  EXPECT_TRUE(d.hosts[0].ran);
  EXPECT_TRUE(d.hosts[0].has_figures);
  EXPECT_EQ(d.hosts[0].hostname, "node-a");
  EXPECT_DOUBLE_EQ(d.hosts[0].bytes_per_s.value(), 3e9);
  EXPECT_FALSE(d.hosts[1].ran);
  EXPECT_FALSE(d.hosts[1].has_figures);
  EXPECT_EQ(d.hosts[1].reason, "no storage lent");
}

TEST(StorageDetail, AMisshapenDetailReadsAsUnknown) {
  for (const json& detail : {json(nullptr), json(42), json::array(), json{{"repeats", "many"}},
                             json{{"repeats", {1, "x", {{"read", 3}, {"per_target", {{{"target", 7}, {"bytes_per_s", "fast"}}}}}}}},
                             json{{"steady", "yes"}, {"fio_version", 3}, {"hosts", {{{"host", nullptr}}}}, {"per_host", 5}},
                             json{{"repeats", {{{"read", {{"clat_percentiles_s", {{"p99", "slow"}}}}}, {"latency_bound", 1}}}}}}) {
    Measurement m;
    m.detail = detail;
    StorageDetail d;
    ASSERT_NO_THROW(d = StorageDetailOf(m)) << detail.dump();
    EXPECT_FALSE(d.steady) << detail.dump();
    EXPECT_TRUE(d.fio_version.empty()) << detail.dump();
    if (const StorageRepeat* last = d.Last()) {
      EXPECT_FALSE(last->Busier().Percentile("p99")) << detail.dump();
      EXPECT_FALSE(last->latency_bound_depth) << detail.dump();
      for (const auto& t : last->per_target) EXPECT_EQ(t.bytes_per_s, 0) << detail.dump();
    }
    EXPECT_FALSE(StorageLatencyPercentile(m, "p99")) << detail.dump();
  }
}

// The reader reads what the writer writes: fio's own json+ through fio_output.
TEST(StorageDetail, WhatFioOutputWritesIsWhatItReads) {
  Measurement a, b;
  a.target = "/dev/a";
  b.target = "/dev/b";
  a.bytes_per_s = 1e9, a.iops = 100, b.bytes_per_s = 3e9, b.iops = 300;
  a.detail = {{"fio_version", "fio-3.33"}, {"read", {{"bytes_per_s", 1e9}, {"iops", 100}, {"clat_percentiles_s", {{"p99", 0.002}}}}},
              {"write", {{"bytes_per_s", 0}, {"iops", 0}}}};
  b.detail = a.detail;
  const Measurement combined = CombineFioGroups({a, b});
  Measurement m;
  m.detail = {{"repeats", json::array({combined.detail})}};
  const StorageDetail d = StorageDetailOf(m);
  ASSERT_NE(d.Last(), nullptr);
  ASSERT_EQ(d.Last()->per_target.size(), 2u);
  EXPECT_EQ(d.Last()->per_target[1].target, "/dev/b");
  EXPECT_DOUBLE_EQ(d.Last()->per_target[1].bytes_per_s, 3e9);
  EXPECT_DOUBLE_EQ(d.Last()->per_target[0].p99_s.value(), 0.002);
}

TEST(NetDetail, StreamsCpuAndAFailuresPartialFigureAreRead) {
  Measurement m;
  m.target = "10.0.0.2:5201";
  m.detail = {{"partial_bytes_per_s", 5e8},
              {"repeats", {{{"client_cpu_cores", 0.5}, {"server_cpu_cores", 0.25},
                            {"streams", {{{"index", 0}, {"direction", "up"}, {"bits_per_s", 8e9}, {"retransmits", 3}}, 7}}}}}};
  const NetDetail d = NetDetailOf(m);
  EXPECT_EQ(d.partial_bytes_per_s, 5e8);
  ASSERT_EQ(d.repeats.size(), 1u);
  ASSERT_EQ(d.repeats[0].streams.size(), 1u);
  EXPECT_EQ(d.repeats[0].streams[0].retransmits, 3u);
  EXPECT_EQ(d.repeats[0].server_cpu_cores, 0.25);
  EXPECT_EQ(NetPairOf(m).from, "10.0.0.2:5201") << "a node's run: the pair's sender is its target";
  // Misshapen: unknown, never a throw (negative and huge counts read as 0).
  m.detail = {{"repeats", {{{"streams", {{{"index", -4}, {"retransmits", 1e300}, {"direction", 5}}}}, {"server_cpu_cores", "x"}}}},
              {"round", -1}, {"from", 3}};
  const NetDetail bad = NetDetailOf(m);
  ASSERT_EQ(bad.repeats.size(), 1u);
  EXPECT_EQ(bad.repeats[0].streams[0].index, 0u);
  EXPECT_EQ(bad.repeats[0].streams[0].retransmits, 0u);
  EXPECT_TRUE(bad.repeats[0].streams[0].direction.empty());
  EXPECT_FALSE(bad.repeats[0].server_cpu_cores);
  EXPECT_EQ(NetPairOf(m).round, 0u);
  EXPECT_EQ(NetPairOf(m).from, "10.0.0.2:5201");
}

TEST(DatapathDetail, ItsCostAndMemcpyRatioOrUnknown) {
  Measurement m;
  m.detail = {{"cores_per_gbytes_per_s", 0.2}, {"relative_to_memcpy", 0.5}};
  EXPECT_EQ(DatapathDetailOf(m).cores_per_gbytes_per_s, 0.2);
  EXPECT_EQ(DatapathDetailOf(m).relative_to_memcpy, 0.5);
  m.detail = {{"relative_to_memcpy", "fast"}};
  EXPECT_FALSE(DatapathDetailOf(m).relative_to_memcpy);
  EXPECT_FALSE(DatapathDetailOf(m).cores_per_gbytes_per_s);
}

}  // namespace
}  // namespace shapeq
