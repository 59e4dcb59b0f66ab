#pragma once
// What the test suites share: probing the shape fixtures, and the CLI's error contract.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "common/subprocess.h"
#include "probes/probe.h"

namespace shapeq::test {

// A fixture under tests/fixtures/shapes/NAME: its hwloc XML with its captured sysfs root.
inline Fingerprint ProbeFixtureShape(const std::string& name) {
  const std::string dir = std::string(SHAPEQ_FIXTURES) + "/shapes/" + name;
  return Probe({.topology_xml = dir + "/topology.xml", .sysfs_root = dir + "/root"});
}

// A TCP listener on 127.0.0.1 at a port the kernel picks: its descriptor and that port.
struct LoopbackListener {
  int fd = -1;
  int port = 0;
};
inline LoopbackListener ListenOnLoopback() {
  LoopbackListener l;
  l.fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(l.fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  listen(l.fd, 16);
  socklen_t size = sizeof address;
  getsockname(l.fd, reinterpret_cast<sockaddr*>(&address), &size);
  l.port = ntohs(address.sin_port);
  return l;
}

// A file's whole text (empty when it cannot be read), and the JSON in it.
inline std::string ReadText(const std::filesystem::path& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}
inline nlohmann::json ReadJson(const std::filesystem::path& path) { return nlohmann::json::parse(ReadText(path)); }

// A fresh directory under the system's temp dir, named PREFIX-PID, removed with everything in it.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix, const std::filesystem::path& parent = std::filesystem::temp_directory_path())
      : path_(parent / (prefix + "-" + std::to_string(getpid()))) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// A loop device on a tmpfs file, detached and deleted on destruction.
class TmpfsLoop {
 public:
  std::string Attach(const std::filesystem::path& file, uint64_t bytes) {
    file_ = file;
    if (!std::filesystem::is_directory(file.parent_path())) return file.parent_path().string() + " missing";
    { std::ofstream(file).close(); }
    std::filesystem::resize_file(file, bytes);
    const ProcessResult r = RunProcess({"losetup", "--find", "--show", file.string()});
    if (r.exit_code != 0) return "losetup: " + r.stderr_text;
    device_ = r.stdout_text.substr(0, r.stdout_text.find('\n'));
    return "";
  }
  ~TmpfsLoop() {
    if (!device_.empty()) RunProcess({"losetup", "--detach", device_});
    std::error_code ignored;
    if (!file_.empty()) std::filesystem::remove(file_, ignored);
  }
  const std::string& device() const { return device_; }
  std::string major_minor() const {
    const std::string text = ReadText("/sys/class/block/" + device_.substr(5) + "/dev");
    return text.substr(0, text.find('\n'));
  }

 private:
  std::filesystem::path file_;
  std::string device_;
};

// A Pushgateway's command line with its own state: Debian's package persists to
// /var/lib/prometheus/pushgateway.data by default, so a test gateway would load whatever any other
// gateway on the machine pushed there. `state_dir` is the test's own temporary directory.
inline std::vector<std::string> PushgatewayArgv(const std::string& listen, const std::filesystem::path& state_dir) {
  return {"prometheus-pushgateway", "--web.listen-address=" + listen, "--persistence.file=" + (state_dir / "pushgateway.data").string()};
}

// The shapeq binary under test run with `args`, and what it printed.
inline ProcessResult Shapeq(std::vector<std::string> args) {
  args.insert(args.begin(), SHAPEQ_BINARY);
  return RunProcess(args);
}

// The CLI's contract for bad input: nothing on stdout, one line on stderr starting "shapeq: "
// and naming `names`, and the documented exit code.
inline void ExpectOneLineError(const ProcessResult& r, ExitCode code, const std::string& names) {
  EXPECT_EQ(r.exit_code, static_cast<int>(code)) << r.stderr_text;
  EXPECT_EQ(r.term_signal, 0);
  EXPECT_TRUE(r.stdout_text.empty()) << r.stdout_text;
  EXPECT_EQ(std::count(r.stderr_text.begin(), r.stderr_text.end(), '\n'), 1) << r.stderr_text;
  EXPECT_EQ(r.stderr_text.rfind("shapeq: ", 0), 0u) << r.stderr_text;
  EXPECT_NE(r.stderr_text.find(names), std::string::npos) << r.stderr_text;
}

}  // namespace shapeq::test
