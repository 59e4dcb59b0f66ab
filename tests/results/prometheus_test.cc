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
#include <sstream>
#include <functional>
#include <optional>
#include <regex>
#include <thread>

#include <curl/curl.h>
#include <nlohmann/json.hpp>
#include <prometheus/text_serializer.h>

#include "common/error.h"
#include "common/subprocess.h"
#include "results/pkb_samples.h"
#include "results/prometheus_export.h"
#include "tests/test_support.h"

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

// A TCP connection to 127.0.0.1:PORT (the caller closes it), or -1.
int ConnectLoopback(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) return fd;
  close(fd);
  return -1;
}

// GET http://127.0.0.1:PORT/PATH: the body, or empty.
std::string HttpGet(int port, const std::string& path) {
  const int fd = ConnectLoopback(port);
  std::string response;
  if (fd >= 0) {
    const std::string request = "GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
    send(fd, request.data(), request.size(), 0);
    char buffer[65536];
    for (ssize_t n; (n = recv(fd, buffer, sizeof buffer, 0)) > 0;) response.append(buffer, static_cast<size_t>(n));
    close(fd);
  }
  const auto body = response.find("\r\n\r\n");
  return body == std::string::npos ? "" : response.substr(body + 4);
}

std::string UrlEncode(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '_' || c == '.' || c == '-') {
      out += static_cast<char>(c);
    } else {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", c);
      out += hex;
    }
  }
  return out;
}

// Polls `ready` every 100 ms for up to `seconds`.
bool WaitUntil(double seconds, const std::function<bool()>& ready) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    if (ready()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

bool WaitReady(int port, double seconds) {
  return WaitUntil(seconds, [port] { return !HttpGet(port, "/-/ready").empty(); });
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

class Publishing : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // One real run to publish, from the quick qualification; CTest runs each test in its own
    // process, so the run is kept in the build tree and shared while the binary is unchanged.
    run_dir_ = std::string(SHAPEQ_TEST_WORK) + "/publish-run";
    std::error_code error;
    const auto made = fs::last_write_time(fs::path(run_dir_) / "report.html", error);
    if (!error && made > fs::last_write_time(SHAPEQ_BINARY)) return;
    fs::remove_all(run_dir_);
    const ProcessResult r = RunProcess({SHAPEQ_BINARY, "qualify", "--quick", "--out", run_dir_});
    ASSERT_EQ(r.exit_code, 0) << r.stdout_text << r.stderr_text;
  }

  void SetUp() override {
    for (const char* tool : {"prometheus-pushgateway", "prometheus", "promtool"}) {
      if (RunProcess({"sh", "-c", std::string("command -v ") + tool}).exit_code != 0) GTEST_SKIP() << tool << " not installed";
    }
    work_ = fs::temp_directory_path() / ("shapeq-prom-" + std::to_string(getpid()));
    fs::create_directories(work_);
  }
  void TearDown() override { fs::remove_all(work_); }

  std::unique_ptr<ChildProcess> StartGateway(int port) const {
    auto gateway = std::make_unique<ChildProcess>(test::PushgatewayArgv("127.0.0.1:" + std::to_string(port), work_));
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
  const nlohmann::json result = QueryUntil(prometheus_port, "shapeq_storage_bytes_per_second%7Bkernel%3D%22seq_read%22%7D",
                                           [](const nlohmann::json&) { return true; });
  ASSERT_EQ(result.size(), 1u) << result.dump();
  EXPECT_EQ(result[0]["metric"]["job"], "shapeq");
  EXPECT_EQ(result[0]["metric"]["run"], fs::path(run_dir_).filename().string());
  EXPECT_NEAR(std::stod(result[0]["value"][1].get<std::string>()), expected, expected * 1e-9);

  // The Grafana dashboard shipped in the repo: every query of every panel answers with series.
  std::ifstream dashboard_file(SHAPEQ_DASHBOARD);
  const auto dashboard = nlohmann::json::parse(dashboard_file);
  size_t queries = 0;
  for (const auto& panel : dashboard["panels"]) {
    for (const auto& target : panel.value("targets", nlohmann::json::array())) {
      std::string expr = target["expr"];
      expr = std::regex_replace(expr, std::regex("\\$run"), fs::path(run_dir_).filename().string());
      expr = std::regex_replace(expr, std::regex("\\$target"), "reference-1eb");
      const auto answer = nlohmann::json::parse(HttpGet(prometheus_port, "/api/v1/query?query=" + UrlEncode(expr)), nullptr, false);
      ASSERT_FALSE(answer.is_discarded()) << expr;
      EXPECT_EQ(answer.value("status", ""), "success") << panel["title"] << ": " << expr << " " << answer.dump();
      EXPECT_FALSE(answer["data"]["result"].empty()) << panel["title"] << ": " << expr << " has no series";
      ++queries;
    }
  }
  EXPECT_GE(queries, 15u);
  prometheus.Signal(SIGTERM);
  prometheus.Wait();
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
  EXPECT_NE(text.find("shapeq_storage_cpu_cores_busy{"), std::string::npos);
  // The served kernels (where the suite's engine was built): per busy core, the tax against the
  // drives alone and the prediction, one series each per served kernel.
  const bool served = std::any_of(run.storage.begin(), run.storage.end(),
                                  [](const Measurement& m) { return m.kernel == "fio.served_read" && m.status == MeasurementStatus::kOk; });
  for (const char* metric : {"shapeq_storage_served_bytes_per_busy_core{", "shapeq_storage_datapath_tax_ratio{",
                             "shapeq_storage_served_predicted_bytes_per_second{"}) {
    bool found = false;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) found = found || (line.rfind(metric, 0) == 0 && line.find("kernel=\"served_read\"") != std::string::npos);
    EXPECT_EQ(found, served) << metric;
  }
  std::ofstream(work_ / "metrics.txt") << text;
  const ProcessResult check = RunProcess({"sh", "-c", "promtool check metrics < " + (work_ / "metrics.txt").string()});
  EXPECT_EQ(check.exit_code, 0) << check.stdout_text << check.stderr_text;
}

// A fleet's runs through the node's metric models: each storage kernel per host and for the whole
// fleet (host "all"), each network pair; promtool accepts them beside the node's.
TEST_F(Publishing, AFleetsRunsAreMetricsBesideTheNodes) {
  const RunFiles run = ReadRunFiles(run_dir_);
  FleetRuns fleet;
  Measurement storage;
  storage.kernel = "fio.seq_read";
  storage.target = "2 hosts";
  storage.bytes_per_s = 3e9;
  storage.iops = 3000;
  storage.detail = {{"hosts", {{{"host", "10.9.0.1:5201"}, {"status", "ran"}}, {{"host", "10.9.0.2:5201"}, {"status", "ran"}},
                               {{"host", "10.9.0.3:5201"}, {"status", "refused"}, {"reason", "no storage lent"}}}},
                    {"per_host", {{{"host", "10.9.0.1:5201"}, {"bytes_per_s", 2e9}, {"iops", 2000}, {"p99_s", 0.002}, {"status", "ok"}},
                                  {{"host", "10.9.0.2:5201"}, {"bytes_per_s", 1e9}, {"iops", 1000}, {"p99_s", 0.004}, {"status", "ok"}}}}};
  fleet.storage.push_back(storage);
  Measurement pair;
  pair.kernel = "net.tcp";
  pair.target = "10.9.0.1:5201";
  pair.bytes_per_s = 1.25e9;
  pair.detail = {{"from", "10.9.0.1:5201"}, {"to", "10.9.0.2:5201"}, {"pattern", "ring"}, {"round", 0}};
  fleet.network.push_back(pair);
  const std::string text = prometheus::TextSerializer().Serialize(RunMetrics(run, fleet)->Collect());
  auto value_of = [&text](const std::string& metric, const std::vector<std::string>& labels) -> std::optional<double> {
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
      if (line.rfind(metric + "{", 0) != 0) continue;
      if (std::all_of(labels.begin(), labels.end(), [&line](const std::string& l) { return line.find(l) != std::string::npos; })) {
        return std::stod(line.substr(line.rfind(' ') + 1));
      }
    }
    return std::nullopt;
  };
  EXPECT_EQ(value_of("shapeq_fleet_storage_bytes_per_second", {"host=\"all\"", "kernel=\"seq_read\""}), 3e9) << text;
  EXPECT_EQ(value_of("shapeq_fleet_storage_bytes_per_second", {"host=\"10.9.0.2:5201\""}), 1e9) << text;
  EXPECT_EQ(value_of("shapeq_fleet_storage_completion_latency_seconds", {"host=\"10.9.0.1:5201\""}), 0.002) << text;
  EXPECT_FALSE(value_of("shapeq_fleet_storage_bytes_per_second", {"host=\"10.9.0.3:5201\""})) << "a host that refused has no figure";
  EXPECT_EQ(value_of("shapeq_fleet_network_bytes_per_second", {"from=\"10.9.0.1:5201\"", "to=\"10.9.0.2:5201\"", "pattern=\"ring\""}), 1.25e9);
  // The node's own series are all still there.
  EXPECT_NE(text.find("shapeq_run_complete{"), std::string::npos);
  std::ofstream(work_ / "fleet_metrics.txt") << text;
  const ProcessResult check = RunProcess({"sh", "-c", "promtool check metrics < " + (work_ / "fleet_metrics.txt").string()});
  EXPECT_EQ(check.exit_code, 0) << check.stdout_text << check.stderr_text;
  // And the same figures as PKB samples.
  const std::string samples = PkbSamples(run, fleet);
  EXPECT_NE(samples.find(R"("fleet_host":"10.9.0.2:5201")"), std::string::npos);
  EXPECT_NE(samples.find(R"("test":"shapeq_fleet_network")"), std::string::npos);
}

TEST_F(Publishing, GatewayDownKeepsTheResultsAndALaterPushSendsThem) {
  const int port = FreePort();
  const auto before = fs::last_write_time(fs::path(run_dir_) / "storage.json");
  const ProcessResult down =
      RunProcess({SHAPEQ_BINARY, "push", run_dir_, "--gateway", "http://127.0.0.1:" + std::to_string(port), "--attempts", "2"});
  EXPECT_EQ(down.exit_code, static_cast<int>(ExitCode::kEnvironment));
  EXPECT_NE(down.stderr_text.find("unreachable (Failed to connect"), std::string::npos) << down.stderr_text;
  EXPECT_NE(down.stderr_text.find("after 2 attempts; the results stay in " + run_dir_), std::string::npos) << down.stderr_text;
  EXPECT_EQ(fs::last_write_time(fs::path(run_dir_) / "storage.json"), before);
  // The gateway comes back: the same command sends them.
  auto gateway = StartGateway(port);
  const ProcessResult later = RunProcess({SHAPEQ_BINARY, "push", run_dir_, "--gateway", "http://127.0.0.1:" + std::to_string(port)});
  EXPECT_EQ(later.exit_code, 0) << later.stderr_text;
  EXPECT_NE(HttpGet(port, "/metrics").find("shapeq_storage_bytes_per_second{"), std::string::npos);
}

// The gateway goes away and comes back while a push is waiting out its backoff: the push lands.
TEST_F(Publishing, GatewayRestartedMidPushStillGetsTheRun) {
  const int port = FreePort();
  auto gateway = StartGateway(port);
  gateway->Signal(SIGTERM);
  gateway->Wait();
  ChildProcess push({SHAPEQ_BINARY, "push", run_dir_, "--gateway", "http://127.0.0.1:" + std::to_string(port), "--attempts", "6"});
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));  // attempts 1 and 2 have failed
  gateway = StartGateway(port);
  EXPECT_EQ(push.Wait(), 0);
  EXPECT_NE(HttpGet(port, "/metrics").find("shapeq_storage_bytes_per_second{"), std::string::npos);
}

// qualify's optional last stage: the run it just wrote, on the gateway.
TEST_F(Publishing, QualifyPushesWhenGivenAGateway) {
  const int port = FreePort();
  auto gateway = StartGateway(port);
  const fs::path dir = work_ / "qualified";
  const ProcessResult r = RunProcess({SHAPEQ_BINARY, "qualify", "--quick", "--out", dir.string(), "--gateway", "http://127.0.0.1:" + std::to_string(port)});
  ASSERT_EQ(r.exit_code, 0) << r.stdout_text << r.stderr_text;
  EXPECT_NE(r.stdout_text.find("[7/7] push: ok"), std::string::npos) << r.stdout_text;
  EXPECT_NE(HttpGet(port, "/metrics").find("run=\"qualified\""), std::string::npos);
}

// A gateway as deployed: TLS with its own CA, and basic auth (exporter-toolkit's web config).
class SecuredGateway : public Publishing {
 protected:
  void SetUp() override {
    Publishing::SetUp();
    if (IsSkipped()) return;
    const ProcessResult cert = RunProcess({"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                                           "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", (work_ / "key.pem").string(),
                                           "-out", (work_ / "cert.pem").string()});
    ASSERT_EQ(cert.exit_code, 0) << cert.stderr_text;
    // bcrypt of "s3cret", cost 4 (python3: crypt.crypt("s3cret", crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=16))).
    std::ofstream(work_ / "web.yml") << "tls_server_config:\n  cert_file: " << (work_ / "cert.pem").string() << "\n  key_file: "
                                     << (work_ / "key.pem").string() << "\nbasic_auth_users:\n"
                                     << "  shapeq: $2b$04$HxrVt9ugW9griAvNjICLmuotKOiH6ZJplaz9HEZPRvO0cQS/gv1U2\n";
    port_ = FreePort();
    std::vector<std::string> argv = test::PushgatewayArgv("127.0.0.1:" + std::to_string(port_), work_);
    argv.push_back("--web.config.file=" + (work_ / "web.yml").string());
    gateway_ = std::make_unique<ChildProcess>(argv);
    ASSERT_TRUE(WaitListening(port_, 15)) << "pushgateway did not start";
  }

  // TLS and auth answer /-/ready only to the right client: wait for the port instead.
  static bool WaitListening(int port, double seconds) {
    return WaitUntil(seconds, [port] {
      const int fd = ConnectLoopback(port);
      if (fd >= 0) close(fd);
      return fd >= 0;
    });
  }

  // GET https://127.0.0.1:PORT/metrics as the right user, trusting the test's CA.
  std::string SecureMetrics() const {
    std::string body;
    CURL* curl = curl_easy_init();
    const std::string url = "https://127.0.0.1:" + std::to_string(port_) + "/metrics";
    const std::string ca = (work_ / "cert.pem").string();
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_CAINFO, ca.c_str());
    curl_easy_setopt(curl, CURLOPT_USERPWD, "shapeq:s3cret");
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, +[](char* data, size_t size, size_t n, void* out) {
      static_cast<std::string*>(out)->append(data, size * n);
      return size * n;
    });
    curl_easy_perform(curl);
    curl_easy_cleanup(curl);
    return body;
  }

  std::vector<std::string> Push(std::vector<std::string> extra) const {
    std::vector<std::string> argv = {SHAPEQ_BINARY, "push", run_dir_, "--gateway", "https://127.0.0.1:" + std::to_string(port_)};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return argv;
  }

  int port_ = 0;
  std::unique_ptr<ChildProcess> gateway_;
};

TEST_F(SecuredGateway, PushesOverTlsWithBasicAuth) {
  setenv("SHAPEQ_PUSH_PASSWORD", "s3cret", 1);  // the password from the environment, not the command line
  const ProcessResult r = RunProcess(Push({"--user", "shapeq", "--ca-file", (work_ / "cert.pem").string()}));
  unsetenv("SHAPEQ_PUSH_PASSWORD");
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  const std::string metrics = SecureMetrics();
  EXPECT_NE(metrics.find("shapeq_storage_bytes_per_second{"), std::string::npos) << metrics.substr(0, 500);
  EXPECT_NE(metrics.find("job=\"shapeq\""), std::string::npos);
}

TEST_F(SecuredGateway, WrongCredentialsFailAtOnceInOneLine) {
  const auto start = std::chrono::steady_clock::now();
  const ProcessResult r = RunProcess(Push({"--user", "shapeq", "--password", "wrong", "--ca-file", (work_ / "cert.pem").string()}));
  // No backoff: five attempts would take 0.5 + 1 + 2 + 4 s.
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 5.0);
  test::ExpectOneLineError(r, ExitCode::kEnvironment, "refused the credentials (HTTP 401; --user shapeq)");
  EXPECT_NE(r.stderr_text.find("the results stay in " + run_dir_), std::string::npos);
  EXPECT_EQ(SecureMetrics().find("shapeq_storage_bytes_per_second{"), std::string::npos) << "nothing was pushed";
}

TEST_F(SecuredGateway, AnUntrustedCertificateIsNamedNotRetried) {
  const ProcessResult r = RunProcess(Push({"--user", "shapeq", "--password", "s3cret"}));
  test::ExpectOneLineError(r, ExitCode::kEnvironment, "TLS: ");
  EXPECT_NE(r.stderr_text.find("--ca-file"), std::string::npos) << r.stderr_text;
  test::ExpectOneLineError(RunProcess(Push({"--ca-file", (work_ / "none.pem").string()})), ExitCode::kBadInput, "none.pem");
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
