#include "workloads/datapath.h"

#include <isa-l/crc.h>
#include <isa-l/erasure_code.h>

#include <algorithm>
#include <string>

#include "common/error.h"

namespace shapeq {

uint32_t Crc32c(const void* data, size_t length, uint32_t previous) {
  // ISA-L works on the raw register: invert going in and coming out, as the standard does.
  return crc32_iscsi(static_cast<unsigned char*>(const_cast<void*>(data)), static_cast<int>(length), ~previous) ^ 0xFFFFFFFFu;
}

ErasureCode::ErasureCode(unsigned k, unsigned m) : k_(k), m_(m) {
  if (k < 1 || m < 1 || k + m > 255) {
    throw Error(ExitCode::kUsage, "erasure code " + std::to_string(k) + "+" + std::to_string(m) + ": need k >= 1, m >= 1, k + m <= 255");
  }
  matrix_.resize(static_cast<size_t>(k + m) * k);
  gf_gen_cauchy1_matrix(matrix_.data(), static_cast<int>(k + m), static_cast<int>(k));
  encode_tables_.resize(32ULL * k * m);
  ec_init_tables(static_cast<int>(k), static_cast<int>(m), matrix_.data() + static_cast<size_t>(k) * k, encode_tables_.data());
}

void ErasureCode::Encode(size_t strip_bytes, uint8_t* const* data, uint8_t** parity) const {
  ec_encode_data(static_cast<int>(strip_bytes), static_cast<int>(k_), static_cast<int>(m_), const_cast<uint8_t*>(encode_tables_.data()),
                 const_cast<uint8_t**>(data), parity);
}

ErasureCode::DecodePlan ErasureCode::PlanDecode(const std::vector<unsigned>& lost) const {
  if (lost.size() > m_) throw Error(ExitCode::kUsage, "erasure code: " + std::to_string(lost.size()) + " losses, at most " + std::to_string(m_));
  DecodePlan plan;
  plan.lost = lost;
  if (lost.empty()) return plan;
  // The first k surviving strips, and the rows of the matrix that made them.
  for (unsigned i = 0; i < k_ + m_ && plan.survivors.size() < k_; ++i) {
    if (std::find(lost.begin(), lost.end(), i) == lost.end()) plan.survivors.push_back(i);
  }
  std::vector<uint8_t> chosen(static_cast<size_t>(k_) * k_), inverse(static_cast<size_t>(k_) * k_);
  for (unsigned r = 0; r < k_; ++r) std::copy_n(&matrix_[static_cast<size_t>(plan.survivors[r]) * k_], k_, &chosen[static_cast<size_t>(r) * k_]);
  if (gf_invert_matrix(chosen.data(), inverse.data(), static_cast<int>(k_)) != 0) {
    throw Error(ExitCode::kInternal, "erasure code: survivor matrix not invertible");
  }
  // A lost data strip is its row of the inverse; a lost parity strip is its matrix row times it.
  std::vector<uint8_t> decode(lost.size() * k_);
  for (size_t l = 0; l < lost.size(); ++l) {
    uint8_t* row = &decode[l * k_];
    if (lost[l] < k_) {
      std::copy_n(&inverse[static_cast<size_t>(lost[l]) * k_], k_, row);
    } else {
      for (unsigned j = 0; j < k_; ++j) {
        uint8_t sum = 0;
        for (unsigned t = 0; t < k_; ++t) sum ^= gf_mul(matrix_[static_cast<size_t>(lost[l]) * k_ + t], inverse[static_cast<size_t>(t) * k_ + j]);
        row[j] = sum;
      }
    }
  }
  plan.tables.resize(32ULL * k_ * lost.size());
  ec_init_tables(static_cast<int>(k_), static_cast<int>(lost.size()), decode.data(), plan.tables.data());
  return plan;
}

void ErasureCode::Decode(size_t strip_bytes, uint8_t* const* strips, const DecodePlan& plan) const {
  if (plan.lost.empty()) return;
  std::vector<uint8_t*> sources, targets;
  for (unsigned s : plan.survivors) sources.push_back(strips[s]);
  for (unsigned l : plan.lost) targets.push_back(strips[l]);
  ec_encode_data(static_cast<int>(strip_bytes), static_cast<int>(k_), static_cast<int>(plan.lost.size()),
                 const_cast<uint8_t*>(plan.tables.data()), sources.data(), targets.data());
}

}  // namespace shapeq
