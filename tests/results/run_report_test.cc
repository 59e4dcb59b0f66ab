// shapeq show and compare over results directories written here.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "common/subprocess.h"
#include "tests/test_support.h"
#include "model/measurement.h"

namespace shapeq {
namespace {

namespace fs = std::filesystem;

class RunReports : public ::testing::Test {
 protected:

  // A run of the dense fixture node: seq_read at `read_gbs`, rand_read optional.
  fs::path Run(const std::string& name, double read_gbs, bool with_rand_read) {
    const fs::path dir = root_ / name;
    fs::create_directories(dir);
    std::ofstream(dir / "fingerprint.json") << nlohmann::json(test::ProbeFixtureShape("onprem-dense-1u")).dump();
    std::vector<Measurement> storage;
    Measurement seq;
    seq.kernel = "fio.seq_read";
    seq.target = "all 22 targets";
    seq.bytes_per_s = read_gbs * 1e9;
    seq.iops = read_gbs * 1e9 / 1048576;
    storage.push_back(seq);
    if (with_rand_read) {
      Measurement rand = seq;
      rand.kernel = "fio.rand_read";
      rand.iops = 2e7;
      storage.push_back(rand);
    }
    std::ofstream(dir / "storage.json") << nlohmann::json(storage).dump();
    std::ofstream(dir / "manifest.json") << nlohmann::json{{"complete", true}, {"stages", {{{"name", "storage"}, {"status", "ok"}, {"summary", "2 of 2 kernels ok"}}}}}.dump();
    return dir;
  }

  test::TempDir temp_{"shapeq-runs"};
  const fs::path& root_ = temp_.path();
};

TEST_F(RunReports, ShowSummarizesTheRun) {
  const ProcessResult r = RunProcess({SHAPEQ_BINARY, "show", Run("a", 150, true).string()});
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  EXPECT_NE(r.stdout_text.find("Run a ("), std::string::npos) << r.stdout_text;
  EXPECT_NE(r.stdout_text.find("): complete"), std::string::npos) << r.stdout_text;
  EXPECT_NE(r.stdout_text.find("node onprem-dense-1u: 128 threads, 23 drives, 3 NICs, cloud on-prem"), std::string::npos) << r.stdout_text;
  EXPECT_NE(r.stdout_text.find("stage storage: ok — 2 of 2 kernels ok"), std::string::npos) << r.stdout_text;
  EXPECT_NE(r.stdout_text.find("fio.seq_read  150.000 GB/s"), std::string::npos) << r.stdout_text;
}

TEST_F(RunReports, CompareShowsEachChangeAndWhatIsGoneOrNew) {
  const ProcessResult r = RunProcess({SHAPEQ_BINARY, "compare", Run("before", 150, true).string(), Run("after", 75, false).string()});
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  auto line_of = [&](const std::string& figure) {
    const size_t at = r.stdout_text.find("  " + figure + " ");
    return at == std::string::npos ? std::string() : r.stdout_text.substr(at, r.stdout_text.find('\n', at) - at);
  };
  EXPECT_NE(line_of("fio.seq_read GB/s").find("-50.0%"), std::string::npos) << r.stdout_text;
  EXPECT_NE(line_of("fio.rand_read IOPS").find("gone"), std::string::npos) << r.stdout_text;
  EXPECT_NE(line_of("node cpu threads").find("+0.0%"), std::string::npos) << r.stdout_text;
}

TEST_F(RunReports, BadDirectoriesAreOneLineErrors) {
  test::ExpectOneLineError(RunProcess({SHAPEQ_BINARY, "show", (root_ / "none").string()}), ExitCode::kBadInput, "no such results directory");
  fs::create_directories(root_ / "empty");
  test::ExpectOneLineError(RunProcess({SHAPEQ_BINARY, "show", (root_ / "empty").string()}), ExitCode::kBadInput, "fingerprint.json: cannot read");
  test::ExpectOneLineError(RunProcess({SHAPEQ_BINARY, "compare", (root_ / "empty").string()}), ExitCode::kUsage, "dirs");
}

}  // namespace
}  // namespace shapeq
