#pragma once
// A cgroup whose reads from given devices are throttled, for truth tests of the storage kernels
// against a known limit.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "tests/test_support.h"

namespace shapeq::test {

// A cgroup whose reads from given devices are throttled, under whichever controller this machine
// has: cgroup v1 blkio (blkio.throttle.read_*_device) or v2 io (io.max).
class ReadThrottle {
 public:
  std::string Create(const std::string& name) {
    if (std::filesystem::exists("/sys/fs/cgroup/blkio/blkio.throttle.read_bps_device")) {
      dir_ = std::filesystem::path("/sys/fs/cgroup/blkio") / name;
      v2_ = false;
    } else {
      for (const char* root : {"/sys/fs/cgroup", "/sys/fs/cgroup/unified"}) {
        if (test::ReadText(std::filesystem::path(root) / "cgroup.controllers").find("io") == std::string::npos) continue;
        std::ofstream(std::filesystem::path(root) / "cgroup.subtree_control") << "+io";
        dir_ = std::filesystem::path(root) / name;
        v2_ = true;
        break;
      }
      if (dir_.empty()) return "no blkio (v1) or io (v2) cgroup controller";
    }
    std::error_code error;
    std::filesystem::create_directory(dir_, error);
    if (error) return "cannot create " + dir_.string() + ": " + error.message();
    return "";
  }
  bool Limit(const std::string& major_minor, double bytes_per_s, double iops) {
    const auto bps = std::to_string(static_cast<uint64_t>(bytes_per_s)), ops = std::to_string(static_cast<uint64_t>(iops));
    if (v2_) return Write("io.max", major_minor + " rbps=" + bps + " riops=" + ops);
    return Write("blkio.throttle.read_bps_device", major_minor + " " + bps) && Write("blkio.throttle.read_iops_device", major_minor + " " + ops);
  }
  // Moves a running process (and whatever it starts later) into the cgroup: for one inside
  // `ip netns exec`, whose /sys has no cgroup tree to write itself into.
  bool Add(pid_t pid) { return Write("cgroup.procs", std::to_string(pid)); }
  // A shell line that moves itself into the cgroup, then becomes `command`.
  std::string Enter(const std::string& command) const { return "echo $$ > " + (dir_ / "cgroup.procs").string() + " && exec " + command; }
  ~ReadThrottle() {
    if (!dir_.empty()) rmdir(dir_.c_str());  // empty once the processes in it have exited
  }

 private:
  bool Write(const char* file, const std::string& line) {
    std::ofstream out(dir_ / file);
    out << line << "\n";
    out.close();
    return !out.fail();
  }
  std::filesystem::path dir_;
  bool v2_ = false;
};

}  // namespace shapeq::test
