#include "workloads/storage_placement.h"

#include <sched.h>

#include <algorithm>
#include <cstring>

namespace shapeq {

StorageDepths PlanDepths(const Fingerprint& fp, const std::vector<StorageTarget>& targets, const StorageOptions& o) {
  const bool nvme = std::any_of(targets.begin(), targets.end(), [](const StorageTarget& t) { return t.nvme; });
  StorageDepths d{};
  d.seq_iodepth = o.seq_iodepth ? o.seq_iodepth : (nvme ? 32u : 16u);
  d.rand_iodepth = o.rand_iodepth ? o.rand_iodepth : (nvme ? 64u : 32u);
  // NVMe random IOPS need several submitters: share the cores among the drives, 1 to 4 each.
  const unsigned drives = std::max<unsigned>(1, static_cast<unsigned>(targets.size()));
  d.numjobs = o.numjobs ? o.numjobs : (nvme ? std::clamp(fp.cpu.hardware_threads / drives, 1u, 4u) : 1u);
  return d;
}

// CPUs in an hwloc list ("0-15,32-47"), only those in `usable` when given; 0 for an empty list.
unsigned CpuCount(const std::string& list, const std::optional<std::set<unsigned>>& usable) {
  unsigned count = 0;
  std::istringstream in(list);
  for (std::string range; std::getline(in, range, ',');) {
    const auto dash = range.find('-');
    try {
      const unsigned long first = std::stoul(range.substr(0, dash));
      const unsigned long last = std::min(dash == std::string::npos ? first : std::stoul(range.substr(dash + 1)), first + (1ul << 20));
      for (unsigned long cpu = first; cpu <= last; ++cpu) count += !usable || usable->count(static_cast<unsigned>(cpu));
    } catch (const std::exception&) {
      // CheckStorageTarget let only digits, ',' and '-' through; a malformed range counts none.
    }
  }
  return count;
}

std::optional<std::set<unsigned>> ThisProcessCpus() {
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  if (sched_getaffinity(0, sizeof allowed, &allowed) != 0) return std::nullopt;
  std::set<unsigned> cpus;
  for (unsigned cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (CPU_ISSET(cpu, &allowed)) cpus.insert(cpu);
  }
  return cpus;
}

unsigned ServedJobsFor(const Fingerprint& fp, const std::vector<StorageTarget>& targets, const StorageTarget& target,
                       const std::optional<std::set<unsigned>>& usable_cpus) {
  const std::string all = fp.cpu.hardware_threads ? "0-" + std::to_string(fp.cpu.hardware_threads - 1) : "0";
  const unsigned local_cpus = CpuCount(target.cpus.empty() ? all : target.cpus, usable_cpus);
  const auto sharing = std::count_if(targets.begin(), targets.end(), [&](const StorageTarget& t) { return t.cpus == target.cpus; });
  return std::max(1u, local_cpus / static_cast<unsigned>(std::max<std::ptrdiff_t>(1, sharing)));
}

}  // namespace shapeq
