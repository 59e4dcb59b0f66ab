// A fleet qualified as the README says: each node (a network namespace with its own hostname)
// runs `shapeq qualify` against a peer running `shapeq net-serve` and pushes to one shared
// Pushgateway; the fleet's pairs run at once through `shapeq net --hosts`; `shapeq report` over
// the nodes' results directories shows the spread. One node's NIC is limited to 1 Gbit/s, so
// the spread has a known cause and a known size.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include <nlohmann/json.hpp>

#include "tests/test_support.h"
#include "tests/workloads/netns_lab.h"

namespace shapeq {
namespace {

namespace fs = std::filesystem;

using test::ReadJson;
using test::ReadText;

TEST(Fleet, NodesPushToOneGatewayAndTheReportShowsTheirSpread) {
  if (RunProcess({"sh", "-c", "command -v prometheus-pushgateway && command -v unshare"}).exit_code != 0) {
    GTEST_SKIP() << "prometheus-pushgateway or unshare not installed";
  }
  NetnsLab lab;
  if (const std::string why = lab.Create(3); !why.empty()) GTEST_SKIP() << why;
  test::TempDir temp("shapeq-fleet");
  // Host 0 is the monitoring host; hosts 1 and 2 are the nodes, each the other's network peer.
  const std::string gateway = "http://" + NetnsLab::Address(0) + ":9091";
  auto pushgateway = lab.Start(0, test::PushgatewayArgv(NetnsLab::Address(0) + ":9091", temp.path()));
  ASSERT_NE(lab.StartServer(1), nullptr);
  ASSERT_NE(lab.StartServer(2), nullptr);
  ASSERT_TRUE(lab.Limit(1, "1gbit")) << "tc tbf";

  std::vector<fs::path> dirs;
  for (int node : {1, 2}) {
    const int peer = node == 1 ? 2 : 1;
    const fs::path dir = temp.path() / ("node-" + std::to_string(node));
    // Its own UTS namespace: the probe reads this node's hostname, as on a real fleet.
    const std::string command = "hostname node-" + std::to_string(node) + " && exec " + SHAPEQ_BINARY + " qualify --quick --peer " +
                                NetnsLab::Address(peer) + ":5201 --gateway " + gateway + " --out " + dir.string();
    const ProcessResult r = lab.Run(node, {"unshare", "--uts", "sh", "-c", command});
    ASSERT_EQ(r.exit_code, 0) << r.stdout_text << r.stderr_text;
    EXPECT_NE(r.stdout_text.find("[7/7] push: ok"), std::string::npos) << r.stdout_text;
    EXPECT_EQ(ReadJson(dir / "fingerprint.json")["source"]["hostname"], "node-" + std::to_string(node));
    EXPECT_EQ(ReadJson(dir / "network.json")["target"], NetnsLab::Address(peer) + ":5201");
    dirs.push_back(dir);
  }
  const double limited_gbit = ReadJson(dirs[0] / "network.json")["bytes_per_s"].get<double>() * 8 / 1e9;
  const double free_gbit = ReadJson(dirs[1] / "network.json")["bytes_per_s"].get<double>() * 8 / 1e9;
  EXPECT_NEAR(limited_gbit, 1.0, 0.1) << "node-1's NIC is limited to 1 Gbit/s";
  EXPECT_GT(free_gbit, 2 * limited_gbit);

  // Fleet pairs through the network kernel's fleet mode, driven from the monitoring host: each
  // node sends to the other at once; node-1's direction is the slow one.
  const fs::path pairs_file = temp.path() / "fleet-net.json";
  const ProcessResult fleet_net = lab.Run(0, {SHAPEQ_BINARY, "net", "--hosts", NetnsLab::Address(1) + "," + NetnsLab::Address(2), "--pattern",
                                              "pairwise", "--duration", "2", "--warmup", "0.5", "--repeats", "1", "-o", pairs_file.string()});
  ASSERT_EQ(fleet_net.exit_code, 0) << fleet_net.stderr_text;
  const auto pairs = ReadJson(pairs_file);
  ASSERT_EQ(pairs.size(), 2u) << pairs.dump();
  for (const auto& pair : pairs) {
    const double gbit = pair["bytes_per_s"].get<double>() * 8 / 1e9;
    if (pair["detail"]["from"] == NetnsLab::Address(1) + ":5201") {
      EXPECT_NEAR(gbit, 1.0, 0.1) << pair.dump();
    } else {
      EXPECT_GT(gbit, 2.0) << pair.dump();
    }
  }

  // One gateway, one group per node.
  const ProcessResult metrics = lab.Run(0, {"bash", "-c", "exec 3<>/dev/tcp/" + NetnsLab::Address(0) +
                                                               "/9091 && printf 'GET /metrics HTTP/1.0\\r\\n\\r\\n' >&3 && cat <&3"});
  for (const char* node : {"node-1", "node-2"}) {
    EXPECT_NE(metrics.stdout_text.find("shapeq_network_bytes_per_second{cloud="), std::string::npos);
    EXPECT_NE(metrics.stdout_text.find(std::string("node=\"") + node + "\""), std::string::npos) << node;
  }

  // The fleet report: both nodes side by side, and the spread the limit caused.
  const fs::path report = temp.path() / "fleet";
  const ProcessResult r = RunProcess({SHAPEQ_BINARY, "report", dirs[0].string(), dirs[1].string(), "--out", report.string()});
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  const std::string csv = ReadText(report / "report.csv");
  std::istringstream lines(csv);
  std::vector<std::string> row;
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("net.tcp to peer,Gbit/s,", 0) != 0) continue;
    std::istringstream cells(line);
    for (std::string cell; std::getline(cells, cell, ',');) row.push_back(cell);
  }
  ASSERT_EQ(row.size(), 8u) << "figure, unit, node-1, node-2, min, median, max, spread %\n" << csv;
  EXPECT_NEAR(std::stod(row[2]), limited_gbit, 1e-6);
  EXPECT_NEAR(std::stod(row[3]), free_gbit, 1e-6);
  EXPECT_NEAR(std::stod(row[7]), (free_gbit - limited_gbit) / ((free_gbit + limited_gbit) / 2) * 100, 1e-6);
  EXPECT_NE(ReadText(report / "report.html").find("2 nodes of "), std::string::npos);
  EXPECT_NE(csv.find("figure,unit,node-1,node-2,min,median,max,spread %"), std::string::npos) << csv;
}

}  // namespace
}  // namespace shapeq
