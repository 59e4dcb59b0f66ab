#pragma once
// The storage kernels as data: what fio runs for each (rw, block size, mix, whether it writes),
// the preconditioning steps, and which of them a run does.
#include <string>
#include <vector>

#include "workloads/storage_options.h"

namespace shapeq {

// One kernel, as data: what fio runs for it.
struct StorageKernelSpec {
  const char* name;
  const char* rw;          // fio rw=
  const char* block_size;  // fio bs=
  int read_percent;        // rwmixread= for mixed kernels, else -1
  bool writes;
  bool latency_bounded;    // highest IOPS whose percentile latency stays under the bound
  bool once_over;          // the whole target once (a fill), not for a time
  const char* help;
  // Served kernels run through the suite's ioengine with this data path on every block ("crc",
  // "ec"); nullptr: fio's own engine (StorageOptions::ioengine), the drives alone.
  const char* datapath = nullptr;
};
const std::vector<StorageKernelSpec>& StorageKernels();
// The measuring kernel named `name` (seq_read), or nullptr.
const StorageKernelSpec* FindKernelSpec(const std::string& name);
// Preconditioning, as the cloud vendors' own qualification does: fill the target once
// sequentially, then random-write it, so measurements see a drive in steady use.
const std::vector<StorageKernelSpec>& PreconditionSteps();
// How many times `kernel` runs: a preconditioning step once (it prepares, it is not quoted),
// a measuring kernel options.repeats times. The one rule the node's and the fleet's runs share.
unsigned RunsOf(const StorageKernelSpec& kernel, unsigned repeats);

// The kernels a run does, in order: the preconditioning steps when asked, then `kernels` (all
// when empty), in StorageKernels() order.
std::vector<const StorageKernelSpec*> SelectedKernels(const StorageOptions& options);

}  // namespace shapeq
