// `shapeq storage --hosts`: every host runs the same kernel on its own drives at once, through
// fio's own client/server, relayed by net-serve after the shared-secret proof. Truth: a host
// whose drive is throttled reports the throttle while the others do not, and the fleet figure is
// their sum. Safety: a client holding the secret still cannot make a host's fio run anything but
// the job that host planned, nor write a lent device the host did not consent to.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "common/subprocess.h"
#include "tests/cli/read_throttle.h"
#include "tests/test_support.h"
#include "tests/workloads/netns_lab.h"
#include "workloads/fio_gate.h"
#include "workloads/net_protocol.h"
#include "workloads/net_server.h"
#include "workloads/net_socket.h"
#include "workloads/storage_fleet.h"

namespace shapeq {
namespace {

namespace fs = std::filesystem;

constexpr const char* kToken = "storage-fleet-test-token-0123456789";

StorageLoan ScratchLoan(const fs::path& dir) {
  StorageLoan loan;
  loan.scratch_dir = dir.string();
  loan.scratch_bytes = 64 << 20;
  return loan;
}

std::unique_ptr<NetServer> StartServer(StorageLoan loan) {
  NetServerLimits limits;
  limits.token = kToken;
  auto server = std::make_unique<NetServer>(ParseEndpoint("127.0.0.1:0", 0, "test"), limits, std::move(loan));
  server->Start();
  return server;
}

std::string Address(const NetServer& server) { return "127.0.0.1:" + std::to_string(server.port()); }

StorageOptions QuickRead() {
  StorageOptions o = QuickStorageOptions(StorageOptions{});
  o.kernels = {"seq_read"};
  o.steady_state.clear();
  return WithServedDefaults(o);
}

double Rate(const nlohmann::json& j) { return j.value("bytes_per_s", 0.0); }

TEST(StorageFleet, TwoHostsRunTheirOwnJobsAndTheFleetIsTheirSum) {
  test::TempDir temp("shapeq-storage-fleet");
  auto a = StartServer(ScratchLoan(temp.path() / "a"));
  auto b = StartServer(ScratchLoan(temp.path() / "b"));
  const std::vector<Measurement> ms = RunStorageFleet({{Address(*a), Address(*b)}, kToken, QuickRead()});
  ASSERT_EQ(ms.size(), 1u);
  const Measurement& m = ms[0];
  ASSERT_EQ(m.status, MeasurementStatus::kOk) << m.reason;
  EXPECT_EQ(m.kernel, "fio.seq_read");
  const nlohmann::json hosts = m.detail["hosts"], per_host = m.detail["per_host"];
  ASSERT_EQ(hosts.size(), 2u);
  ASSERT_EQ(per_host.size(), 2u);
  double sum = 0;
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(hosts[i]["status"], "ran");
    EXPECT_EQ(per_host[i]["host"], i == 0 ? Address(*a) : Address(*b));
    EXPECT_FALSE(per_host[i]["hostname"].get<std::string>().empty());
    EXPECT_GT(Rate(per_host[i]), 1e6);
    EXPECT_TRUE(per_host[i]["p99_s"].is_number());
    sum += Rate(per_host[i]);
    // Each host planned its own job over its own target.
    const std::string own_dir = (temp.path() / (i == 0 ? "a" : "b")).string();
    EXPECT_NE(hosts[i]["job_file"].get<std::string>().find("filename=" + own_dir), std::string::npos) << hosts[i]["job_file"];
  }
  EXPECT_NEAR(*m.bytes_per_s, sum, 0.01 * sum);
}

// Reads until the peer closes (what the fio server said before, dropped): true within `timeout_s`.
bool ClosedWithin(const Socket& s, double timeout_s) {
  SetIoTimeout(s, timeout_s);
  char buffer[4096];
  for (;;) {
    const ssize_t n = recv(s.fd(), buffer, sizeof buffer, 0);
    if (n == 0) return true;
    if (n < 0) return errno != EAGAIN && errno != EWOULDBLOCK;
  }
}

std::string Le16(size_t value) { return {static_cast<char>(value & 0xff), static_cast<char>(value >> 8)}; }

TEST(StorageFleet, AClientWithTheSecretRunsNothingButThePlannedJob) {
  test::TempDir temp("shapeq-storage-hostile");
  auto server = StartServer(ScratchLoan(temp.path() / "lent"));
  // A job that runs a command, as an attacker would send it. Plain fio runs it: the marker can
  // appear, so its absence below means the gate stopped it.
  auto evil_job = [&](const fs::path& marker) {
    return "[evil]\nioengine=null\nsize=1m\nexec_prerun=touch " + marker.string() + "\n";
  };
  const fs::path control = temp.path() / "control-marker", control_job = temp.path() / "control.fio";
  std::ofstream(control_job) << evil_job(control);
  ASSERT_EQ(RunProcess({"fio", control_job.string()}).exit_code, 0);
  ASSERT_TRUE(fs::exists(control)) << "this fio does not run exec_prerun: the test below could not fail";

  const std::string probe = FioFrame(10, std::string(136, '\0'));
  const fs::path evil_file = temp.path() / "evil.fio";
  std::ofstream(evil_file) << evil_job(temp.path() / "marker-load-file");
  struct Attack {
    const char* what;
    fs::path marker;
    std::string frames;
  };
  const std::vector<Attack> attacks = {
      {"its own job", temp.path() / "marker-job", probe + FioFrame(3, evil_job(temp.path() / "marker-job"))},
      {"another job file", temp.path() / "marker-load-file",
       probe + FioFrame(19, Le16(evil_file.string().size()) + Le16(1) + evil_file.string() + '\0')},
      {"a job file on fio's command line", temp.path() / "marker-load-file",
       probe + FioFrame(4, Le16(2) + Le16(1) + Le16(4) + "fio" + '\0' + Le16(evil_file.string().size() + 1) + evil_file.string() + '\0')},
  };
  const std::string request = std::string(kFioRequestVerb) + " " + FioRequestJson("seq_read", QuickRead()).dump();
  for (const auto& attack : attacks) {
    const Socket s = ConnectAuthenticated(ParseEndpoint(Address(*server), 0, "test"), kToken, 5);
    ASSERT_TRUE(SendLine(s, request));
    const auto reply = ReadLine(s, 60);
    ASSERT_TRUE(reply && reply->rfind("OK ", 0) == 0) << attack.what << ": " << reply.value_or("(nothing)");
    ASSERT_TRUE(SendAll(s, attack.frames));
    EXPECT_TRUE(ClosedWithin(s, 10)) << attack.what << ": the relay stayed open";
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    EXPECT_FALSE(fs::exists(attack.marker)) << attack.what << " ran a command";
  }
  // The server still serves an honest fleet run.
  const auto ms = RunStorageFleet({{Address(*server)}, kToken, QuickRead()});
  ASSERT_EQ(ms.size(), 1u);
  EXPECT_EQ(ms[0].status, MeasurementStatus::kOk) << ms[0].reason;
}

TEST(StorageFleet, MalformedRequestsAreRefusedWithTheFieldAndTheServerStaysUp) {
  test::TempDir temp("shapeq-storage-requests");
  auto server = StartServer(ScratchLoan(temp.path() / "lent"));
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"[]", "expected an object"},
      {R"({"kernel":"nope"})", "field kernel"},
      {R"({"kernel":"seq_read","extra":1})", "field extra"},
      {R"({"kernel":"seq_read","options":{"ioengine":"exec"}})", "ioengine"},
      {R"({"kernel":"seq_read","options":{"steady_state":"iops:1\nexec_prerun=x"}})", "steady_state"},
      {R"({"kernel":"seq_read","options":{"runtime_s":1e9}})", "runtime_s"},
      {R"({"kernel":"seq_read","options":{"runtime_s":200}})", "cap of 120 s"},
      {R"({"kernel":"seq_read","options":{"fio":"/bin/sh"}})", "options.fio"},
      {R"({"kernel":"seq_read","rand_iodepth":-1})", "rand_iodepth"},
      {std::string(100, '[') + std::string(100, ']'), "nested deeper"},
  };
  for (const auto& [json, expect] : cases) {
    const Socket s = ConnectAuthenticated(ParseEndpoint(Address(*server), 0, "test"), kToken, 5);
    ASSERT_TRUE(SendLine(s, std::string(kFioRequestVerb) + " " + json));
    const auto reply = ReadLine(s, 30);
    ASSERT_TRUE(reply.has_value()) << json;
    EXPECT_EQ(reply->rfind("ERR ", 0), 0u) << json << " -> " << *reply;
    EXPECT_NE(reply->find(expect), std::string::npos) << json << " -> " << *reply;
  }
  // A server that lends nothing refuses, and a fleet of it is skipped, not failed.
  auto lends_nothing = StartServer(StorageLoan{});
  const auto ms = RunStorageFleet({{Address(*lends_nothing)}, kToken, QuickRead()});
  ASSERT_EQ(ms.size(), 1u);
  EXPECT_EQ(ms[0].status, MeasurementStatus::kSkipped);
  EXPECT_NE(ms[0].detail["hosts"][0]["reason"].get<std::string>().find("lends no storage"), std::string::npos);
  // And a fleet with the wrong secret fails: the fleet is broken, not refusing.
  const auto wrong = RunStorageFleet({{Address(*server)}, "another-token-of-enough-length", QuickRead()});
  EXPECT_EQ(wrong[0].status, MeasurementStatus::kFailed);
}

}  // namespace
}  // namespace shapeq
