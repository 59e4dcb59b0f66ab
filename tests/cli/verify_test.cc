// shapeq verify on a fresh run: it verifies; then one byte of a raw fio output, a summary figure,
// a verdict or the report's digest changed, each is named (exit 3), and put back it verifies again.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>

#include "common/sha256.h"
#include "common/subprocess.h"
#include "tests/test_support.h"

namespace shapeq {
namespace {

namespace fs = std::filesystem;
using test::ReadText;

ProcessResult Verify(const fs::path& dir) { return RunProcess({SHAPEQ_BINARY, "verify", dir.string()}); }

TEST(Sha256, KnownVectors) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(Sha256Hex(std::string(1000000, 'a')), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  // Lengths around the padding's block boundary (55, 56, 63, 64 bytes) against sha256sum.
  for (const size_t n : {55u, 56u, 63u, 64u, 119u, 120u}) {
    test::TempDir dir("shapeq-sha");
    std::ofstream(dir.path() / "x", std::ios::binary) << std::string(n, 'q');
    const ProcessResult sum = RunProcess({"sha256sum", (dir.path() / "x").string()});
    EXPECT_EQ(Sha256Hex(std::string(n, 'q')), sum.stdout_text.substr(0, 64)) << n;
  }
}

class VerifyRun : public ::testing::Test {
 protected:
  // A quick run on a tmpfs loop device as the node's one data drive (root), so the node is sized
  // as a shape and verify re-derives it too; without root, on a scratch file.
  static void SetUpTestSuite() {
    dir_ = new fs::path(fs::temp_directory_path() / ("shapeq-verify-" + std::to_string(getpid())));
    fs::remove_all(*dir_);
    std::vector<std::string> argv = {SHAPEQ_BINARY, "qualify", "--quick", "--out", dir_->string()};
    if (geteuid() == 0) {
      loop_ = new test::TmpfsLoop;
      if (loop_->Attach("/dev/shm/shapeq-verify-" + std::to_string(getpid()), 256 << 20).empty()) {
        argv.insert(argv.end(), {"--device", loop_->device()});
      }
    }
    const ProcessResult r = RunProcess(argv);
    ASSERT_EQ(r.exit_code, 0) << r.stdout_text << r.stderr_text;
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
    delete loop_;
  }
  static test::TmpfsLoop* loop_;
  // Runs `check` with `file` edited by `edit`, then puts the file back.
  static void WithEdited(const char* file, const std::function<void(std::string&)>& edit, const std::function<void()>& check) {
    const fs::path path = *dir_ / file;
    const std::string original = ReadText(path);
    std::string edited = original;
    edit(edited);
    ASSERT_NE(edited, original);
    std::ofstream(path, std::ios::binary | std::ios::trunc) << edited;
    check();
    std::ofstream(path, std::ios::binary | std::ios::trunc) << original;
  }
  static fs::path* dir_;
};
fs::path* VerifyRun::dir_ = nullptr;
test::TmpfsLoop* VerifyRun::loop_ = nullptr;

TEST_F(VerifyRun, AFreshRunVerifiesAndItsReportNamesItsDigest) {
  const ProcessResult r = Verify(*dir_);
  ASSERT_EQ(r.exit_code, 0) << r.stdout_text << r.stderr_text;
  EXPECT_NE(r.stdout_text.find("verified: "), std::string::npos);
  EXPECT_NE(r.stdout_text.find("storage repeats re-read from fio's json+"), std::string::npos) << r.stdout_text;
  EXPECT_NE(r.stdout_text.find("verdicts re-scored to the same figures"), std::string::npos) << r.stdout_text;
  if (loop_) {
    EXPECT_NE(r.stdout_text.find("the measured shape measured-"), std::string::npos) << r.stdout_text;
  }
  const auto manifest = test::ReadJson(*dir_ / "manifest.json");
  const std::string digest = manifest["results_digest"];
  EXPECT_NE(ReadText(*dir_ / "report.md").find("results digest sha256:" + digest), std::string::npos);
  EXPECT_NE(r.stdout_text.find(digest), std::string::npos);
  for (const auto& [file, sha] : manifest["sha256"].items()) EXPECT_EQ(sha, Sha256Hex(ReadText(*dir_ / file))) << file;
}

TEST_F(VerifyRun, OneByteOfARawFioOutputIsNamed) {
  WithEdited("storage.json", [](std::string& text) {
    // A digit of the first raw "bw_bytes" fio reported, changed by one.
    const size_t at = text.find("\"bw_bytes\": ", text.find("\"raw_output\"")) + 12;
    text[at] = text[at] == '9' ? '8' : static_cast<char>(text[at] + 1);
  }, [] {
    const ProcessResult r = Verify(*dir_);
    EXPECT_EQ(r.exit_code, 3) << r.stdout_text;
    EXPECT_NE(r.stdout_text.find("storage.json: changed since the run"), std::string::npos) << r.stdout_text;
    EXPECT_NE(r.stdout_text.find("does not follow from its fio output"), std::string::npos) << r.stdout_text;
    EXPECT_EQ(std::count(r.stderr_text.begin(), r.stderr_text.end(), '\n'), 1) << r.stderr_text;
  });
  EXPECT_EQ(Verify(*dir_).exit_code, 0) << "put back, it verifies";
}

TEST_F(VerifyRun, ASummaryFigureOrAVerdictChangedIsNamed) {
  WithEdited("datapath.json", [](std::string& text) {
    const size_t at = text.find("\"bytes_per_s\": ") + 15;
    text.insert(at, "1");
  }, [] {
    const ProcessResult r = Verify(*dir_);
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_NE(r.stdout_text.find("is not the median of its repeats"), std::string::npos) << r.stdout_text;
  });
  WithEdited("verdicts.json", [](std::string& text) {
    const size_t at = text.find("\"nodes\": ", text.find("\"verdicts\"")) + 9;
    text.insert(at, "9");
  }, [] {
    const ProcessResult r = Verify(*dir_);
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_NE(r.stdout_text.find("does not follow from its inputs"), std::string::npos) << r.stdout_text;
  });
  if (loop_) {
    // The measured shape's read figure, as if the node were faster than its runs showed.
    WithEdited("verdicts.json", [](std::string& text) {
      const size_t shape = text.find("\"measured-");
      const size_t at = text.find("\"value\": ", text.find("\"read_gbytes_per_s\"", shape)) + 9;
      text.insert(at, "9");
    }, [] {
      const ProcessResult r = Verify(*dir_);
      EXPECT_EQ(r.exit_code, 3);
      EXPECT_NE(r.stdout_text.find("read_gbytes_per_s"), std::string::npos) << r.stdout_text;
      EXPECT_NE(r.stdout_text.find("does not follow from the measurements"), std::string::npos) << r.stdout_text;
    });
  }
  WithEdited("report.md", [](std::string& text) {
    const size_t at = text.find("results digest sha256:") + 22;
    text[at] = text[at] == 'a' ? 'b' : 'a';
  }, [] {
    const ProcessResult r = Verify(*dir_);
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_NE(r.stdout_text.find("report.md: names results digest"), std::string::npos) << r.stdout_text;
  });
}

TEST(VerifyRunInput, NoRunIsAOneLineError) {
  test::TempDir dir("shapeq-verify-none");
  test::ExpectOneLineError(RunProcess({SHAPEQ_BINARY, "verify", dir.path().string()}), ExitCode::kBadInput, "no manifest.json");
  test::ExpectOneLineError(RunProcess({SHAPEQ_BINARY, "verify", (dir.path() / "x").string()}), ExitCode::kBadInput, "no such results directory");
}

}  // namespace
}  // namespace shapeq
