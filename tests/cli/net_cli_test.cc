// shapeq net and net-serve: bad input gets one line and a documented exit code.
#include <gtest/gtest.h>

#include "common/error.h"
#include "common/subprocess.h"
#include "workloads/net_kernel.h"
#include "workloads/net_server.h"
#include "tests/test_support.h"

namespace shapeq {
namespace {

void ExpectNetError(const std::vector<std::string>& args, ExitCode code, const std::string& names) {
  std::vector<std::string> argv = {SHAPEQ_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  test::ExpectOneLineError(RunProcess(argv), code, names);
}

TEST(NetCli, BadInput) {
  ExpectNetError({"net", "--streams", "0"}, ExitCode::kUsage, "--streams '0': expected auto or a count from 1");
  ExpectNetError({"net", "--streams", "many"}, ExitCode::kUsage, "--streams 'many'");
  ExpectNetError({"net", "--peer", "bad host!"}, ExitCode::kUsage, "--peer 'bad host!': not a host name or address");
  ExpectNetError({"net", "--peer", "10.0.0.1:99999"}, ExitCode::kUsage, "port must be 0 to 65535");
  ExpectNetError({"net", "--peer", "no-such-host.invalid"}, ExitCode::kUsage, "cannot resolve");
  ExpectNetError({"net", "--direction", "sideways"}, ExitCode::kUsage, "direction (--direction): must be one of up|down|both");
  ExpectNetError({"net", "--hosts", "127.0.0.1"}, ExitCode::kUsage, "--hosts needs at least two hosts");
  ExpectNetError({"net-serve", "--listen", "[::1"}, ExitCode::kUsage, "unclosed '['");
}

TEST(NetCli, ServeRefusesAPortInUse) {
  NetServer holder(ParseEndpoint("127.0.0.1:0", 0, "test"), {.token = "a-token-of-32-bytes-for-the-test"});
  setenv("SHAPEQ_NET_TOKEN", "a-token-of-32-bytes-for-the-test", 1);
  ExpectNetError({"net-serve", "--listen", "127.0.0.1:" + std::to_string(holder.port())}, ExitCode::kEnvironment, "port in use");
}

TEST(NetCli, ServeBindsOnlyTheAddressItIsGiven) {
  setenv("SHAPEQ_NET_TOKEN", "a-token-of-32-bytes-for-the-test", 1);  // the server's and the client's
  ChildProcess server({SHAPEQ_BINARY, "net-serve", "--listen", "127.0.0.1:0"});
  const auto line = server.ReadLine(10);
  ASSERT_TRUE(line.has_value());
  EXPECT_EQ(line->rfind("shapeq net-serve: listening on 127.0.0.1:", 0), 0u) << *line;
  const std::string port = line->substr(line->rfind(':') + 1);
  // Reachable on the loopback address it was given...
  const ProcessResult ok = RunProcess({SHAPEQ_BINARY, "net", "--peer", "127.0.0.1:" + port, "--streams", "1", "--duration", "0.5",
                                       "--warmup", "0.1", "--repeats", "1", "--json"});
  EXPECT_EQ(ok.exit_code, 0) << ok.stderr_text;
  EXPECT_EQ(nlohmann::json::parse(ok.stdout_text)["status"], "ok");
  // ...and not on another loopback address, as it would be if bound to 0.0.0.0.
  const ProcessResult other = RunProcess({SHAPEQ_BINARY, "net", "--peer", "127.0.0.2:" + port, "--streams", "1", "--connect-timeout", "1"});
  EXPECT_EQ(other.exit_code, static_cast<int>(ExitCode::kEnvironment)) << other.stderr_text;
  server.Signal(SIGTERM);
  EXPECT_EQ(server.Wait(), 0) << "SIGTERM stops the listener cleanly";
}

}  // namespace
}  // namespace shapeq
