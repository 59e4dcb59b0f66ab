// What crosses the network only goes where it is meant to (issue 24's reproductions 5 and 6 and
// the token findings): a gateway URL is parsed, not prefixed, and credentials never leave this
// host in clear nor through a proxy; grouping labels cannot change the push path; a flood of slow
// handshakes cannot keep an honest client out of net-serve; a token is a secret of this user's.
#include <gtest/gtest.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>
#include <thread>

#include "common/error.h"
#include "common/subprocess.h"
#include "results/pushgateway.h"
#include "results/run_dir.h"
#include "tests/test_support.h"
#include "workloads/endpoint.h"
#include "workloads/net_protocol.h"
#include "workloads/net_server.h"
#include "workloads/net_socket.h"

namespace shapeq {
namespace {

namespace fs = std::filesystem;

constexpr const char* kToken = "network-safety-token-0123456789abcdef";

// A listener on 127.0.0.1 that answers every HTTP request 200 and keeps what it was sent.
class HttpSink {
 public:
  HttpSink() {
    const test::LoopbackListener listener = test::ListenOnLoopback();
    fd_ = listener.fd;
    port_ = listener.port;
    thread_ = std::thread([this] {
      for (;;) {
        const int c = accept(fd_, nullptr, nullptr);
        if (c < 0) return;
        connections_++;
        std::string request;
        char buffer[65536];
        timeval tv{1, 0};
        setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        for (ssize_t n; (n = recv(c, buffer, sizeof buffer, 0)) > 0;) {
          request.append(buffer, static_cast<size_t>(n));
          const size_t head = request.find("\r\n\r\n");
          const size_t length_at = request.find("Content-Length: ");
          if (head != std::string::npos && length_at != std::string::npos &&
              request.size() >= head + 4 + std::stoul(request.substr(length_at + 16))) {
            break;
          }
        }
        {
          std::lock_guard lock(mutex_);  // kept before the answer, which is what the client waits for
          requests_.push_back(request);
        }
        const std::string ok = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        send(c, ok.data(), ok.size(), MSG_NOSIGNAL);
        close(c);
      }
    });
  }
  ~HttpSink() {
    shutdown(fd_, SHUT_RDWR);
    close(fd_);
    thread_.join();
  }
  int port() const { return port_; }
  int connections() const { return connections_; }
  std::vector<std::string> requests() {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  int fd_ = -1;
  int port_ = 0;
  std::atomic<int> connections_{0};
  std::thread thread_;
  std::mutex mutex_;
  std::vector<std::string> requests_;
};

TEST(GatewayUrl, IsParsedNotPrefixed) {
  auto refused = [](const std::string& url) {
    try {
      ParseGatewayUrl(url);
      return std::string("accepted");
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ExitCode::kUsage);
      return std::string(e.what());
    }
  };
  // Reproduction 5: userinfo made the loopback test see 127.0.0.1 and libcurl connect elsewhere.
  EXPECT_NE(refused("http://127.0.0.1@192.0.2.7:9091").find("no user or password in the URL"), std::string::npos);
  EXPECT_NE(refused("http://u:p@127.0.0.1:9091").find("no user or password"), std::string::npos);
  for (const char* bad : {"http://127.0.0.1:9091/metrics", "http://127.0.0.1:9091?x", "http://127.0.0.1:9091#x", "ftp://127.0.0.1:9091",
                          "http://127.0.0.1", "http://127.0.0.1:0", "http://127.0.0.1:70000", "http://[::1:9091", "http://a b:9091"}) {
    EXPECT_NE(refused(bad).find("expected http(s)://HOST:PORT"), std::string::npos) << bad;
  }
  EXPECT_TRUE(ParseGatewayUrl("http://127.0.0.1:9091/").loopback);
  EXPECT_TRUE(ParseGatewayUrl("http://127.8.9.10:9091").loopback);
  EXPECT_TRUE(ParseGatewayUrl("http://[::1]:9091").loopback);
  EXPECT_TRUE(ParseGatewayUrl("http://localhost:9091").loopback) << "a name, by what it resolves to";
  EXPECT_FALSE(ParseGatewayUrl("http://192.0.2.7:9091").loopback);
  EXPECT_FALSE(ParseGatewayUrl("http://127.example.invalid:9091").loopback) << "a prefix is not an address";
  PushOptions o;
  o.gateway_url = "http://127.example.invalid:9091";
  o.username = "u";
  o.password = "p";
  EXPECT_THROW(ValidatePushOptions(o), Error) << "a password in clear to a name that is not this host";
}

// Random and mutated URLs: a one-line usage error or a URL of the one accepted form, never a
// crash, and nothing accepted carries userinfo, a path or a query.
TEST(GatewayUrl, FuzzedUrlsAreRefusedOrOfTheOneForm) {
  std::mt19937 random(24);
  const std::string seeds[] = {"http://127.0.0.1:9091", "https://gw.example:9091/", "http://[::1]:9091", "http://u:p@127.0.0.1@x:1/a?b#c"};
  const std::string alphabet = std::string("htps:/[]@.?#%:0123456789abcxyz-_ \\") + "\xff";
  size_t accepted = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string url = seeds[random() % std::size(seeds)];
    for (int edits = 1 + static_cast<int>(random() % 4); edits > 0; --edits) {
      const size_t at = url.empty() ? 0 : random() % url.size();
      const char c = alphabet[random() % alphabet.size()];
      switch (random() % 3) {
        case 0: url.insert(url.begin() + static_cast<long>(at), c); break;
        case 1: if (!url.empty()) url.erase(at, 1); break;
        default: if (!url.empty()) url[at] = c;
      }
    }
    try {
      const GatewayUrl parsed = ParseGatewayUrl(url, /*resolve=*/false);  // the form: no DNS per case
      ++accepted;
      EXPECT_EQ(url.find('@'), std::string::npos) << url;
      EXPECT_TRUE(parsed.scheme == "http" || parsed.scheme == "https") << url;
      EXPECT_TRUE(parsed.port >= 1 && parsed.port <= 65535) << url;
      EXPECT_EQ(url.find_first_of("?# \\"), std::string::npos) << url;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ExitCode::kUsage);
      EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos);
    }
  }
  EXPECT_GT(accepted, 100u) << "the mutations never kept a valid URL";
}

TEST(GatewayUrl, GroupingLabelsCannotChangeThePath) {
  EXPECT_EQ(PushGroupSegment("node", "vm-1.example"), "/node/vm-1.example");
  for (const char* hostile : {"a/b", "a#b", "..", ".", "a?b", "a%2Fb", "", "a b", "\xff"}) {
    const std::string segment = PushGroupSegment("node", hostile);
    EXPECT_EQ(segment.rfind("/node@base64/", 0), 0u) << hostile << " -> " << segment;
    EXPECT_EQ(segment.substr(13).find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_="), std::string::npos);
  }
  EXPECT_EQ(PushGroupSegment("job", "a#b"), "/job@base64/YSNi");
  EXPECT_EQ(PushGroupSegment("job", ".."), "/job@base64/Li4=");
}

// The proxy in the environment is never told the credentials, and a loopback gateway gets the
// push directly.
TEST(GatewayUrl, CredentialsNeverGoThroughAProxy) {
  HttpSink gateway, proxy;
  const RunFiles run = ReadRunFiles(std::string(SHAPEQ_FIXTURES) + "/golden/run");
  setenv("http_proxy", ("http://127.0.0.1:" + std::to_string(proxy.port())).c_str(), 1);
  setenv("HTTP_PROXY", ("http://127.0.0.1:" + std::to_string(proxy.port())).c_str(), 1);
  PushOptions o;
  o.gateway_url = "http://localhost:" + std::to_string(gateway.port());
  o.job = "a#b";
  o.username = "user";
  o.password = "secret-password";
  o.attempts = 1;
  PushRun(run, o);
  unsetenv("http_proxy");
  unsetenv("HTTP_PROXY");
  EXPECT_EQ(proxy.connections(), 0) << "the proxy was asked";
  const auto requests = gateway.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].rfind("PUT /metrics/job@base64/YSNi/node", 0), 0u) << requests[0].substr(0, 200);
  EXPECT_NE(requests[0].find("Authorization: Basic "), std::string::npos);
}

// A connection from `source` (a loopback address of its own) to 127.0.0.1:port.
int ConnectFrom(const char* source, int port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in from{};
  from.sin_family = AF_INET;
  inet_pton(AF_INET, source, &from.sin_addr);
  bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof from);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(static_cast<uint16_t>(port));
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// Reproduction 6: 300 connections that each send a byte now and then. Each is dropped when the
// handshake's one deadline passes, however it trickles; an honest client from another address
// gets in at once, and the slots of authenticated clients were never the flood's to take.
TEST(NetServeFlood, SlowHandshakesKeepNoOneOut) {
  NetServerLimits limits;
  limits.token = kToken;
  limits.handshake_timeout_s = 2;
  limits.max_connections = 16;
  NetServer server(ParseEndpoint("127.0.0.1:0", 0, "test"), limits);
  server.Start();
  std::atomic<bool> stop{false};
  std::atomic<int> dropped_in_time{0}, dropped_late{0}, opened{0};
  std::vector<std::thread> flood;
  for (int t = 0; t < 4; ++t) {
    flood.emplace_back([&, t] {
      std::vector<std::pair<int, std::chrono::steady_clock::time_point>> held;
      for (int i = 0; i < 75; ++i) {
        const int fd = ConnectFrom("127.0.0.2", server.port());
        if (fd >= 0) held.push_back({fd, std::chrono::steady_clock::now()}), ++opened;
      }
      while (!stop && !held.empty()) {
        for (auto it = held.begin(); it != held.end();) {
          const char byte = t == 0 ? 'A' : 'x';
          if (send(it->first, &byte, 1, MSG_NOSIGNAL) <= 0) {
            const double held_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - it->second).count();
            ++(held_s < 4 ? dropped_in_time : dropped_late);
            close(it->first);
            it = held.erase(it);
          } else {
            ++it;
          }
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
      }
      for (auto& [fd, since] : held) close(fd);
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  // An honest client, mid-flood: the whole handshake and a session, in well under a second.
  const auto start = std::chrono::steady_clock::now();
  Socket honest = ConnectAuthenticated(ParseEndpoint("127.0.0.1:" + std::to_string(server.port()), 0, "test"), kToken, 5);
  ASSERT_TRUE(SendLine(honest, "HELLO"));
  const auto reply = ReadLine(honest, 5);
  ASSERT_TRUE(reply.has_value()) << "turned away during the flood";
  EXPECT_EQ(reply->rfind("OK ", 0), 0u) << *reply;
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 1.0);
  std::this_thread::sleep_for(std::chrono::seconds(5));
  stop = true;
  for (auto& t : flood) t.join();
  EXPECT_EQ(opened.load(), 300) << "the kernel's backlog took every connection";
  EXPECT_EQ(dropped_late.load(), 0) << "a trickling handshake outlived the 2 s deadline";
  EXPECT_EQ(dropped_in_time.load(), 300);
  server.Stop();
}

// --max-streams holds for a direct client too: 6 streams up against a cap of 4 do not run.
TEST(NetServeFlood, AClientsStreamsAreCappedPerDirection) {
  NetServerLimits limits;
  limits.token = kToken;
  limits.max_streams = 4;
  NetServer server(ParseEndpoint("127.0.0.1:0", 0, "test"), limits);
  server.Start();
  setenv("SHAPEQ_NET_TOKEN", kToken, 1);
  auto net = [&](const char* streams) {
    return RunProcess({SHAPEQ_BINARY, "net", "--peer", "127.0.0.1:" + std::to_string(server.port()), "--streams", streams, "--direction", "up",
                       "--duration", "0.5", "--warmup", "0", "--repeats", "1", "--json"});
  };
  const ProcessResult within = net("4");
  EXPECT_EQ(within.exit_code, 0) << within.stderr_text << within.stdout_text;
  const ProcessResult over = net("6");
  EXPECT_EQ(over.exit_code, static_cast<int>(ExitCode::kRunFailed)) << over.stdout_text;
  unsetenv("SHAPEQ_NET_TOKEN");
  server.Stop();
}

TEST(NetToken, IsASecretOfThisUsers) {
  test::TempDir temp("shapeq-token");
  auto problem = [&](const std::string& token, uid_t owner) {
    const fs::path file = temp.path() / "token";
    fs::remove(file);
    std::ofstream(file) << token;
    fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write);
    if (chown(file.c_str(), owner, static_cast<gid_t>(-1)) != 0) return std::string("cannot chown");
    try {
      ReadNetToken(file.string());
      return std::string("accepted");
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ExitCode::kBadInput);
      return std::string(e.what());
    }
  };
  EXPECT_EQ(problem(kToken, geteuid()), "accepted");
  EXPECT_NE(problem(std::string(16, '\0'), geteuid()).find("printable"), std::string::npos);
  EXPECT_NE(problem(std::string(16, ' '), geteuid()).find("printable"), std::string::npos);
  EXPECT_NE(problem("aaaaaaaaaaaaaaaaaaaaaaaa", geteuid()).find("too few characters"), std::string::npos);
  if (geteuid() == 0) {
    EXPECT_NE(problem(kToken, 65534).find("belongs to uid 65534"), std::string::npos);
  }
}

}  // namespace
}  // namespace shapeq
