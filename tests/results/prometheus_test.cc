// Publishing to Prometheus for real: a Pushgateway and a Prometheus started on 127.0.0.1 by the
// test; the values Prometheus answers must be the values in the results files.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <regex>
#include <thread>

#include <nlohmann/json.hpp>
#include <prometheus/text_serializer.h>

#include "common/error.h"
#include "common/subprocess.h"
#include "results/prometheus_export.h"

namespace shapeq {
namespace {

namespace fs = std::filesystem;

// A port free on 127.0.0.1 right now.
int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(fd);
  return ntohs(address.sin_port);
}

// GET http://127.0.0.1:PORT/PATH: the body, or empty.
std::string HttpGet(int port, const std::string& path) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string response;
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) {
    const std::string request = "GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
    send(fd, request.data(), request.size(), 0);
    char buffer[65536];
    for (ssize_t n; (n = recv(fd, buffer, sizeof buffer, 0)) > 0;) response.append(buffer, static_cast<size_t>(n));
  }
  close(fd);
  const auto body = response.find("\r\n\r\n");
  return body == std::string::npos ? "" : response.substr(body + 4);
}

bool WaitReady(int port, double seconds) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    if (!HttpGet(port, "/-/ready").empty()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

class Publishing : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // One real run to publish, from the quick qualification.
    run_dir_ = (fs::temp_directory_path() / ("shapeq-publish-" + std::to_string(getpid()))).string();
    const ProcessResult r = RunProcess({SHAPEQ_BINARY, "qualify", "--quick", "--out", run_dir_});
    ASSERT_EQ(r.exit_code, 0) << r.stdout_text << r.stderr_text;
  }
  static void TearDownTestSuite() { fs::remove_all(run_dir_); }

  void SetUp() override {
    for (const char* tool : {"prometheus-pushgateway", "prometheus", "promtool"}) {
      if (RunProcess({"sh", "-c", std::string("command -v ") + tool}).exit_code != 0) GTEST_SKIP() << tool << " not installed";
    }
    work_ = fs::temp_directory_path() / ("shapeq-prom-" + std::to_string(getpid()));
    fs::create_directories(work_);
  }
  void TearDown() override { fs::remove_all(work_); }

  static std::unique_ptr<ChildProcess> StartGateway(int port) {
    auto gateway = std::make_unique<ChildProcess>(
        std::vector<std::string>{"prometheus-pushgateway", "--web.listen-address=127.0.0.1:" + std::to_string(port)});
    EXPECT_TRUE(WaitReady(port, 15)) << "pushgateway did not start";
    return gateway;
  }

  static std::string run_dir_;
  fs::path work_;
};
std::string Publishing::run_dir_;

TEST_F(Publishing, PrometheusAnswersTheValuesInTheResultsFiles) {
  const int gateway_port = FreePort(), prometheus_port = FreePort();
  auto gateway = StartGateway(gateway_port);
  const ProcessResult push =
      RunProcess({SHAPEQ_BINARY, "push", run_dir_, "--gateway", "http://127.0.0.1:" + std::to_string(gateway_port)});
  ASSERT_EQ(push.exit_code, 0) << push.stderr_text;

  std::ofstream(work_ / "prometheus.yml") << "global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: pushgateway\n"
                                             "    honor_labels: true\n    static_configs:\n      - targets: ['127.0.0.1:"
                                          << gateway_port << "']\n";
  ChildProcess prometheus({"prometheus", "--config.file=" + (work_ / "prometheus.yml").string(),
                           "--storage.tsdb.path=" + (work_ / "tsdb").string(),
                           "--web.listen-address=127.0.0.1:" + std::to_string(prometheus_port)});
  ASSERT_TRUE(WaitReady(prometheus_port, 30)) << "prometheus did not start";

  std::ifstream storage_file(fs::path(run_dir_) / "storage.json");
  const auto storage = nlohmann::json::parse(storage_file);
  ASSERT_EQ(storage[0]["kernel"], "fio.seq_read");
  const double expected = storage[0]["bytes_per_s"].get<double>();
  nlohmann::json result;
  for (int i = 0; i < 100 && (result.is_null() || result.empty()); ++i) {
    const std::string body = HttpGet(prometheus_port, "/api/v1/query?query=shapeq_storage_bytes_per_second%7Bkernel%3D%22seq_read%22%7D");
    const auto answer = nlohmann::json::parse(body, nullptr, false);
    if (!answer.is_discarded() && answer.value("status", "") == "success") result = answer["data"]["result"];
    if (result.is_null() || result.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(300));
  }
  ASSERT_EQ(result.size(), 1u) << result.dump();
  EXPECT_EQ(result[0]["metric"]["job"], "shapeq");
  EXPECT_EQ(result[0]["metric"]["run"], fs::path(run_dir_).filename().string());
  EXPECT_NEAR(std::stod(result[0]["value"][1].get<std::string>()), expected, expected * 1e-9);
  prometheus.Signal(SIGTERM);
  prometheus.Wait();
}

// The answer to an instant query, once Prometheus has one for which `accept` holds.
nlohmann::json QueryUntil(int port, const std::string& query_url_encoded, const std::function<bool(const nlohmann::json&)>& accept) {
  nlohmann::json result;
  for (int i = 0; i < 100; ++i) {
    const auto answer = nlohmann::json::parse(HttpGet(port, "/api/v1/query?query=" + query_url_encoded), nullptr, false);
    if (!answer.is_discarded() && answer.value("status", "") == "success") result = answer["data"]["result"];
    if (result.is_array() && result.size() == 1 && accept(result[0])) return result;
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
  }
  return result;
}

// shapeq serve, scraped by a real Prometheus: the values of the newest finished run, and a new
// run replaces them without restarting anything.
TEST_F(Publishing, ServeExposesTheLatestRunToPrometheus) {
  const fs::path root = work_ / "results";
  fs::create_directories(root);
  fs::copy(run_dir_, root / "run-1", fs::copy_options::recursive);
  ChildProcess serve({SHAPEQ_BINARY, "serve", "--listen", "127.0.0.1:0", "--results", root.string()});
  const auto line = serve.ReadLine(15);
  ASSERT_TRUE(line.has_value());
  std::smatch port_match;
  ASSERT_TRUE(std::regex_search(*line, port_match, std::regex("serving .*run-1 on http://127\\.0\\.0\\.1:(\\d+)/metrics"))) << *line;
  const int serve_port = std::stoi(port_match[1]);
  EXPECT_NE(HttpGet(serve_port, "/metrics").find("shapeq_serve_read_ok 1"), std::string::npos);

  const int prometheus_port = FreePort();
  std::ofstream(work_ / "prometheus.yml") << "global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: shapeq\n"
                                             "    static_configs:\n      - targets: ['127.0.0.1:" << serve_port << "']\n";
  ChildProcess prometheus({"prometheus", "--config.file=" + (work_ / "prometheus.yml").string(),
                           "--storage.tsdb.path=" + (work_ / "tsdb").string(),
                           "--web.listen-address=127.0.0.1:" + std::to_string(prometheus_port)});
  ASSERT_TRUE(WaitReady(prometheus_port, 30)) << "prometheus did not start";

  std::ifstream storage_file(root / "run-1" / "storage.json");
  auto storage = nlohmann::json::parse(storage_file);
  ASSERT_EQ(storage[0]["kernel"], "fio.seq_read");
  const double first = storage[0]["bytes_per_s"].get<double>();
  const std::string query = "shapeq_storage_bytes_per_second%7Bkernel%3D%22seq_read%22%7D";
  auto result = QueryUntil(prometheus_port, query, [](const nlohmann::json&) { return true; });
  ASSERT_EQ(result.size(), 1u) << result.dump();
  EXPECT_EQ(result[0]["metric"]["run"], "run-1");
  EXPECT_NEAR(std::stod(result[0]["value"][1].get<std::string>()), first, first * 1e-9);

  // A newer run lands (written as qualify writes it: the manifest last).
  fs::copy(root / "run-1", root / "run-2", fs::copy_options::recursive);
  storage[0]["bytes_per_s"] = first * 2;
  std::ofstream(root / "run-2" / "storage.json") << storage.dump();
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  std::ifstream manifest_file(root / "run-2" / "manifest.json");
  const auto manifest = nlohmann::json::parse(manifest_file);
  std::ofstream(root / "run-2" / "manifest.json") << manifest.dump();
  result = QueryUntil(prometheus_port, query, [](const nlohmann::json& r) { return r["metric"]["run"] == "run-2"; });
  ASSERT_EQ(result.size(), 1u) << result.dump();
  EXPECT_EQ(result[0]["metric"]["run"], "run-2");
  EXPECT_NEAR(std::stod(result[0]["value"][1].get<std::string>()), first * 2, first * 1e-9);

  prometheus.Signal(SIGTERM);
  prometheus.Wait();
  serve.Signal(SIGTERM);
  EXPECT_EQ(serve.Wait(), 0);
}

TEST_F(Publishing, ServeRefusesBadListenAddressesInOneLine) {
  ProcessResult r = RunProcess({SHAPEQ_BINARY, "serve", "--listen", "9464", "--results", run_dir_});
  EXPECT_EQ(r.exit_code, static_cast<int>(ExitCode::kUsage)) << r.stderr_text;
  EXPECT_NE(r.stderr_text.find("--listen '9464': expected HOST:PORT"), std::string::npos) << r.stderr_text;
  // A port already taken: a clear environment error, not a crash.
  const int port = FreePort();
  auto gateway = StartGateway(port);
  r = RunProcess({SHAPEQ_BINARY, "serve", "--listen", "127.0.0.1:" + std::to_string(port), "--results", run_dir_});
  EXPECT_EQ(r.exit_code, static_cast<int>(ExitCode::kEnvironment)) << r.stderr_text;
  EXPECT_NE(r.stderr_text.find("cannot listen"), std::string::npos) << r.stderr_text;
  EXPECT_EQ(std::count(r.stderr_text.begin(), r.stderr_text.end(), '\n'), 1) << r.stderr_text;
}

TEST_F(Publishing, MetricsPassPromtool) {
  const RunFiles run = ReadRunFiles(run_dir_);
  const std::string text = prometheus::TextSerializer().Serialize(RunMetrics(run)->Collect());
  EXPECT_NE(text.find("shapeq_datapath_bytes_per_second{"), std::string::npos);
  EXPECT_NE(text.find("shapeq_run_complete{"), std::string::npos);
  std::ofstream(work_ / "metrics.txt") << text;
  const ProcessResult check = RunProcess({"sh", "-c", "promtool check metrics < " + (work_ / "metrics.txt").string()});
  EXPECT_EQ(check.exit_code, 0) << check.stdout_text << check.stderr_text;
}

TEST_F(Publishing, GatewayDownKeepsTheResultsAndALaterPushSendsThem) {
  const int port = FreePort();
  const auto before = fs::last_write_time(fs::path(run_dir_) / "storage.json");
  const ProcessResult down =
      RunProcess({SHAPEQ_BINARY, "push", run_dir_, "--gateway", "http://127.0.0.1:" + std::to_string(port), "--attempts", "2"});
  EXPECT_EQ(down.exit_code, static_cast<int>(ExitCode::kEnvironment));
  EXPECT_NE(down.stderr_text.find("unreachable after 2 attempts; the results stay in " + run_dir_), std::string::npos) << down.stderr_text;
  EXPECT_EQ(fs::last_write_time(fs::path(run_dir_) / "storage.json"), before);
  // The gateway comes back: the same command sends them.
  auto gateway = StartGateway(port);
  const ProcessResult later = RunProcess({SHAPEQ_BINARY, "push", run_dir_, "--gateway", "http://127.0.0.1:" + std::to_string(port)});
  EXPECT_EQ(later.exit_code, 0) << later.stderr_text;
  EXPECT_NE(HttpGet(port, "/metrics").find("shapeq_storage_bytes_per_second{"), std::string::npos);
}

TEST_F(Publishing, BadGatewayUrlAndMissingRunAreOneLineErrors) {
  ProcessResult r = RunProcess({SHAPEQ_BINARY, "push", run_dir_, "--gateway", "127.0.0.1:9091"});
  EXPECT_EQ(r.exit_code, static_cast<int>(ExitCode::kUsage)) << r.stderr_text;
  EXPECT_NE(r.stderr_text.find("expected http(s)://HOST:PORT"), std::string::npos) << r.stderr_text;
  r = RunProcess({SHAPEQ_BINARY, "push", (work_ / "nothing").string(), "--gateway", "http://127.0.0.1:9091"});
  EXPECT_EQ(r.exit_code, static_cast<int>(ExitCode::kBadInput)) << r.stderr_text;
  EXPECT_NE(r.stderr_text.find("no such results directory"), std::string::npos) << r.stderr_text;
}

}  // namespace
}  // namespace shapeq
