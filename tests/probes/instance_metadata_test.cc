// The cloud's instance metadata service, faked where the real one lives: 169.254.169.254:80
// inside a network namespace. The client must ask each cloud its own way (Azure's Metadata
// header, AWS IMDSv2's token, GCP's Metadata-Flavor), keep only an answer that looks like a size,
// and give up within its timeout. Then a whole qualify on a node whose DMI says Azure (faked with
// a private /sys/class) finds its rated twin through the service.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <thread>

#include "probes/instance_metadata.h"
#include "tests/test_support.h"
#include "tests/workloads/netns_lab.h"

namespace shapeq {
namespace {

namespace fs = std::filesystem;

// An HTTP responder on 169.254.169.254:80 in `netns`, on a thread of its own (setns changes only
// the calling thread's network namespace). `answer` maps the request's text to the reply's.
class FakeMetadataService {
 public:
  using Answer = std::function<std::string(const std::string& request)>;
  std::string Start(const std::string& netns, Answer answer) {
    answer_ = std::move(answer);
    std::promise<std::string> ready;
    auto started = ready.get_future();
    thread_ = std::thread([this, netns, &ready] {
      const int ns = open(("/run/netns/" + netns).c_str(), O_RDONLY | O_CLOEXEC);
      if (ns < 0 || setns(ns, CLONE_NEWNET) != 0) return ready.set_value("setns failed");
      close(ns);
      listener_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      sockaddr_in address{};
      address.sin_family = AF_INET;
      address.sin_port = htons(80);
      inet_pton(AF_INET, kMetadataHost, &address.sin_addr);
      const int one = 1;
      setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
      if (bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || listen(listener_, 16) != 0) {
        return ready.set_value("cannot listen on 169.254.169.254:80");
      }
      ready.set_value("");
      for (int fd; (fd = accept(listener_, nullptr, nullptr)) >= 0;) {
        std::string request;
        char buffer[4096];
        while (request.find("\r\n\r\n") == std::string::npos) {
          const ssize_t n = recv(fd, buffer, sizeof buffer, 0);
          if (n <= 0) break;
          request.append(buffer, static_cast<size_t>(n));
        }
        ++requests;
        const std::string reply = answer_(request);
        if (!reply.empty()) send(fd, reply.data(), reply.size(), MSG_NOSIGNAL);
        close(fd);
      }
    });
    return started.get();
  }
  ~FakeMetadataService() {
    if (listener_ >= 0) shutdown(listener_, SHUT_RDWR);
    if (thread_.joinable()) thread_.join();
    if (listener_ >= 0) close(listener_);
  }
  std::atomic<int> requests{0};

 private:
  Answer answer_;
  std::thread thread_;
  int listener_ = -1;
};

std::string Http(int status, const std::string& body) {
  return "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

bool Has(const std::string& request, const std::string& text) { return request.find(text) != std::string::npos; }

// Each cloud's way of asking, as the real services demand it (a request without the header is
// refused, as theirs are).
std::string Cloud(const std::string& request) {
  if (Has(request, "GET /metadata/instance/compute/vmSize?") && Has(request, "Metadata: true")) return Http(200, "Standard_L96s_v4");
  if (Has(request, "PUT /latest/api/token") && Has(request, "X-aws-ec2-metadata-token-ttl-seconds:")) return Http(200, "tok3n");
  if (Has(request, "GET /latest/meta-data/instance-type") && Has(request, "X-aws-ec2-metadata-token: tok3n")) return Http(200, "i7ie.48xlarge");
  if (Has(request, "GET /computeMetadata/v1/instance/machine-type") && Has(request, "Metadata-Flavor: Google")) {
    return Http(200, "projects/1234/zones/us-central1-a/machineTypes/z3-highmem-176");
  }
  return Http(401, "missing header");
}

class InstanceMetadata : public ::testing::Test {
 protected:
  void SetUp() override {
    if (const std::string why = lab_.Create(1); !why.empty()) GTEST_SKIP() << why;
    ASSERT_EQ(RunProcess({"ip", "-n", lab_.Ns(0), "addr", "add", std::string(kMetadataHost) + "/32", "dev", "lo"}).exit_code, 0);
  }
  // AskInstanceType from inside the namespace (a thread of its own, like the service).
  std::optional<std::string> Ask(const std::string& vendor, std::string* why, double timeout_s = kMetadataTimeoutS) {
    std::optional<std::string> answer;
    std::thread client([&] {
      const int ns = open(("/run/netns/" + lab_.Ns(0)).c_str(), O_RDONLY | O_CLOEXEC);
      if (ns < 0 || setns(ns, CLONE_NEWNET) != 0) return;
      close(ns);
      answer = AskInstanceType(vendor, why, kMetadataHost, timeout_s);
    });
    client.join();
    return answer;
  }
  NetnsLab lab_;
};

TEST_F(InstanceMetadata, EachCloudIsAskedItsOwnWay) {
  FakeMetadataService service;
  ASSERT_EQ(service.Start(lab_.Ns(0), Cloud), "");
  std::string why;
  EXPECT_EQ(Ask("azure", &why), "Standard_L96s_v4") << why;
  EXPECT_EQ(Ask("aws", &why), "i7ie.48xlarge") << why;
  EXPECT_EQ(Ask("gcp", &why), "z3-highmem-176") << why;
  EXPECT_EQ(service.requests.load(), 4) << "AWS: a token, then the question";
}

TEST_F(InstanceMetadata, AnswersThatAreNotASizeAndSilenceAreRefusedInTime) {
  std::string body;
  int status = 200;
  bool silent = false;
  FakeMetadataService service;
  ASSERT_EQ(service.Start(lab_.Ns(0), [&](const std::string&) {
              if (silent) std::this_thread::sleep_for(std::chrono::seconds(3));
              return Http(status, body);
            }), "");
  std::string why;
  for (const std::string& hostile : {std::string("Standard_L96s_v4\nX-Injected: 1"), std::string(100, 'a'), std::string("<html>"),
                                     std::string("")}) {
    body = hostile;
    EXPECT_EQ(Ask("azure", &why), std::nullopt) << hostile;
    EXPECT_EQ(why, "the answer is not a size name") << hostile;
  }
  status = 404;
  body = "Standard_L96s_v4";
  EXPECT_EQ(Ask("azure", &why), std::nullopt);
  EXPECT_EQ(why, "HTTP 404");
  silent = true;
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(Ask("azure", &why, 0.5), std::nullopt);
  const double waited_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(why, "no answer within the timeout");
  EXPECT_LT(waited_s, 1.5) << "the timeout bounds the wait";
}

// DMI that says Azure (a private /sys/class with dmi/id in it, the rest of /sys/class bound
// back), the metadata service that names the size: qualify finds its rated twin.
TEST_F(InstanceMetadata, AQualifiedAzureNodeFindsItsRatedTwinThroughTheService) {
  FakeMetadataService service;
  ASSERT_EQ(service.Start(lab_.Ns(0), Cloud), "");
  test::TempDir temp("shapeq-imds");
  const fs::path script = temp.path() / "fake-dmi.sh", plan = temp.path() / "plan.json", dir = temp.path() / "run";
  std::ofstream(script) << R"(set -e
orig=$(mktemp -d)
mount --bind /sys/class "$orig"
mount -t tmpfs shapeq-dmi /sys/class
for d in "$orig"/*; do mkdir "/sys/class/${d##*/}"; mount --bind "$d" "/sys/class/${d##*/}"; done
mkdir -p /sys/class/dmi/id
echo "Microsoft Corporation" > /sys/class/dmi/id/sys_vendor
echo "Virtual Machine" > /sys/class/dmi/id/product_name
echo "7783-7084-3265-9085-8269-3286-77" > /sys/class/dmi/id/chassis_asset_tag
exec "$@"
)";
  std::ofstream(plan) << R"({"storage": {"kernels": ["seq_read"], "runtime_s": 1, "ramp_s": 0, "repeats": 1, "steady_state": ""},
                             "network": {"enabled": false}, "datapath": {"enabled": false}})";
  // One data drive, so the node is sized and set beside its twin (which has twelve).
  test::TmpfsLoop drive;
  if (const std::string why = drive.Attach(fs::path("/dev/shm") / ("shapeq-imds-" + std::to_string(getpid())), 64 << 20); !why.empty()) {
    GTEST_SKIP() << why;
  }
  const ProcessResult r = lab_.Run(0, {"unshare", "-m", "sh", script.string(), SHAPEQ_BINARY, "qualify", "--plan", plan.string(),
                                       "--device", drive.device(), "--out", dir.string()});
  if (r.stderr_text.find("unshare: ") != std::string::npos) GTEST_SKIP() << r.stderr_text;
  ASSERT_EQ(r.exit_code, 0) << r.stdout_text << r.stderr_text;
  const auto fp = test::ReadJson(dir / "fingerprint.json");
  EXPECT_EQ(fp["cloud"]["vendor"], "azure");
  EXPECT_EQ(fp["cloud"]["instance_type_hint"], "Standard_L96s_v4");
  EXPECT_EQ(fp["cloud"]["instance_type_source"], "metadata");
  EXPECT_EQ(test::ReadJson(dir / "manifest.json")["rated_shape"], "azure-l96s-v4");
  const std::string report = test::ReadText(dir / "report.md");
  EXPECT_NE(report.find("Rated figures are the catalog's azure-l96s-v4"), std::string::npos) << report.substr(0, 3000);
  EXPECT_NE(report.find("| drive_count | 1 | measured | 12 | rated |"), std::string::npos) << report;
  EXPECT_NE(report.find("This node is not an azure-l96s-v4 as the catalog has it: 1 drive"), std::string::npos) << report;
}

}  // namespace
}  // namespace shapeq
