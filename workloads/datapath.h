#pragma once
// A storage server's data path, as the suite measures its CPU cost: CRC-32C on every buffer,
// and erasure coding (k data + m parity strips) on writes, through ISA-L.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace shapeq {

// Standard CRC-32C (Castagnoli; "123456789" -> 0xE3069283). Chainable: pass the previous
// result to continue over more bytes.
uint32_t Crc32c(const void* data, size_t length, uint32_t previous = 0);

// Reed-Solomon over GF(2^8) with a Cauchy matrix: any k of the k + m strips rebuild the rest.
class ErasureCode {
 public:
  // Throws Error(kUsage) unless 1 <= k, 1 <= m and k + m <= 255.
  ErasureCode(unsigned k, unsigned m);
  unsigned k() const { return k_; }
  unsigned m() const { return m_; }
  // data: k strips, parity: m strips, each strip_bytes long.
  void Encode(size_t strip_bytes, uint8_t* const* data, uint8_t** parity) const;
  // How to rebuild the strips in `lost` (at most m, indexes 0..k+m-1) from k survivors.
  // Building it inverts a k x k matrix: a server keeps one per loss pattern.
  struct DecodePlan {
    std::vector<unsigned> lost, survivors;
    std::vector<uint8_t> tables;
  };
  DecodePlan PlanDecode(const std::vector<unsigned>& lost) const;
  // strips: all k + m; rebuilds the plan's lost strips from its survivors, in place.
  void Decode(size_t strip_bytes, uint8_t* const* strips, const DecodePlan& plan) const;
  void Decode(size_t strip_bytes, uint8_t* const* strips, const std::vector<unsigned>& lost) const {
    Decode(strip_bytes, strips, PlanDecode(lost));
  }

 private:
  unsigned k_, m_;
  std::vector<uint8_t> matrix_;        // (k + m) x k, identity on top
  std::vector<uint8_t> encode_tables_;
};

}  // namespace shapeq
