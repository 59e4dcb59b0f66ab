#pragma once
// The kernels by identity: what each measures (bandwidth or IOPS, read or write, the drives alone
// or served through the data path), keyed by the name a Measurement carries ("fio.seq_read").
// Scoring, reports, metrics and samples ask this table what a measurement is; none of them spells
// a kernel's name. workloads/ runs them (tests check every kernel it runs is here).
#include <optional>
#include <string>
#include <string_view>

namespace shapeq {

enum class KernelId {
  kSeqRead, kSeqWrite, kRandRead, kRandWrite, kMix7030, kLatRead, kServedRead, kServedWrite,
  kPreconditionFill, kPreconditionRandom, kNetTcp,
};

enum class KernelFamily { kStorage, kNetwork, kDatapath };
// The figure a kernel is quoted by: bytes/s (sequential, network) or operations/s (random).
enum class Headline { kBandwidth, kIops };

struct KernelInfo {
  KernelId id;
  const char* name;  // as Measurement::kernel holds it
  KernelFamily family;
  Headline headline;
  bool reads, writes;
  bool served;                        // through the suite's data path (CRC, erasure code)
  std::optional<KernelId> raw_peer;   // a served kernel: the same I/O of the drives alone
  bool latency_bounded = false;       // the highest IOPS whose percentile latency stays under a bound
};

const KernelInfo& Kernel(KernelId id);
const char* KernelName(KernelId id);
// The row for a measurement's kernel name; nullptr for one not listed (a data-path kernel,
// "datapath.crc32c", is named by what it computes and has no row).
const KernelInfo* FindKernel(std::string_view name);
// Does `name` (a Measurement::kernel) name kernel `id`?
bool IsKernel(std::string_view name, KernelId id);
// The name without its family prefix, for labels and sample names: "fio.seq_read" -> "seq_read".
std::string_view KernelShortName(std::string_view name);
// The family by the name's prefix (fio., net., datapath.), for kernels without a row too.
std::optional<KernelFamily> KernelFamilyOf(std::string_view name);

}  // namespace shapeq
