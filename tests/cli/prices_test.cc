// shapeq prices against a fake Azure Retail Prices service on loopback: it pages, mixes Windows,
// Spot and Low Priority meters with the Linux on-demand one, and in its hostile modes answers
// HTML, a 100 MB body, a price that is not a number, a negative price, or a next page on another
// host. The price file it writes prices the shape in score.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "common/error.h"
#include "common/subprocess.h"
#include "tests/test_support.h"

namespace shapeq {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

json Meter(const std::string& product, const std::string& sku_name, double price) {
  return {{"currencyCode", "USD"}, {"retailPrice", price}, {"unitPrice", price}, {"armRegionName", "eastus"}, {"location", "US East"},
          {"meterId", "m-" + sku_name}, {"meterName", sku_name}, {"productName", product}, {"skuName", sku_name},
          {"serviceName", "Virtual Machines"}, {"unitOfMeasure", "1 Hour"}, {"type", "Consumption"}, {"armSkuName", "Standard_L96s_v4"}};
}

// A Retail Prices API that answers by `mode`: "paged" (two pages, the Linux meter on the second),
// "html", "huge", "nan", "negative", "elsewhere".
class FakeRetailPrices {
 public:
  explicit FakeRetailPrices(std::string mode) : mode_(std::move(mode)) {
    const test::LoopbackListener listener = test::ListenOnLoopback();
    fd_ = listener.fd;
    port_ = listener.port;
    thread_ = std::thread([this] { Serve(); });
  }
  ~FakeRetailPrices() {
    shutdown(fd_, SHUT_RDWR);
    close(fd_);
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/api/retail/prices"; }
  std::vector<std::string> requests() {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  void Serve() {
    for (;;) {
      const int c = accept(fd_, nullptr, nullptr);
      if (c < 0) return;
      std::string request;
      char buffer[8192];
      timeval tv{2, 0};
      setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
      for (ssize_t n; request.find("\r\n\r\n") == std::string::npos && (n = recv(c, buffer, sizeof buffer, 0)) > 0;) {
        request.append(buffer, static_cast<size_t>(n));
      }
      const std::string line = request.substr(0, request.find("\r\n"));
      {
        std::lock_guard lock(mutex_);
        requests_.push_back(line);
      }
      Answer(c, line.find("page=2") != std::string::npos);
      close(c);
    }
  }

  void Send(int c, const std::string& type, const std::string& body) {
    const std::string head = "HTTP/1.1 200 OK\r\nContent-Type: " + type + "\r\nContent-Length: " + std::to_string(body.size()) +
                             "\r\nConnection: close\r\n\r\n";
    const std::string all = head + body;
    send(c, all.data(), all.size(), MSG_NOSIGNAL);
  }

  void Answer(int c, bool second_page) {
    if (mode_ == "html") return Send(c, "text/html", "<html><body>Service Unavailable</body></html>");
    if (mode_ == "huge") {
      const std::string head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 104857600\r\nConnection: close\r\n\r\n";
      send(c, head.data(), head.size(), MSG_NOSIGNAL);
      const std::string chunk(1 << 20, ' ');
      for (int i = 0; i < 100; ++i) {
        if (send(c, chunk.data(), chunk.size(), MSG_NOSIGNAL) < 0) return;  // the client hung up: as it should
      }
      return;
    }
    json page = {{"BillingCurrency", "USD"}, {"CustomerEntityType", "Retail"}, {"Items", json::array()}, {"NextPageLink", nullptr}};
    if (!second_page) {
      page["Items"] = {Meter("Virtual Machines Lsv4 Series Windows", "L96s v4", 12.5), Meter("Virtual Machines Lsv4 Series", "L96s v4 Spot", 1.1),
                       Meter("Virtual Machines Lsv4 Series", "L96s v4 Low Priority", 1.5)};
      page["NextPageLink"] = mode_ == "elsewhere" ? "http://192.0.2.1:9/api/retail/prices?page=2" : url() + "?page=2";
    } else {
      json linux = Meter("Virtual Machines Lsv4 Series", "L96s v4", 7.488);
      if (mode_ == "nan") linux["retailPrice"] = "seven";
      if (mode_ == "negative") linux["retailPrice"] = -7.488;
      page["Items"] = {linux};
    }
    Send(c, "application/json", page.dump());
  }

  std::string mode_;
  int fd_ = -1;
  int port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::vector<std::string> requests_;
};

ProcessResult Prices(const std::string& api_url, const std::vector<std::string>& more = {}) {
  std::vector<std::string> argv = {SHAPEQ_BINARY, "prices", "--profiles", SHAPEQ_PROFILES, "--shape", "azure-l96s-v4",
                                   "--api-url", api_url, "--timeout", "20"};
  argv.insert(argv.end(), more.begin(), more.end());
  return RunProcess(argv);
}

TEST(Prices, PagesPastWindowsSpotAndLowPriorityToTheLinuxOnDemandPriceAndScoreUsesIt) {
  FakeRetailPrices service("paged");
  test::TempDir dir("shapeq-prices");
  const fs::path file = dir.path() / "prices.json";
  const ProcessResult r = Prices(service.url(), {"-o", file.string()});
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  EXPECT_NE(r.stdout_text.find("azure-l96s-v4  $7.4880/h  linux on-demand, eastus"), std::string::npos) << r.stdout_text;
  // Two pages, the first asked with the size's filter.
  const auto requests = service.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_NE(requests[0].find("armSkuName%20eq%20%27Standard_L96s_v4%27"), std::string::npos) << requests[0];
  EXPECT_NE(requests[0].find("armRegionName%20eq%20%27eastus%27"), std::string::npos) << requests[0];
  EXPECT_NE(requests[0].find("priceType%20eq%20%27Consumption%27"), std::string::npos) << requests[0];
  const json prices = test::ReadJson(file);
  ASSERT_EQ(prices["prices"].size(), 1u);
  EXPECT_EQ(prices["prices"][0]["price_per_hour_usd"], 7.488);
  EXPECT_NE(prices["prices"][0]["source"].get<std::string>().find("m-L96s v4"), std::string::npos) << "the meter it came from";

  // score --prices: the shape priced, rated, with its source; the price-capped archive judged.
  const ProcessResult scored = RunProcess({SHAPEQ_BINARY, "score", "--profiles", SHAPEQ_PROFILES, "--prices", file.string(), "--shape",
                                           "azure-l96s-v4", "--target", "weather-hpc-archive", "--json"});
  ASSERT_EQ(scored.exit_code, 0) << scored.stderr_text;
  const json document = json::parse(scored.stdout_text);
  const json& shape = document["shapes"]["azure-l96s-v4"];
  EXPECT_EQ(shape["figures"]["price_per_hour_usd"]["value"], 7.488) << shape.dump();
  EXPECT_EQ(shape["figures"]["price_per_hour_usd"]["basis"], "rated");
  EXPECT_NE(document["verdicts"][0]["status"], "unknown") << document["verdicts"][0].dump();
  EXPECT_FALSE(document["verdicts"][0]["usd_per_pb_month"].is_null());
}

TEST(Prices, HostileAnswersAreOneLineErrors) {
  struct Case {
    const char* mode;
    ExitCode code;
    const char* names;
  };
  for (const Case& c : {Case{"html", ExitCode::kEnvironment, "not the API's JSON"}, Case{"huge", ExitCode::kEnvironment, "larger than 8 MiB"},
                        Case{"nan", ExitCode::kBadInput, "Items[0].retailPrice: \"seven\" is not a positive number"},
                        Case{"negative", ExitCode::kBadInput, "Items[0].retailPrice: -7.488 is not a positive number"},
                        Case{"elsewhere", ExitCode::kEnvironment, "the next page is on another host"}}) {
    FakeRetailPrices service(c.mode);
    test::TempDir dir("shapeq-prices-hostile");
    const fs::path file = dir.path() / "prices.json";
    const ProcessResult r = Prices(service.url(), {"-o", file.string()});
    test::ExpectOneLineError(r, c.code, c.names);
    EXPECT_FALSE(fs::exists(file)) << c.mode << ": no price file from a refused answer";
    if (std::string(c.mode) == "elsewhere") {
      EXPECT_EQ(service.requests().size(), 1u) << "the other host is never asked";
    }
  }
}

TEST(Prices, OfflineAndBadRequestsSayWhatIsWrong) {
  // Nothing listens on the port: offline, named.
  const ProcessResult offline = Prices("http://127.0.0.1:9/api/retail/prices");
  test::ExpectOneLineError(offline, ExitCode::kEnvironment, "cannot reach http://127.0.0.1:9");
  test::ExpectOneLineError(Prices("file:///etc/passwd"), ExitCode::kUsage, "--api-url");
  test::ExpectOneLineError(Prices("http://127.0.0.1:9/x", {"--region", "east' or '1'='1"}), ExitCode::kUsage, "--region");
  test::ExpectOneLineError(RunProcess({SHAPEQ_BINARY, "prices", "--profiles", SHAPEQ_PROFILES, "--shape", "onprem-dense-1u-122tb"}),
                           ExitCode::kUsage, "not an Azure VM");
}

// A team's own price file: strict, naming the file and the field.
// With a price file that prices every Azure shape, the price-capped archive's verdict for each is
// pass, fail or uncertain: never unknown.
TEST(Prices, EveryAzureShapePricedJudgesTheWeatherArchive) {
  test::TempDir dir("shapeq-prices-azure");
  const fs::path file = dir.path() / "prices.json";
  json rows = json::array();
  for (const auto& [shape, price] : std::vector<std::pair<std::string, double>>{
           {"azure-l80s-v3", 6.68}, {"azure-l96s-v4", 7.488}, {"azure-l32aos-v4", 2.5}, {"azure-l160ias-v5", 12.5}, {"azure-l160iaos-v5", 16.0}}) {
    rows.push_back({{"shape", shape}, {"price_per_hour_usd", price}, {"region", "eastus"}, {"terms", "linux on-demand"},
                    {"source", "a test's own quote"}, {"retrieved", "2026-12-08"}});
  }
  std::ofstream(file) << json{{"schema", "shapeq.prices"}, {"schema_version", 1}, {"prices", rows}}.dump();
  const ProcessResult scored = RunProcess({SHAPEQ_BINARY, "score", "--profiles", SHAPEQ_PROFILES, "--prices", file.string(), "--target",
                                           "weather-hpc-archive", "--json"});
  ASSERT_EQ(scored.exit_code, 0) << scored.stderr_text;
  size_t azure = 0;
  const json document = json::parse(scored.stdout_text);
  for (const auto& v : document["verdicts"]) {
    if (v["shape"].get<std::string>().rfind("azure-", 0) != 0) continue;
    ++azure;
    const std::string shown = v["shown_status"];
    EXPECT_TRUE(shown == "pass" || shown == "fail" || shown == "uncertain") << v["shape"] << ": " << shown;
    EXPECT_FALSE(v["usd_per_pb_month"].is_null()) << v["shape"];
  }
  EXPECT_EQ(azure, 5u);
}

TEST(Prices, APriceFileIsReadStrictly) {
  test::TempDir dir("shapeq-prices-file");
  auto score_with = [&](const json& file_json) {
    const fs::path file = dir.path() / "prices.json";
    std::ofstream(file) << file_json.dump();
    return RunProcess({SHAPEQ_BINARY, "score", "--profiles", SHAPEQ_PROFILES, "--prices", file.string(), "--shape", "aws-i7ie-48xlarge", "--csv"});
  };
  auto row = [](json changes) {
    json r = {{"shape", "aws-i7ie-48xlarge"}, {"price_per_hour_usd", 20.0}, {"region", "us-east-1"}, {"terms", "1-year reserved"},
              {"source", "our AWS quote"}, {"retrieved", "2026-12-01"}};
    if (changes.is_object()) r.update(changes);
    return json{{"schema", "shapeq.prices"}, {"schema_version", 1}, {"prices", {r}}};
  };
  const ProcessResult ok = score_with(row({}));
  ASSERT_EQ(ok.exit_code, 0) << ok.stderr_text;
  test::ExpectOneLineError(score_with(row({{"shape", "aws-nope"}})), ExitCode::kBadInput, "prices[0].shape");
  test::ExpectOneLineError(score_with(row({{"price_per_hour_usd", -1}})), ExitCode::kBadInput, "prices[0].price_per_hour_usd");
  test::ExpectOneLineError(score_with(row({{"price_per_hour_usd", 1e9}})), ExitCode::kBadInput, "prices[0].price_per_hour_usd");
  test::ExpectOneLineError(score_with(row({{"discount", 0.5}})), ExitCode::kBadInput, "discount");
  json no_source = row({});
  no_source["prices"][0].erase("source");
  test::ExpectOneLineError(score_with(no_source), ExitCode::kBadInput, "prices[0].source");
}

}  // namespace
}  // namespace shapeq
