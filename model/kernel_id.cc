#include "model/kernel_id.h"

#include <vector>

namespace shapeq {
namespace {

const std::vector<KernelInfo>& Kernels() {
  using F = KernelFamily;
  using H = Headline;
  static const std::vector<KernelInfo> kernels = {
      {KernelId::kSeqRead, "fio.seq_read", F::kStorage, H::kBandwidth, true, false, false, std::nullopt},
      {KernelId::kSeqWrite, "fio.seq_write", F::kStorage, H::kBandwidth, false, true, false, std::nullopt},
      {KernelId::kRandRead, "fio.rand_read", F::kStorage, H::kIops, true, false, false, std::nullopt},
      {KernelId::kRandWrite, "fio.rand_write", F::kStorage, H::kIops, false, true, false, std::nullopt},
      {KernelId::kMix7030, "fio.mix_70_30", F::kStorage, H::kIops, true, true, false, std::nullopt},
      {KernelId::kLatRead, "fio.lat_read", F::kStorage, H::kIops, true, false, false, std::nullopt, true},
      {KernelId::kServedRead, "fio.served_read", F::kStorage, H::kBandwidth, true, false, true, KernelId::kSeqRead},
      {KernelId::kServedWrite, "fio.served_write", F::kStorage, H::kBandwidth, false, true, true, KernelId::kSeqWrite},
      {KernelId::kPreconditionFill, "fio.precondition_fill", F::kStorage, H::kBandwidth, false, true, false, std::nullopt},
      {KernelId::kPreconditionRandom, "fio.precondition_random", F::kStorage, H::kIops, false, true, false, std::nullopt},
      {KernelId::kNetTcp, "net.tcp", F::kNetwork, H::kBandwidth, true, true, false, std::nullopt},
  };
  return kernels;
}

}  // namespace

const KernelInfo& Kernel(KernelId id) { return Kernels()[static_cast<size_t>(id)]; }

const char* KernelName(KernelId id) { return Kernel(id).name; }

const KernelInfo* FindKernel(std::string_view name) {
  for (const auto& k : Kernels()) {
    if (name == k.name) return &k;
  }
  return nullptr;
}

bool IsKernel(std::string_view name, KernelId id) { return name == Kernel(id).name; }

std::string_view KernelShortName(std::string_view name) {
  const size_t dot = name.find('.');
  return dot == std::string_view::npos ? name : name.substr(dot + 1);
}

std::optional<KernelFamily> KernelFamilyOf(std::string_view name) {
  if (name.rfind("fio.", 0) == 0) return KernelFamily::kStorage;
  if (name.rfind("net.", 0) == 0) return KernelFamily::kNetwork;
  if (name.rfind("datapath.", 0) == 0) return KernelFamily::kDatapath;
  return std::nullopt;
}

}  // namespace shapeq
