// `shapeq storage --hosts`: every host runs the same kernel on its own drives at once, through
// fio's own client/server, relayed by net-serve after the shared-secret proof. Truth: a host
// whose drive is throttled reports the throttle while the others do not, and the fleet figure is
// their sum. Safety: a client holding the secret still cannot make a host's fio run anything but
// the job that host planned, nor write a lent device the host did not consent to.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <random>
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
    // (fio opens the scratch file net-serve made through its descriptor: /proc/PID/fd/N.)
    EXPECT_NE(hosts[i]["job_file"].get<std::string>().find("filename=/proc/"), std::string::npos) << hosts[i]["job_file"];
    EXPECT_EQ(hosts[i]["targets"][0]["path"].get<std::string>().rfind(own_dir + "/shapeq-scratch-", 0), 0u) << hosts[i].dump();
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

// Mutants of an honest request (bytes flipped, cut, doubled, odd tokens dropped in): every one is
// answered with one OK or ERR line, and the server still serves an honest run after them all.
TEST(StorageFleet, MutatedRequestsAreAnsweredAndNeverStopTheServer) {
  test::TempDir temp("shapeq-storage-fuzz");
  auto server = StartServer(ScratchLoan(temp.path() / "lent"));
  const std::string honest = FioRequestJson("seq_read", QuickRead()).dump();
  const std::vector<std::string> tokens = {"1e400", "-1", "null", "[]", "{}", "\"\\n\"", "\"exec\"", std::string(80, '['), "\"a]b\"", "4294967297"};
  std::mt19937 random(7);
  auto below = [&](size_t n) { return static_cast<size_t>(random() % n); };
  size_t ok = 0, refused = 0;
  for (int i = 0; i < 300; ++i) {
    std::string mutant = honest;
    for (size_t e = 0, edits = 1 + below(3); e < edits; ++e) {
      const size_t at = below(mutant.size());
      switch (below(4)) {
        case 0: mutant[at] = static_cast<char>(random()); break;
        case 1: mutant.erase(at, 1 + below(8)); break;
        case 2: mutant.insert(at, mutant.substr(at, 1 + below(16))); break;
        default: mutant.insert(at, tokens[below(tokens.size())]); break;
      }
    }
    const std::string line = mutant.substr(0, mutant.find('\n'));  // a request is one line
    const Socket s = ConnectAuthenticated(ParseEndpoint(Address(*server), 0, "test"), kToken, 5);
    ASSERT_TRUE(SendLine(s, std::string(kFioRequestVerb) + " " + line));
    const auto reply = ReadLine(s, 30);
    ASSERT_TRUE(reply.has_value()) << "no answer to " << line;
    const bool accepted = reply->rfind("OK ", 0) == 0;
    ASSERT_TRUE(accepted || reply->rfind("ERR ", 0) == 0) << line << " -> " << *reply;
    (accepted ? ok : refused)++;
  }
  EXPECT_GT(refused, 100u);
  const auto ms = RunStorageFleet({{Address(*server)}, kToken, QuickRead()});
  ASSERT_EQ(ms.size(), 1u);
  EXPECT_EQ(ms[0].status, MeasurementStatus::kOk) << ms[0].reason << " (after " << ok << " accepted and " << refused << " refused mutants)";
}

// A lent raw device is written only when the host consented (net-serve --allow-destructive)
// and the run asked (--allow-destructive): either alone leaves it untouched.
TEST(StorageFleet, WritesNeedTheHostsConsentAndTheRunsRequest) {
  test::TmpfsLoop drive;
  const fs::path file = fs::path("/dev/shm") / ("shapeq-fleet-write-" + std::to_string(getpid()));
  if (const std::string why = drive.Attach(file, 64 << 20); !why.empty()) GTEST_SKIP() << why;
  auto written = [&] {
    std::ifstream in(file, std::ios::binary);
    return std::any_of(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>(), [](char c) { return c != 0; });
  };
  StorageOptions write = QuickRead();
  write.kernels = {"seq_write"};
  for (const bool host_consents : {false, true}) {
    StorageLoan loan;
    loan.devices = {drive.device()};
    loan.allow_destructive = host_consents;
    auto server = StartServer(loan);
    for (const bool run_asks : {false, true}) {
      write.allow_destructive = run_asks;
      const auto ms = RunStorageFleet({{Address(*server)}, kToken, write});
      ASSERT_EQ(ms.size(), 1u);
      if (host_consents && run_asks) {
        EXPECT_EQ(ms[0].status, MeasurementStatus::kOk) << ms[0].reason;
        EXPECT_TRUE(written());
      } else {
        EXPECT_EQ(ms[0].status, MeasurementStatus::kSkipped) << host_consents << run_asks;
        EXPECT_NE(ms[0].reason.find("allow-destructive"), std::string::npos) << ms[0].reason;
        EXPECT_FALSE(written()) << "written without consent (host " << host_consents << ", run " << run_asks << ")";
      }
    }
  }
}

// The issue's test: three hosts that are network namespaces with their own hostnames, each
// lending a loop device to its net-serve, one of them under a 16 MiB/s read throttle; the
// coordinator runs from a fourth. fio's client starts all three at once.
TEST(StorageFleet, NamespaceHostsOverLoopDevicesEachReportTheirOwnDrive) {
  if (RunProcess({"sh", "-c", "command -v unshare"}).exit_code != 0) GTEST_SKIP() << "unshare not installed";
  NetnsLab lab;
  if (const std::string why = lab.Create(4); !why.empty()) GTEST_SKIP() << why;
  constexpr double kThrottleBytesPerS = 16.0 * (1 << 20);
  constexpr uint64_t kDriveBytes = 128 << 20;
  test::TmpfsLoop drives[3];
  for (int i = 0; i < 3; ++i) {
    const fs::path file = fs::path("/dev/shm") / ("shapeq-fleet-drive-" + std::to_string(getpid()) + "-" + std::to_string(i));
    if (const std::string why = drives[i].Attach(file, kDriveBytes); !why.empty()) GTEST_SKIP() << why;
  }
  test::ReadThrottle throttle;
  if (const std::string why = throttle.Create("shapeq-fleet-" + std::to_string(getpid())); !why.empty()) GTEST_SKIP() << why;
  if (!throttle.Limit(drives[1].major_minor(), kThrottleBytesPerS, 1e6)) GTEST_SKIP() << "the cgroup takes no read limit";

  std::vector<std::unique_ptr<ChildProcess>> servers;
  std::string hosts;
  for (int i = 0; i < 3; ++i) {
    const int host = i + 1;
    const std::string serve = std::string(SHAPEQ_BINARY) + " net-serve --listen " + NetnsLab::Address(host) + ":5201 --storage-device " +
                              drives[i].device();
    const std::string command = "hostname store-" + std::to_string(i) + " && exec " + serve;
    servers.push_back(lab.Start(host, {"unshare", "--uts", "sh", "-c", command}));
    // ip, unshare and sh each exec the next: the pid is net-serve's, and its fio servers inherit.
    if (i == 1) {
      ASSERT_TRUE(throttle.Add(servers.back()->pid()));
    }
    const auto line = servers.back()->ReadLine(10);
    if (!line || line->find("lending " + drives[i].device()) == std::string::npos) {
      const ProcessResult why = lab.Run(host, {"unshare", "--uts", "sh", "-c", command});  // its words, for the failure
      FAIL() << "net-serve on host " << host << " did not start: " << why.stdout_text << why.stderr_text;
    }
    hosts += (hosts.empty() ? "" : ",") + NetnsLab::Address(host) + ":5201";
  }
  test::TempDir temp("shapeq-storage-fleet-ns");
  const fs::path out = temp.path() / "fleet-storage.json";
  const auto start = std::chrono::steady_clock::now();
  // --force-async: the throttle charges io_uring's non-blocking try and its retry both.
  const ProcessResult r = lab.Run(0, {SHAPEQ_BINARY, "storage", "--hosts", hosts, "--kernels", "seq_read,seq_write", "--runtime", "4", "--ramp", "1",
                                      "--repeats", "1", "--no-steady-state", "--force-async", "--json", "-o", out.string()});
  const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_EQ(r.exit_code, 0) << r.stdout_text << r.stderr_text;
  const nlohmann::json ms = nlohmann::json::parse(r.stdout_text);
  ASSERT_EQ(ms.size(), 2u);
  const nlohmann::json& read = ms[0];
  ASSERT_EQ(read["kernel"], "fio.seq_read");
  ASSERT_EQ(read["status"], "ok") << read["reason"];
  const nlohmann::json per_host = read["detail"]["per_host"];
  ASSERT_EQ(per_host.size(), 3u);
  double sum = 0;
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(per_host[i]["hostname"], "store-" + std::to_string(i)) << "each host names itself";
    EXPECT_EQ(per_host[i]["host"], NetnsLab::Address(i + 1) + ":5201");
    EXPECT_NE(read["detail"]["hosts"][i]["job_file"].get<std::string>().find("filename=" + drives[i].device()), std::string::npos);
    sum += Rate(per_host[i]);
  }
  EXPECT_NEAR(Rate(per_host[1]), kThrottleBytesPerS, 0.25 * kThrottleBytesPerS) << "store-1's drive is throttled";
  EXPECT_GT(Rate(per_host[0]), 3 * kThrottleBytesPerS);
  EXPECT_GT(Rate(per_host[2]), 3 * kThrottleBytesPerS);
  EXPECT_NEAR(Rate(read), sum, 0.01 * sum) << "the fleet is the sum of its hosts";
  // At once: one host after another would take 3 x (1 + 4) s.
  EXPECT_LT(wall_s, 11) << "the hosts ran one after another";

  // Writes: no host consented (net-serve without --allow-destructive), so none ran, and every
  // lent drive still holds only the zeros it started with.
  const nlohmann::json& write = ms[1];
  EXPECT_EQ(write["status"], "skipped");
  for (const auto& host : write["detail"]["hosts"]) {
    EXPECT_NE(host["reason"].get<std::string>().find("--allow-destructive"), std::string::npos) << host;
  }
  for (const auto& drive : drives) {
    std::ifstream in(drive.device(), std::ios::binary);
    std::vector<char> block(1 << 20);
    uint64_t nonzero = 0, read_bytes = 0;
    while (in.read(block.data(), static_cast<std::streamsize>(block.size())) || in.gcount() > 0) {
      read_bytes += static_cast<uint64_t>(in.gcount());
      nonzero += static_cast<uint64_t>(std::count_if(block.begin(), block.begin() + in.gcount(), [](char c) { return c != 0; }));
    }
    EXPECT_EQ(read_bytes, kDriveBytes);
    EXPECT_EQ(nonzero, 0u) << drive.device() << " was written";
  }

  // The fleet report: every host of each kernel, the throttled one in the coolest colour, the
  // refused writes named; a file that is not a fleet run is one line naming it.
  const fs::path report = temp.path() / "report";
  const ProcessResult rendered =
      RunProcess({SHAPEQ_BINARY, "report", SHAPEQ_FIXTURES "/golden/run", "--storage-fleet", out.string(), "--out", report.string()});
  ASSERT_EQ(rendered.exit_code, 0) << rendered.stderr_text;
  const std::string html = test::ReadText(report / "report.html");
  const size_t at = html.find("<section id=\"fleet-storage\">");
  ASSERT_NE(at, std::string::npos);
  const std::string section = html.substr(at, html.find("</section>", at) - at);
  auto row_of = [&](const std::string& host) {
    const size_t row = section.find("<td>" + host + "</td>");
    return row == std::string::npos ? std::string() : section.substr(row, section.find("</tr>", row) - row);
  };
  EXPECT_NE(row_of(NetnsLab::Address(1) + ":5201").find("heat4"), std::string::npos) << section;
  EXPECT_NE(row_of(NetnsLab::Address(2) + ":5201").find("heat0"), std::string::npos) << "store-1 is throttled: " << section;
  EXPECT_NE(section.find("refused: "), std::string::npos) << section;
  // The same fleet in the PKB samples beside the report, through the node's sample model: the
  // fleet's sum and each host's, the throttled host the slower.
  std::map<std::string, double> seq_read_mb_s;  // fleet_host -> MB/s
  std::istringstream samples(test::ReadText(report / "pkb_samples.json"));
  for (std::string line; std::getline(samples, line);) {
    const auto sample = nlohmann::json::parse(line);
    if (sample["test"] == "shapeq_fleet_storage" && sample["metric"] == "seq_read:bandwidth") {
      seq_read_mb_s[sample["metadata"]["fleet_host"]] = sample["value"].get<double>();
    }
  }
  const std::string fast = NetnsLab::Address(1) + ":5201", slow = NetnsLab::Address(2) + ":5201", third = NetnsLab::Address(3) + ":5201";
  ASSERT_EQ(seq_read_mb_s.size(), 4u) << "the fleet and its 3 hosts: " << test::ReadText(report / "pkb_samples.json");
  EXPECT_LT(seq_read_mb_s[slow], seq_read_mb_s[fast]);
  EXPECT_LT(seq_read_mb_s[slow], seq_read_mb_s[third]);
  EXPECT_GE(seq_read_mb_s["all"], seq_read_mb_s[fast]);
  const fs::path bad = temp.path() / "bad.json";
  std::ofstream(bad) << R"([{"kernel": "fio.seq_read", "detail": {"per_host": [{"host": 7}]}}])";
  const ProcessResult refused = RunProcess({SHAPEQ_BINARY, "report", SHAPEQ_FIXTURES "/golden/run", "--storage-fleet", bad.string(), "--out", report.string()});
  test::ExpectOneLineError(refused, ExitCode::kBadInput, bad.string());
}

}  // namespace
}  // namespace shapeq
