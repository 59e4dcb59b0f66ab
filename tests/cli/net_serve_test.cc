// shapeq net-serve as a hostile client finds it: it acts only for clients that prove the shared
// secret, measures only to listeners that prove it back, repeats nothing a foreign service says,
// caps every RUN and stops one whose requester left, and survives connection floods with its
// threads and memory bounded.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <regex>
#include <thread>

#include "common/error.h"
#include "common/subprocess.h"
#include "tests/test_support.h"
#include "workloads/net_protocol.h"
#include "workloads/net_socket.h"

namespace shapeq {
namespace {

constexpr const char* kToken = "net-serve-test-token-0123456789abcdef";

// `shapeq net-serve` on 127.0.0.1, any free port, with the test's token and extra flags.
class Server {
 public:
  explicit Server(std::vector<std::string> flags = {}) {
    setenv("SHAPEQ_NET_TOKEN", kToken, 1);
    std::vector<std::string> argv = {SHAPEQ_BINARY, "net-serve", "--listen", "127.0.0.1:0"};
    argv.insert(argv.end(), flags.begin(), flags.end());
    process_ = std::make_unique<ChildProcess>(argv);
    const auto line = process_->ReadLine(10);
    std::smatch port;
    if (line && std::regex_search(*line, port, std::regex("listening on 127\\.0\\.0\\.1:(\\d+)"))) port_ = std::stoi(port[1]);
  }
  int port() const { return port_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  pid_t pid() const { return process_->pid(); }
  // A field of /proc/PID/status, in its unit (kB for Vm*).
  long Status(const std::string& field) const {
    std::ifstream in("/proc/" + std::to_string(pid()) + "/status");
    for (std::string line; std::getline(in, line);) {
      if (line.rfind(field + ":", 0) == 0) return std::stol(line.substr(field.size() + 1));
    }
    return -1;
  }

 private:
  std::unique_ptr<ChildProcess> process_;
  int port_ = 0;
};

// A plain TCP connection to 127.0.0.1:port (-1 when refused).
int ConnectRaw(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// Closes with a reset, so tens of thousands of connections leave no TIME_WAIT ports behind.
void CloseAbruptly(int fd) {
  linger l{1, 0};
  setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
  close(fd);
}

// A foreign service on 127.0.0.1: greets every connection with a secret and counts them.
class ForeignService {
 public:
  ForeignService() : listener_(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(listener_.fd(), reinterpret_cast<sockaddr*>(&address), sizeof address);
    listen(listener_.fd(), 64);
    socklen_t length = sizeof address;
    getsockname(listener_.fd(), reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] {
      for (int fd; (fd = accept(listener_.fd(), nullptr, nullptr)) >= 0;) {
        ++connections_;
        Socket connection(fd);
        SendLine(connection, "secret-token=hunter2-from-the-foreign-service");
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
      }
    });
  }
  ~ForeignService() {
    listener_.Shutdown();
    thread_.join();
  }
  int port() const { return port_; }
  int connections() const { return connections_; }

 private:
  Socket listener_;
  int port_ = 0;
  std::atomic<int> connections_{0};
  std::thread thread_;
};

ProcessResult Net(std::vector<std::string> args) {
  args.insert(args.begin(), {SHAPEQ_BINARY, "net"});
  return RunProcess(args);
}

// A RUN sent over an authenticated connection, as `net --hosts` does; the reply line.
std::string AuthenticatedRun(int port, const std::string& options_json, double wait_s) {
  const Endpoint server = ParseEndpoint("127.0.0.1:" + std::to_string(port), 0, "test");
  Socket s = ConnectAuthenticated(server, kToken, 5);
  SendLine(s, "RUN " + options_json);
  return ReadLine(s, wait_s).value_or("");
}

TEST(NetServe, NeedsTheSharedSecretToStartAndToBeUsed) {
  unsetenv("SHAPEQ_NET_TOKEN");
  test::ExpectOneLineError(RunProcess({SHAPEQ_BINARY, "net-serve", "--listen", "127.0.0.1:0"}), ExitCode::kUsage,
                           "net-serve needs the shared secret: --token-file FILE or $SHAPEQ_NET_TOKEN");
  test::ExpectOneLineError(Net({"--peer", "127.0.0.1:1"}), ExitCode::kUsage, "a peer needs the shared secret");
  // A token file others can read is refused, like an ssh key.
  test::TempDir temp("shapeq-token");
  const auto file = temp.path() / "token";
  std::ofstream(file) << kToken << "\n";
  chmod(file.c_str(), 0644);
  test::ExpectOneLineError(RunProcess({SHAPEQ_BINARY, "net-serve", "--listen", "127.0.0.1:0", "--token-file", file.string()}),
                           ExitCode::kBadInput, "readable by others (chmod 600 it)");
  chmod(file.c_str(), 0600);

  Server server({"--token-file", file.string()});
  ASSERT_GT(server.port(), 0);
  // The right secret (from the environment here) measures; a wrong one is refused in one line.
  const ProcessResult ok = Net({"--peer", server.address(), "--streams", "1", "--duration", "0.5", "--warmup", "0.1", "--repeats", "1"});
  EXPECT_EQ(ok.exit_code, 0) << ok.stderr_text;
  setenv("SHAPEQ_NET_TOKEN", "another-token-of-the-right-length", 1);
  test::ExpectOneLineError(Net({"--peer", server.address(), "--streams", "1", "--duration", "0.5", "--repeats", "1"}),
                           ExitCode::kEnvironment, "refused our token");
  // Version 1's unauthenticated RUN gets nothing done: the server only ever says its challenge
  // and "not authenticated".
  ForeignService foreign;
  const int fd = ConnectRaw(server.port());
  Socket raw(fd);
  ASSERT_TRUE(SendLine(raw, "SHAPEQ-NET 1 RUN {\"peer\":\"127.0.0.1:" + std::to_string(foreign.port()) + "\",\"duration_s\":1}"));
  const auto challenge = ReadLine(raw, 5);
  ASSERT_TRUE(challenge.has_value());
  EXPECT_EQ(challenge->rfind(kNetChallenge, 0), 0u) << *challenge;
  EXPECT_EQ(ReadLine(raw, 5).value_or(""), "ERR not authenticated");
  EXPECT_FALSE(ReadLine(raw, 2).has_value()) << "and closes";
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_EQ(foreign.connections(), 0) << "the server connected where an unauthenticated client told it";
}

TEST(NetServe, RunsOnlyToListenersThatHoldTheSecretAndRepeatsNothingForeign) {
  Server server;
  ASSERT_GT(server.port(), 0);
  ForeignService foreign;
  const std::string reply = AuthenticatedRun(server.port(), R"({"peer":"127.0.0.1:)" + std::to_string(foreign.port()) +
                                                                R"(","streams":1,"duration_s":1,"warmup_s":0,"repeats":1})", 30);
  const auto m = nlohmann::json::parse(reply);
  EXPECT_EQ(m["status"], "failed");
  EXPECT_NE(m["reason"].get<std::string>().find("not a shapeq net-serve listener"), std::string::npos) << m["reason"];
  EXPECT_EQ(reply.find("hunter2"), std::string::npos) << "the foreign service's words came back: " << reply;
  EXPECT_EQ(reply.find("secret-token"), std::string::npos) << reply;
  // To another shapeq listener holding the secret, the same RUN measures.
  Server peer;
  const auto measured = nlohmann::json::parse(AuthenticatedRun(
      server.port(), R"({"peer":")" + peer.address() + R"(","streams":1,"duration_s":0.5,"warmup_s":0.1,"repeats":1})", 30));
  EXPECT_EQ(measured["status"], "ok") << measured.dump();
}

// Found by the fleet storage fuzzer: a request whose bytes are not UTF-8 made the error quoting it
// unencodable as JSON, and the reply's encoding threw in a server thread (net-serve died).
TEST(NetServe, ARequestThatIsNotUtf8GetsAnAnswerAndTheServerLives) {
  Server server;
  ASSERT_GT(server.port(), 0);
  for (const std::string& request : {std::string("{\"peer\": \"\xb0\xff\"}"), std::string("{\"pe\xc3"), std::string("\xed\xa0\x80")}) {
    const std::string reply = AuthenticatedRun(server.port(), request, 10);
    ASSERT_FALSE(reply.empty()) << "no answer: the server died";
    const auto m = nlohmann::json::parse(reply);  // valid JSON, so valid UTF-8
    EXPECT_EQ(m["status"], "failed");
  }
  EXPECT_EQ(kill(server.pid(), 0), 0) << "net-serve is gone";
}

TEST(NetServe, CapsEveryRunAndStopsOneWhoseRequesterLeft) {
  Server server({"--max-run", "20", "--max-streams", "4"});
  Server peer;
  ASSERT_GT(server.port(), 0);
  ASSERT_GT(peer.port(), 0);
  const std::string to_peer = R"({"peer":")" + peer.address() + "\"";
  auto reason = [](const std::string& reply) { return nlohmann::json::parse(reply).value("reason", ""); };
  EXPECT_NE(reason(AuthenticatedRun(server.port(), to_peer + R"(,"duration_s":3600,"repeats":1})", 10)).find("over this server's cap of 20 s"),
            std::string::npos);
  EXPECT_NE(reason(AuthenticatedRun(server.port(), to_peer + R"(,"duration_s":1,"streams":512})", 10)).find("over this server's cap of 4"),
            std::string::npos);
  EXPECT_NE(reason(AuthenticatedRun(server.port(), R"({"duration_s":1})", 10)).find("RUN needs a peer"), std::string::npos);
  EXPECT_NE(reason(AuthenticatedRun(server.port(), R"([[[[]]]])", 10)).find("expected a JSON object"), std::string::npos);

  // A 15 s RUN whose requester leaves after 1 s: the server's streams to the peer end within a
  // few seconds (the peer sees its connections close), not after 15.
  auto established_to_peer = [&] {
    const ProcessResult ss = RunProcess({"ss", "-Htn", "state", "established", "( sport = :" + std::to_string(peer.port()) + " )"});
    return std::count(ss.stdout_text.begin(), ss.stdout_text.end(), '\n');
  };
  {
    Socket requester = ConnectAuthenticated(ParseEndpoint(server.address(), 0, "test"), kToken, 5);
    SendLine(requester, "RUN " + to_peer + R"(,"streams":2,"duration_s":15,"warmup_s":0,"repeats":1})");
    std::this_thread::sleep_for(std::chrono::seconds(1));
    EXPECT_GE(established_to_peer(), 2) << "the RUN is measuring";
  }
  const auto left = std::chrono::steady_clock::now();
  while (established_to_peer() > 0 && std::chrono::steady_clock::now() - left < std::chrono::seconds(10)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  const double stopped_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - left).count();
  EXPECT_LT(stopped_s, 5) << "the RUN went on after its requester left";
}

TEST(NetServe, FloodsLeaveItServingWithThreadsAndMemoryBounded) {
  // Room for 5,000 descriptors at once in this process.
  rlimit files{};
  getrlimit(RLIMIT_NOFILE, &files);
  if (files.rlim_max < 6000) GTEST_SKIP() << "RLIMIT_NOFILE hard limit " << files.rlim_max << " < 6000";
  files.rlim_cur = std::max<rlim_t>(files.rlim_cur, 6000);
  setrlimit(RLIMIT_NOFILE, &files);
  Server server({"--max-connections", "64"});
  ASSERT_GT(server.port(), 0);
  auto measure_works = [&] {
    return Net({"--peer", server.address(), "--streams", "1", "--duration", "0.3", "--warmup", "0.1", "--repeats", "1"}).exit_code == 0;
  };
  ASSERT_TRUE(measure_works());
  const long rss_before_kib = server.Status("VmRSS");

  // 40,000 connections one after another, each reset at once.
  const auto start = std::chrono::steady_clock::now();
  int refused = 0;
  for (int i = 0; i < 40000; ++i) {
    const int fd = ConnectRaw(server.port());
    if (fd < 0) {
      ++refused;
      continue;
    }
    CloseAbruptly(fd);
  }
  EXPECT_LT(refused, 400) << "the listener stopped accepting";
  std::cout << "40,000 connections in " << std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() << " s\n";
  EXPECT_LE(server.Status("Threads"), 64 + 4) << "one thread per connection, never joined?";
  ASSERT_TRUE(measure_works()) << "not serving after 40,000 connections";

  // 5,000 held open at once: most are closed at the door (64 at a time are served), and the
  // ones that never say anything are dropped after the 5 s handshake timeout.
  std::vector<int> held;
  for (int i = 0; i < 5000; ++i) {
    const int fd = ConnectRaw(server.port());
    if (fd >= 0) held.push_back(fd);
  }
  EXPECT_LE(server.Status("Threads"), 64 + 4);
  for (int fd : held) CloseAbruptly(fd);
  std::this_thread::sleep_for(std::chrono::seconds(1));
  EXPECT_TRUE(measure_works()) << "not serving after 5,000 connections at once";
  const long rss_after_kib = server.Status("VmRSS");
  EXPECT_LT(rss_after_kib - rss_before_kib, 64 * 1024) << "memory grew from " << rss_before_kib << " to " << rss_after_kib << " kB";
  std::cout << "net-serve RSS " << rss_before_kib << " -> " << rss_after_kib << " kB, threads " << server.Status("Threads") << "\n";
}

}  // namespace
}  // namespace shapeq
