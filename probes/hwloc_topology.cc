#include "probes/hwloc_topology.h"

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string_view>

#include "common/error.h"
#include "common/json_read.h"
#include "probes/sys_root.h"

namespace shapeq {
namespace {

// hwloc reads a foreign root through HWLOC_FSROOT; restore the environment afterwards.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (!value.empty()) setenv(name, value.c_str(), 1);
    active_ = !value.empty();
  }
  ~ScopedEnv() {
    if (!active_) return;
    if (old_) {
      setenv(name_, old_->c_str(), 1);
    } else {
      unsetenv(name_);
    }
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
  bool active_ = false;
};

// hwloc's XML importer trusts what it reads: the fuzzer found corrupted cpusets that crash it
// inside hwloc_topology_load. A topology file is therefore loaded once in a child process first
// (no more than 4 GiB and 30 s); only a file the child survives is loaded here.
bool HwlocSurvivesXml(hwloc_topology_t configured) {
  const pid_t child = fork();
  if (child < 0) return true;  // cannot check: load it as before
  if (child == 0) {
    const rlimit memory{rlim_t{4} << 30, rlim_t{4} << 30};
    setrlimit(RLIMIT_AS, &memory);
    alarm(30);
    hwloc_topology_load(configured);
    _exit(0);
  }
  int status = 0;
  while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status);
}

}  // namespace

void CheckXmlFile(const std::string& path) {
  if (access(path.c_str(), F_OK) != 0) throw BadInput(path, "no such file");
  if (std::filesystem::is_directory(path)) throw BadInput(path, "a directory, expected an hwloc XML file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw BadInput(path, std::string("cannot read: ") + std::strerror(errno));
  std::string head(512, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(in.gcount()));
  if (head.find_first_not_of(" \t\r\n") == std::string::npos) throw BadInput(path, "empty file, expected an hwloc XML topology");
  if (head.find('<') == std::string::npos) throw BadInput(path, "not XML, expected an hwloc XML topology");
  // hwloc sizes its bitmaps by the largest os_index it is given: "4294967295" (or "-5", which its
  // strtoul wraps) would have it set bit 4 billion, half a gigabyte and seconds per object.
  // No machine numbers a PU or NUMA node past 2^20 (Linux's NR_CPUS tops out at 8192).
  const std::string text = ReadRegularFile(path, size_t{256} << 20);
  constexpr std::string_view kAttribute = "os_index=\"";
  for (size_t at = text.find(kAttribute); at != std::string::npos; at = text.find(kAttribute, at + 1)) {
    const size_t start = at + kAttribute.size(), end = text.find('"', start);
    const std::string value = text.substr(start, std::min<size_t>(end == std::string::npos ? 32 : end - start, 32));
    const auto index = ParseWholeNumber(value);
    if (!index || *index > (1u << 20)) throw BadInput(path, "os_index=\"" + value + "\" is not a CPU or NUMA node number up to 2^20");
  }
}

void CheckSysRoot(const std::string& root) {
  if (access(root.c_str(), F_OK) != 0) throw BadInput(root, "no such directory");
  if (!std::filesystem::is_directory(root)) throw BadInput(root, "not a directory");
  if (access(root.c_str(), R_OK | X_OK) != 0) throw BadInput(root, std::string("cannot read: ") + std::strerror(errno));
  const std::string sys = root + "/sys";
  if (!std::filesystem::is_directory(sys)) {
    throw BadInput(root, "no sys/ directory in it; expected a captured root as hwloc-gather-topology writes");
  }
  if (access(sys.c_str(), R_OK | X_OK) != 0) throw BadInput(sys, std::string("cannot read: ") + std::strerror(errno));
}

Topology LoadTopology(const ProbeOptions& options, const std::string& live_fsroot) {
  hwloc_topology_t raw = nullptr;
  if (hwloc_topology_init(&raw) != 0) throw Error(ExitCode::kInternal, "hwloc_topology_init failed");
  Topology topo(raw, &hwloc_topology_destroy);
  // Same discovery as `lstopo --whole-io`: every PCI device and OS device.
  hwloc_topology_set_io_types_filter(raw, HWLOC_TYPE_FILTER_KEEP_ALL);
  const bool from_xml = !options.topology_xml.empty();
  const std::string what = from_xml ? options.topology_xml : (live_fsroot.empty() ? "this machine" : live_fsroot);
  const std::string invalid_xml = "not a valid hwloc XML topology (truncated, malformed or another XML)";
  ScopedEnv fsroot("HWLOC_FSROOT", from_xml ? "" : live_fsroot);
  // A captured root carries the CPUID dump of its machine (hwloc-gather-topology --dump-cpuid
  // writes it); without it hwloc's x86 backend would ask this machine's CPU instead.
  const bool captured_cpuid = !from_xml && !live_fsroot.empty() && std::filesystem::is_directory(live_fsroot + "/cpuid");
  ScopedEnv cpuid("HWLOC_CPUID_PATH", captured_cpuid ? live_fsroot + "/cpuid" : "");
  // libxml2 would print its own parse errors on stderr; hwloc's own parser stays quiet.
  ScopedEnv quiet_xml("HWLOC_LIBXML_IMPORT", from_xml ? "0" : "");
  if (from_xml && hwloc_topology_set_xml(raw, options.topology_xml.c_str()) != 0) throw BadInput(what, invalid_xml);
  if (from_xml && !HwlocSurvivesXml(raw)) throw BadInput(what, "hwloc cannot read this XML topology (it crashes on it): corrupted?");
  if (hwloc_topology_load(raw) != 0) {
    throw BadInput(what, from_xml ? invalid_xml : "hwloc could not discover a topology there");
  }
  if (hwloc_get_nbobjs_by_type(raw, HWLOC_OBJ_PU) <= 0) throw BadInput(what, "the topology has no processing units");
  return topo;
}

}  // namespace shapeq
