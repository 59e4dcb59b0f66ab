// Truth test of the measured path: a node whose drives and NIC have known limits, qualified as a
// user would, must come out as a shape with those limits. Two loop devices on tmpfs are throttled
// by the blkio cgroup controller (v1 blkio.throttle.*, or v2 io.max) to 40 MiB/s and 2,000 read
// IOPS each; the node (a network namespace) reaches its peer through a veth limited by tbf to
// 2 Gbit/s. The scored measured shape must read 2 x 40 MiB/s, 2 x 2,000 IOPS and 2 Gbit/s, basis
// measured.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "tests/cli/read_throttle.h"
#include "tests/test_support.h"
#include "tests/workloads/netns_lab.h"

namespace shapeq {
namespace {

namespace fs = std::filesystem;

constexpr double kBytesPerSPerDrive = 40.0 * (1 << 20);
constexpr double kIopsPerDrive = 2000;

const nlohmann::json* MeasuredShape(const nlohmann::json& verdicts) {
  for (const auto& [name, shape] : verdicts["shapes"].items()) {
    if (name.rfind("measured-", 0) == 0) return &shape;
  }
  return nullptr;
}

TEST(MeasuredTruth, ThrottledDrivesAndAShapedNicComeOutAsTheShapesFigures) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root for loop devices, cgroups and namespaces";
  test::TmpfsLoop drives[2];
  for (int i = 0; i < 2; ++i) {
    const std::string why = drives[i].Attach(fs::path("/dev/shm") / ("shapeq-truth-" + std::to_string(getpid()) + "-" + std::to_string(i)), 256 << 20);
    if (!why.empty()) GTEST_SKIP() << why;
  }
  test::ReadThrottle throttle;
  if (const std::string why = throttle.Create("shapeq-truth-" + std::to_string(getpid())); !why.empty()) GTEST_SKIP() << why;
  for (const auto& d : drives) {
    // A controller that is mounted but takes no limit (v2 without io in the subtree) cannot be used.
    if (!throttle.Limit(d.major_minor(), kBytesPerSPerDrive, kIopsPerDrive)) GTEST_SKIP() << "the cgroup takes no read limit for " << d.major_minor();
  }
  NetnsLab lab;
  if (const std::string why = lab.Create(2); !why.empty()) GTEST_SKIP() << why;
  ASSERT_TRUE(lab.Limit(0, "2gbit")) << "tc tbf";
  ASSERT_NE(lab.StartServer(1), nullptr);

  test::TempDir temp("shapeq-truth");
  const fs::path plan = temp.path() / "plan.json", dir = temp.path() / "run";
  // libaio: under the blkio throttle, io_uring's 1 MiB reads reach only about 55% of the cap
  // (measured with fio alone, both ways: a kernel matter, not shapeq's), and this test checks
  // shapeq's arithmetic against a known limit. Both kernels' block sizes pass the loop device
  // unsplit (1 MiB and 4 KiB under its 1,280 KiB max_sectors_kb).
  // The network's figure is the median of 3 repeats: one 3 s repeat on this 2-core VM came in at
  // 1.63 Gbit/s under the 2 Gbit/s limit about one run in four (a scheduling stall, not the link).
  std::ofstream(plan) << R"({"storage": {"kernels": ["seq_read", "rand_read"], "runtime_s": 4, "ramp_s": 1, "repeats": 1,
                                         "ioengine": "libaio", "steady_state": ""},
                             "network": {"streams": 2, "direction": "up", "duration_s": 3, "warmup_s": 1, "repeats": 3},
                             "datapath": {"enabled": false}})";
  const std::string command = std::string(SHAPEQ_BINARY) + " qualify --plan " + plan.string() + " --device " + drives[0].device() +
                              " --device " + drives[1].device() + " --peer " + NetnsLab::Address(1) + " --out " + dir.string();
  // Into the cgroup first: `ip netns exec` mounts a fresh /sys, without the cgroup hierarchy.
  const ProcessResult r = RunProcess({"sh", "-c", throttle.Enter("ip netns exec " + lab.Ns(0) + " " + command)});
  ASSERT_EQ(r.exit_code, 0) << r.stdout_text << r.stderr_text;

  const nlohmann::json verdicts = test::ReadJson(dir / "verdicts.json");
  const nlohmann::json* shape = MeasuredShape(verdicts);
  ASSERT_NE(shape, nullptr) << "the node was not sized as a shape: " << r.stdout_text;
  const auto& figures = (*shape)["figures"];
  EXPECT_EQ(figures["drive_count"]["value"], 2) << figures.dump();
  EXPECT_EQ(figures["read_gbytes_per_s"]["basis"], "measured");
  EXPECT_NEAR(figures["read_gbytes_per_s"]["value"].get<double>() * 1e9, 2 * kBytesPerSPerDrive, 0.05 * 2 * kBytesPerSPerDrive)
      << figures["read_gbytes_per_s"].dump();
  EXPECT_EQ(figures["read_iops"]["basis"], "measured");
  EXPECT_NEAR(figures["read_iops"]["value"].get<double>(), 2 * kIopsPerDrive, 0.05 * 2 * kIopsPerDrive) << figures["read_iops"].dump();
  // One fio run per kernel over both drives, each drive's figure beside the node's.
  const nlohmann::json storage = test::ReadJson(dir / "storage.json");
  ASSERT_EQ(storage.size(), 2u) << "one run per kernel, not one per drive and one for all";
  for (const auto& m : storage) {
    EXPECT_EQ(m["target"], "all 2 targets");
    const auto& per_drive = m["detail"]["repeats"].back()["per_target"];
    ASSERT_EQ(per_drive.size(), 2u) << m.dump();
    const bool seq = m["kernel"] == "fio.seq_read";
    for (const auto& d : per_drive) {
      const double value = d[seq ? "bytes_per_s" : "iops"].get<double>(), limit = seq ? kBytesPerSPerDrive : kIopsPerDrive;
      EXPECT_NEAR(value, limit, 0.05 * limit) << m["kernel"] << " " << d.dump();
    }
  }
  EXPECT_NE(test::ReadText(dir / "report.md").find("**Per drive (one fio run over all drives; last repeat)**"), std::string::npos);
  EXPECT_EQ(figures["nic_gbps"]["basis"], "measured");
  EXPECT_NEAR(figures["nic_gbps"]["value"].get<double>(), 2.0, 0.2) << figures["nic_gbps"].dump();
}

}  // namespace
}  // namespace shapeq
