#include "workloads/storage_kernels.h"

#include <algorithm>

namespace shapeq {

const std::vector<StorageKernelSpec>& StorageKernels() {
  static const std::vector<StorageKernelSpec> kernels = {
      {"seq_read", "read", "1M", -1, false, false, false, "sequential read, 1 MiB blocks"},
      {"seq_write", "write", "1M", -1, true, false, false, "sequential write, 1 MiB blocks"},
      {"rand_read", "randread", "4k", -1, false, false, false, "random read IOPS, 4 KiB"},
      {"rand_write", "randwrite", "4k", -1, true, false, false, "random write IOPS, 4 KiB"},
      {"mix_70_30", "randrw", "4k", 70, true, false, false, "random 70% read / 30% write, 4 KiB"},
      {"lat_read", "randread", "4k", -1, false, true, false, "highest random read IOPS whose p99 stays under the latency bound"},
      // What the node serves: the same sequential I/O with a storage server's data path on every
      // block, through the suite's engine, jobs on all cores.
      {"served_read", "read", "1M", -1, false, false, false, "sequential read, CRC-32C of every 1 MiB block, jobs on all cores", "crc"},
      {"served_write", "write", "1M", -1, true, false, false, "sequential write, erasure-code parity (k+m) and CRC-32C of every 1 MiB block, jobs on all cores", "ec"},
  };
  return kernels;
}

const std::vector<StorageKernelSpec>& PreconditionSteps() {
  static const std::vector<StorageKernelSpec> steps = {
      {"precondition_fill", "write", "1M", -1, true, false, true, "precondition: fill the target once, 1 MiB sequential"},
      {"precondition_random", "randwrite", "4k", -1, true, false, false, "precondition: random 4 KiB writes over the filled target"},
  };
  return steps;
}

const StorageKernelSpec* FindKernelSpec(const std::string& name) {
  for (const auto& k : StorageKernels()) {
    if (name == k.name) return &k;
  }
  return nullptr;
}

unsigned RunsOf(const StorageKernelSpec& kernel, unsigned repeats) {
  const auto& steps = PreconditionSteps();
  const bool step = &kernel >= steps.data() && &kernel < steps.data() + steps.size();
  return step ? 1 : repeats;
}

std::vector<const StorageKernelSpec*> SelectedKernels(const StorageOptions& o) {
  std::vector<const StorageKernelSpec*> kernels;
  if (o.precondition) {
    for (const auto& step : PreconditionSteps()) kernels.push_back(&step);
  }
  for (const auto& k : StorageKernels()) {
    if (o.kernels.empty() || std::find(o.kernels.begin(), o.kernels.end(), k.name) != o.kernels.end()) kernels.push_back(&k);
  }
  return kernels;
}

}  // namespace shapeq
