// The data path: CRC-32C and erasure coding checked against independent arithmetic, and the
// data-path kernels' Google Benchmark output read back into Measurements (the real benchmark
// run is datapath_run_test.cc).
#include <gtest/gtest.h>
#include <isa-l/erasure_code.h>

#include <fstream>
#include <random>
#include <sstream>

#include "common/error.h"
#include "workloads/datapath.h"
#include "workloads/datapath_kernel.h"

namespace shapeq {
namespace {

// Bit by bit, straight from the definition (reflected polynomial 0x82F63B78).
uint32_t ReferenceCrc32c(const uint8_t* data, size_t length) {
  uint32_t crc = 0xFFFFFFFFu;
  for (size_t i = 0; i < length; ++i) {
    crc ^= data[i];
    for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ (0x82F63B78u & (0u - (crc & 1u)));
  }
  return ~crc;
}

// GF(2^8) multiplication with the polynomial ISA-L uses (x^8 + x^4 + x^3 + x^2 + 1).
uint8_t GfMul(uint8_t a, uint8_t b) {
  uint8_t product = 0;
  while (b) {
    if (b & 1) product ^= a;
    a = static_cast<uint8_t>((a << 1) ^ ((a & 0x80) ? 0x1D : 0));
    b >>= 1;
  }
  return product;
}

std::vector<uint8_t> Random(size_t bytes, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<uint8_t> data(bytes);
  for (auto& b : data) b = static_cast<uint8_t>(rng());
  return data;
}

TEST(Crc32c, StandardCheckValueReferenceAndChaining) {
  const uint8_t check[] = {'1', '2', '3', '4', '5', '6', '7', '8', '9'};
  EXPECT_EQ(Crc32c(check, sizeof check), 0xE3069283u);
  const auto data = Random(100003, 1);
  EXPECT_EQ(Crc32c(data.data(), data.size()), ReferenceCrc32c(data.data(), data.size()));
  EXPECT_EQ(Crc32c(data.data() + 4096, data.size() - 4096, Crc32c(data.data(), 4096)), Crc32c(data.data(), data.size()));
}

struct Stripe {
  std::vector<std::vector<uint8_t>> strips;
  std::vector<uint8_t*> pointers;
  Stripe(unsigned k, unsigned m, size_t bytes) {
    for (unsigned i = 0; i < k + m; ++i) strips.push_back(i < k ? Random(bytes, i + 7) : std::vector<uint8_t>(bytes));
    for (auto& s : strips) pointers.push_back(s.data());
  }
};

class ErasureCodeTest : public ::testing::TestWithParam<std::pair<unsigned, unsigned>> {};

TEST_P(ErasureCodeTest, ParityIsTheCauchyProductAndAnyMLossesRebuild) {
  const auto [k, m] = GetParam();
  const size_t bytes = 4096;
  ErasureCode code(k, m);
  Stripe stripe(k, m, bytes);
  code.Encode(bytes, stripe.pointers.data(), stripe.pointers.data() + k);
  // Parity byte by byte: the Cauchy matrix's rows (from ISA-L's generator) times the data.
  std::vector<uint8_t> matrix(static_cast<size_t>(k + m) * k);
  gf_gen_cauchy1_matrix(matrix.data(), static_cast<int>(k + m), static_cast<int>(k));
  for (unsigned p = 0; p < m; ++p) {
    for (size_t b = 0; b < bytes; b += 97) {
      uint8_t expected = 0;
      for (unsigned j = 0; j < k; ++j) expected ^= GfMul(matrix[static_cast<size_t>(k + p) * k + j], stripe.strips[j][b]);
      ASSERT_EQ(stripe.strips[k + p][b], expected) << "parity " << p << " byte " << b;
    }
  }
  // Lose data and parity strips, up to m of them; decoding restores every byte.
  const auto original = stripe.strips;
  for (const std::vector<unsigned>& lost : {std::vector<unsigned>{0}, {k - 1, k}, {0, k + m - 1}}) {
    if (lost.size() > m) continue;
    for (unsigned l : lost) std::fill(stripe.strips[l].begin(), stripe.strips[l].end(), 0xAB);
    code.Decode(bytes, stripe.pointers.data(), lost);
    for (unsigned i = 0; i < k + m; ++i) ASSERT_EQ(stripe.strips[i], original[i]) << "strip " << i;
  }
}

INSTANTIATE_TEST_SUITE_P(Schemes, ErasureCodeTest, ::testing::Values(std::pair{8u, 2u}, std::pair{146u, 4u}, std::pair{4u, 1u}),
                         [](const auto& scheme) { return std::to_string(scheme.param.first) + "plus" + std::to_string(scheme.param.second); });

TEST(ErasureCode, NonsenseSchemesAndTooManyLossesAreRefused) {
  EXPECT_THROW(ErasureCode(0, 2), Error);
  EXPECT_THROW(ErasureCode(8, 0), Error);
  EXPECT_THROW(ErasureCode(250, 10), Error);
  EXPECT_THROW(ErasureCode(8, 2).PlanDecode({0, 1, 2}), Error);
}

TEST(DatapathKernel, NamesSayTheScheme) {
  EXPECT_EQ(DatapathKernelName("BM_Crc32c"), "datapath.crc32c");
  EXPECT_EQ(DatapathKernelName("BM_EcEncode/146/4"), "datapath.ec_encode_146+4");
  EXPECT_EQ(DatapathKernelName("BM_EcDecode/8/2/2"), "datapath.ec_decode_8+2_2_lost");
  EXPECT_EQ(DatapathKernelName("BM_Zstd/3"), "datapath.zstd_3");
}

TEST(DatapathKernel, CapturedGoogleBenchmarkJson) {
  std::ifstream in(std::string(SHAPEQ_FIXTURES) + "/datapath_benchmark.json");
  std::stringstream text;
  text << in.rdbuf();
  const auto ms = ParseBenchmarkJson(text.str(), "datapath_benchmark.json");
  ASSERT_EQ(ms.size(), 4u);
  EXPECT_EQ(ms[0].kernel, "datapath.memcpy");
  for (const auto& m : ms) {
    ASSERT_EQ(m.repeats_bytes_per_s.size(), 2u) << m.kernel << ": every repetition, not the aggregates";
    EXPECT_DOUBLE_EQ(*m.bytes_per_s, (m.repeats_bytes_per_s[0] + m.repeats_bytes_per_s[1]) / 2);
    EXPECT_DOUBLE_EQ(m.detail["cores_per_gbytes_per_s"].get<double>(), 1e9 / *m.bytes_per_s);
    EXPECT_DOUBLE_EQ(m.detail["relative_to_memcpy"].get<double>(), *m.bytes_per_s / *ms[0].bytes_per_s);
  }
  EXPECT_GT(ms[3].detail["compression_ratio"].get<double>(), 1.5) << "zstd on storage-like data";
  EXPECT_THROW(ParseBenchmarkJson(text.str().substr(0, text.str().size() / 2), "x"), Error);
  EXPECT_THROW(ParseBenchmarkJson("{\"benchmarks\": []}", "x"), Error);
}

}  // namespace
}  // namespace shapeq
