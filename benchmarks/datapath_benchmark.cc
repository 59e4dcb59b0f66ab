// The CPU cost of a storage server's data path, per core: CRC-32C, erasure-code encode (8+2 and
// a wide 146+4) and decode (1 and 2 losses), zstd and lz4 compression, and memcpy as the
// physical reference. One thread each; bytes_per_second is per core. `shapeq datapath` runs
// this and reads its JSON back into Measurements.
#include <benchmark/benchmark.h>
#include <lz4.h>
#include <zstd.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "workloads/datapath.h"

namespace {

constexpr size_t kBufferBytes = 1 << 20;
constexpr size_t kStripBytes = 32 << 10;

// Data that compresses about as storage data does (~2-3x): words from a small vocabulary with
// random numbers between them, deterministic so every run sees the same bytes.
std::vector<uint8_t> StorageLikeData(size_t bytes) {
  static const char* kWords[] = {"sensor", "timestamp", "value", "region", "checkpoint", "tensor", "shard", "block", "replica", "status"};
  std::mt19937_64 rng(42);
  std::string text;
  while (text.size() < bytes) {
    text += kWords[rng() % 10];
    text += '=';
    text += std::to_string(rng() % 100000);
    text += rng() % 8 ? ' ' : '\n';
  }
  return {text.begin(), text.begin() + static_cast<std::ptrdiff_t>(bytes)};
}

void BM_Memcpy(benchmark::State& state) {
  const auto src = StorageLikeData(kBufferBytes);
  std::vector<uint8_t> dst(kBufferBytes);
  for (auto _ : state) {
    std::memcpy(dst.data(), src.data(), kBufferBytes);
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * kBufferBytes));
}
BENCHMARK(BM_Memcpy);

void BM_Crc32c(benchmark::State& state) {
  const auto data = StorageLikeData(kBufferBytes);
  for (auto _ : state) benchmark::DoNotOptimize(shapeq::Crc32c(data.data(), data.size()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * kBufferBytes));
}
BENCHMARK(BM_Crc32c);

// Strips of one stripe: k data then m parity.
struct Stripe {
  std::vector<std::vector<uint8_t>> strips;
  std::vector<uint8_t*> pointers;
  Stripe(unsigned k, unsigned m) : strips(k + m, StorageLikeData(kStripBytes)) {
    for (auto& s : strips) pointers.push_back(s.data());
  }
};

void BM_EcEncode(benchmark::State& state) {
  const auto k = static_cast<unsigned>(state.range(0)), m = static_cast<unsigned>(state.range(1));
  const shapeq::ErasureCode code(k, m);
  Stripe stripe(k, m);
  for (auto _ : state) {
    code.Encode(kStripBytes, stripe.pointers.data(), stripe.pointers.data() + k);
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * k * kStripBytes));  // user data encoded
}
BENCHMARK(BM_EcEncode)->Args({8, 2})->Args({146, 4});

void BM_EcDecode(benchmark::State& state) {
  const auto k = static_cast<unsigned>(state.range(0)), m = static_cast<unsigned>(state.range(1));
  const auto losses = static_cast<unsigned>(state.range(2));
  const shapeq::ErasureCode code(k, m);
  Stripe stripe(k, m);
  code.Encode(kStripBytes, stripe.pointers.data(), stripe.pointers.data() + k);
  std::vector<unsigned> lost;
  for (unsigned i = 0; i < losses; ++i) lost.push_back(i);  // data strips: the costly case
  const auto plan = code.PlanDecode(lost);                     // once per loss pattern, as a server does
  for (auto _ : state) {
    code.Decode(kStripBytes, stripe.pointers.data(), plan);
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * k * kStripBytes));  // stripe data read back
}
BENCHMARK(BM_EcDecode)->Args({8, 2, 1})->Args({8, 2, 2})->Args({146, 4, 1})->Args({146, 4, 2});

void BM_Zstd(benchmark::State& state) {
  const auto data = StorageLikeData(kBufferBytes);
  std::vector<uint8_t> out(ZSTD_compressBound(kBufferBytes));
  ZSTD_CCtx* context = ZSTD_createCCtx();
  size_t compressed = 0;
  for (auto _ : state) {
    compressed = ZSTD_compressCCtx(context, out.data(), out.size(), data.data(), data.size(), static_cast<int>(state.range(0)));
    benchmark::DoNotOptimize(compressed);
  }
  ZSTD_freeCCtx(context);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * kBufferBytes));
  state.counters["ratio"] = static_cast<double>(kBufferBytes) / static_cast<double>(compressed);
}
BENCHMARK(BM_Zstd)->Arg(1)->Arg(3);

void BM_Lz4(benchmark::State& state) {
  const auto data = StorageLikeData(kBufferBytes);
  std::vector<char> out(static_cast<size_t>(LZ4_compressBound(static_cast<int>(kBufferBytes))));
  int compressed = 0;
  for (auto _ : state) {
    compressed = LZ4_compress_default(reinterpret_cast<const char*>(data.data()), out.data(), static_cast<int>(kBufferBytes), static_cast<int>(out.size()));
    benchmark::DoNotOptimize(compressed);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * kBufferBytes));
  state.counters["ratio"] = static_cast<double>(kBufferBytes) / compressed;
}
BENCHMARK(BM_Lz4);

}  // namespace

BENCHMARK_MAIN();
