// The suite's fio ioengine, loaded by the installed fio: it moves the data, and the CRC-32C and
// erasure-code parity it computes on each completion match ISA-L's, computed here on its own.
#include <gtest/gtest.h>
#include <isa-l/crc.h>
#include <isa-l/erasure_code.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "common/subprocess.h"

namespace shapeq {
namespace {

namespace fs = std::filesystem;

class IoEngine : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::string(SHAPEQ_IOENGINE).empty()) {
      GTEST_SKIP() << "the shapeq-datapath ioengine was not built (no fio source headers; see the CMake warning)";
    }
    dir_ = fs::temp_directory_path() / ("shapeq-ioengine-" + std::to_string(getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Runs one fio job on the engine; returns fio's JSON.
  nlohmann::json Fio(const std::string& body) {
    const fs::path job = dir_ / "job.fio";
    std::ofstream(job) << "[global]\nioengine=external:" << SHAPEQ_IOENGINE << "\nfilename=" << (dir_ / "data").string()
                       << "\ndirect=1\niodepth=8\nthread=1\n" << body;
    const ProcessResult r = RunProcess({"fio", "--output-format=json", job.string()});
    EXPECT_EQ(r.exit_code, 0) << r.stderr_text << r.stdout_text;
    return r.exit_code == 0 ? nlohmann::json::parse(r.stdout_text.substr(r.stdout_text.find('{'))) : nlohmann::json{};
  }

  struct Logged {
    std::string ddir;
    uint64_t offset;
    size_t length;
    uint32_t crc;
    std::vector<uint32_t> parity_crcs;
  };
  std::vector<Logged> Log(const std::string& name) {
    std::vector<Logged> entries;
    std::ifstream in(dir_ / name);
    for (std::string line; std::getline(in, line);) {
      std::istringstream words(line);
      Logged e;
      words >> e.ddir >> e.offset >> e.length >> std::hex >> e.crc;
      for (uint32_t p; words >> p;) e.parity_crcs.push_back(p);
      entries.push_back(e);
    }
    return entries;
  }

  std::vector<uint8_t> Read(uint64_t offset, size_t length) {
    std::ifstream in(dir_ / "data", std::ios::binary);
    std::vector<uint8_t> bytes(length);
    in.seekg(static_cast<std::streamoff>(offset));
    in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(length));
    return bytes;
  }

  static uint32_t IsalCrc32c(const uint8_t* data, size_t length) {
    return crc32_iscsi(const_cast<uint8_t*>(data), static_cast<int>(length), 0xFFFFFFFFu) ^ 0xFFFFFFFFu;
  }

  // Parity of one buffer as the engine's contract says: k strips of ceil(len / k), the last
  // zero-padded, Cauchy Reed-Solomon; computed with ISA-L's primitives directly.
  static std::vector<uint32_t> IsalParityCrcs(std::vector<uint8_t> data, unsigned k, unsigned m) {
    const size_t strip = (data.size() + k - 1) / k;
    data.resize(strip * k, 0);
    std::vector<uint8_t> matrix(static_cast<size_t>(k + m) * k), tables(32ULL * k * m);
    gf_gen_cauchy1_matrix(matrix.data(), static_cast<int>(k + m), static_cast<int>(k));
    ec_init_tables(static_cast<int>(k), static_cast<int>(m), matrix.data() + static_cast<size_t>(k) * k, tables.data());
    std::vector<std::vector<uint8_t>> parity(m, std::vector<uint8_t>(strip));
    std::vector<uint8_t*> sources, targets;
    for (unsigned i = 0; i < k; ++i) sources.push_back(data.data() + i * strip);
    for (auto& p : parity) targets.push_back(p.data());
    ec_encode_data(static_cast<int>(strip), static_cast<int>(k), static_cast<int>(m), tables.data(), sources.data(), targets.data());
    std::vector<uint32_t> crcs;
    for (auto& p : parity) crcs.push_back(IsalCrc32c(p.data(), p.size()));
    return crcs;
  }

  void CheckWritesThenReads(unsigned k, unsigned m, const std::string& bs) {
    const auto written = Fio("size=8M\nbs=" + bs + "\n[w]\nrw=write\ndatapath=ec\nk=" + std::to_string(k) + "\nm=" + std::to_string(m) +
                             "\ndatapath_log=" + (dir_ / "write.log").string() + "\n");
    ASSERT_FALSE(written.empty());
    EXPECT_EQ(written["jobs"][0]["write"]["io_bytes"].get<uint64_t>(), 8u << 20);
    const auto writes = Log("write.log");
    ASSERT_FALSE(writes.empty());
    uint64_t logged_bytes = 0;
    for (const auto& w : writes) {
      ASSERT_EQ(w.ddir, "write");
      const auto bytes = Read(w.offset, w.length);
      ASSERT_EQ(w.crc, IsalCrc32c(bytes.data(), bytes.size())) << "offset " << w.offset;
      ASSERT_EQ(w.parity_crcs, IsalParityCrcs(bytes, k, m)) << "offset " << w.offset;
      logged_bytes += w.length;
    }
    EXPECT_EQ(logged_bytes, 8u << 20) << "every completion ran the data path";
    // Reading back: CRC-32C of each buffer read, no parity.
    Fio("size=8M\nbs=" + bs + "\n[r]\nrw=read\ndatapath=crc\ndatapath_log=" + (dir_ / "read.log").string() + "\n");
    std::map<uint64_t, uint32_t> write_crcs;
    for (const auto& w : writes) write_crcs[w.offset] = w.crc;
    const auto reads = Log("read.log");
    ASSERT_EQ(reads.size(), writes.size());
    for (const auto& r : reads) {
      EXPECT_TRUE(r.parity_crcs.empty());
      EXPECT_EQ(r.crc, write_crcs.at(r.offset)) << "offset " << r.offset;
    }
  }

  fs::path dir_;
};

TEST_F(IoEngine, EightPlusTwoMatchesIsal) { CheckWritesThenReads(8, 2, "64k"); }

TEST_F(IoEngine, WideStripeWithPaddedTailMatchesIsal) { CheckWritesThenReads(146, 4, "1M"); }  // 2^20 / 146 is not whole

TEST_F(IoEngine, DatapathNoneMovesEveryByteAndMeasuresLatency) {
  const std::string job = "size=16M\nbs=128k\n[r]\nrw=read\n";
  const auto ours = Fio(job + "datapath=none\n");
  ASSERT_FALSE(ours.empty());
  EXPECT_EQ(ours["jobs"][0]["read"]["io_bytes"].get<uint64_t>(), 16u << 20);
  EXPECT_EQ(ours["jobs"][0]["read"]["total_ios"].get<uint64_t>(), 128u);
  EXPECT_GT(ours["jobs"][0]["read"]["clat_ns"]["mean"].get<double>(), 0) << "completion latency is measured";
}

TEST_F(IoEngine, BadOptionsAreRefusedByFio) {
  const fs::path job = dir_ / "bad.fio";
  std::ofstream(job) << "[bad]\nioengine=external:" << SHAPEQ_IOENGINE << "\nfilename=" << (dir_ / "data").string()
                     << "\nsize=1M\nrw=write\ndatapath=ec\nk=0\n";
  const ProcessResult r = RunProcess({"fio", job.string()});
  EXPECT_NE(r.exit_code, 0);
  std::ofstream(job) << "[bad]\nioengine=external:" << SHAPEQ_IOENGINE << "\nfilename=" << (dir_ / "data").string()
                     << "\nsize=1M\nrw=write\ndatapath=raid5\n";
  EXPECT_NE(RunProcess({"fio", job.string()}).exit_code, 0);
}

}  // namespace
}  // namespace shapeq
