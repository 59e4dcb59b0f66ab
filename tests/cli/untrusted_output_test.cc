// What shapeq prints from what it read (issue 24's reproduction 8 and the minor findings): no
// nan or inf from a zero or denormal figure; text from results files stays text in Markdown and
// never becomes a spreadsheet formula in CSV; a null where an object belongs, an unwritable
// --out, a plan's catalog that is not there: each a one-line error with its documented code.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "common/subprocess.h"
#include <prometheus/text_serializer.h>

#include "results/csv_text.h"
#include "results/prometheus_export.h"
#include "results/run_dir.h"
#include "tests/test_support.h"

namespace shapeq {
namespace {

namespace fs = std::filesystem;
using test::ExpectOneLineError;
using test::ReadJson;
using test::ReadText;

using test::Shapeq;

class UntrustedOutput : public ::testing::Test {
 protected:
  // The golden run copied, with `edit` applied to one of its JSON files.
  fs::path RunWith(const std::string& file, const std::function<void(nlohmann::json&)>& edit) {
    const fs::path dir = temp_.path() / ("run-" + std::to_string(runs_++));
    fs::copy(std::string(SHAPEQ_FIXTURES) + "/golden/run", dir);
    nlohmann::json document = ReadJson(dir / file);
    edit(document);
    std::ofstream(dir / file) << document.dump();
    return dir;
  }
  test::TempDir temp_{"shapeq-untrusted"};
  int runs_ = 0;
};

bool HasNanOrInf(const std::string& text) {
  for (const char* word : {"nan", "inf", "NaN", "Inf"}) {
    for (size_t at = text.find(word); at != std::string::npos; at = text.find(word, at + 1)) {
      // "information" is a word, not a number.
      const bool word_start = at == 0 || !std::isalpha(static_cast<unsigned char>(text[at - 1]));
      const bool word_end = at + 3 >= text.size() || !std::isalpha(static_cast<unsigned char>(text[at + 3]));
      if (word_start && word_end) return true;
    }
  }
  return false;
}

// Reproduction 8: a network figure of 0 or 1e-320 bytes/s is no figure to size with.
TEST_F(UntrustedOutput, AZeroOrDenormalFigurePrintsNoNanOrInf) {
  for (const double rate : {0.0, 1e-320}) {
    const fs::path dir = RunWith("network.json", [rate](nlohmann::json& m) {
      m["bytes_per_s"] = rate;
      m["repeats_bytes_per_s"] = {rate};
    });
    for (const char* format : {"", "--csv", "--json"}) {
      std::vector<std::string> args = {"score", "--results", dir.string()};
      if (*format) args.push_back(format);
      const ProcessResult r = Shapeq(args);
      EXPECT_EQ(r.exit_code, 0) << r.stderr_text;
      EXPECT_FALSE(HasNanOrInf(r.stdout_text)) << rate << " " << format << ":\n" << r.stdout_text;
    }
    const auto scored = nlohmann::json::parse(Shapeq({"score", "--results", dir.string(), "--json"}).stdout_text);
    for (const auto& [name, shape] : scored["shapes"].items()) {
      if (name.rfind("measured", 0) != 0) continue;
      EXPECT_NE(shape["figures"]["nic_gbps"]["basis"], "measured") << "sized on " << rate << " bytes/s";
    }
    const ProcessResult report = Shapeq({"report", dir.string()});
    EXPECT_EQ(report.exit_code, 0) << report.stderr_text;
    for (const char* file : {"report.md", "report.csv", "report.html"}) EXPECT_FALSE(HasNanOrInf(ReadText(dir / file))) << file;
  }
}

TEST_F(UntrustedOutput, ParamsNullReadsAsNoParams) {
  const fs::path dir = RunWith("storage.json", [](nlohmann::json& ms) {
    for (auto& m : ms) m["params"] = nullptr;
  });
  const ProcessResult score = Shapeq({"score", "--results", dir.string()});
  EXPECT_EQ(score.exit_code, 0) << score.stderr_text;
  const ProcessResult report = Shapeq({"report", dir.string()});
  EXPECT_EQ(report.exit_code, 0) << report.stderr_text;
}

TEST_F(UntrustedOutput, AnUnwritableReportDirectoryIsAOneLineError) {
  const fs::path dir = RunWith("network.json", [](nlohmann::json&) {});
  ExpectOneLineError(Shapeq({"report", dir.string(), "--out", "/proc/shapeq-no-such/report"}), ExitCode::kEnvironment, "/proc/shapeq-no-such/report");
}

// A hostname and a kernel's reason are the machine's text: in report.md they cannot open a tag,
// a link or a code span, and in report.csv no cell starts a formula.
TEST_F(UntrustedOutput, MachineTextStaysTextInMarkdownAndCsv) {
  const fs::path dir = RunWith("fingerprint.json", [](nlohmann::json& fp) { fp["source"]["hostname"] = "=HYPERLINK(\"http://x\")<script>alert(1)</script>"; });
  const ProcessResult report = Shapeq({"report", dir.string()});
  ASSERT_EQ(report.exit_code, 0) << report.stderr_text;
  const std::string md = ReadText(dir / "report.md"), csv = ReadText(dir / "report.csv");
  ASSERT_NE(md.find("<script>"), std::string::npos) << "the hostname is in the report";
  for (size_t at = md.find("<script>"); at != std::string::npos; at = md.find("<script>", at + 1)) {
    EXPECT_EQ(md[at - 1], '\\') << "an open tag";
  }
  for (size_t line = 0; line < csv.size(); line = csv.find('\n', line) + 1) {
    for (size_t cell = line; cell < csv.size() && csv[cell] != '\n';) {
      const char first = csv[cell] == '"' ? csv[cell + 1] : csv[cell];
      EXPECT_TRUE(first != '=' && first != '@' && first != '+') << csv.substr(line, csv.find('\n', line) - line);
      const size_t next = csv.find(',', cell);
      if (next == std::string::npos || next > csv.find('\n', cell)) break;
      cell = next + 1;
    }
    if (csv.find('\n', line) == std::string::npos) break;
  }
  EXPECT_NE(csv.find("'=HYPERLINK"), std::string::npos) << csv.substr(0, 500);
}

// A fleet file of the other kind (network measurements given as storage, and the reverse) is
// refused naming it, not rendered as nonsense.
TEST_F(UntrustedOutput, AFleetFileOfTheOtherKindIsRefused) {
  const fs::path run = RunWith("network.json", [](nlohmann::json&) {});
  const fs::path network = temp_.path() / "fleet-net.json", storage = temp_.path() / "fleet-storage.json";
  std::ofstream(network) << nlohmann::json::array({ReadJson(run / "network.json")}).dump();
  std::ofstream(storage) << nlohmann::json::array({ReadJson(run / "storage.json")[0]}).dump();
  ExpectOneLineError(Shapeq({"report", run.string(), "--storage-fleet", network.string()}), ExitCode::kBadInput, "is not from shapeq storage --hosts");
  ExpectOneLineError(Shapeq({"report", run.string(), "--net-fleet", storage.string()}), ExitCode::kBadInput, "is not from shapeq net --hosts");
}

// The network figure's peer label is the host alone: a loopback listener's port is new every run.
TEST_F(UntrustedOutput, ThePeerLabelCarriesNoPort) {
  const fs::path run = RunWith("network.json", [](nlohmann::json& m) { m["target"] = "127.0.0.1:41234"; });
  const std::string text = prometheus::TextSerializer().Serialize(RunMetrics(ReadRunFiles(run.string()))->Collect());
  EXPECT_NE(text.find("peer=\"127.0.0.1\""), std::string::npos) << text.substr(0, 2000);
  EXPECT_EQ(text.find("41234"), std::string::npos);
}

TEST(CsvText, QuotesAndDisarmsFormulas) {
  EXPECT_EQ(CsvText("plain"), "plain");
  EXPECT_EQ(CsvText("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvText("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvText("=1+1"), "'=1+1");
  EXPECT_EQ(CsvText("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(CsvText("+cmd"), "'+cmd");
  EXPECT_EQ(CsvText("-2+3"), "'-2+3");
  EXPECT_EQ(CsvText("-2.5"), "-2.5") << "a negative number is a number";
  EXPECT_EQ(CsvText("\tx"), "'\tx");
  EXPECT_EQ(CsvText("=HYPERLINK(\"a\",\"b\")"), "\"'=HYPERLINK(\"\"a\"\",\"\"b\"\")\"");
  EXPECT_EQ(CsvNumber(0.5), "0.5");
  EXPECT_EQ(CsvNumber(std::nullopt), "");
  EXPECT_EQ(CsvNumber(std::numeric_limits<double>::infinity()), "");
  EXPECT_EQ(CsvNumber(std::numeric_limits<double>::quiet_NaN()), "");
}

// The README's plan, run from anywhere, and a catalog or model that is not there: known before
// anything is measured.
TEST_F(UntrustedOutput, APlansCatalogIsCheckedBeforeAnythingRuns) {
  const fs::path plans = temp_.path() / "plans";
  fs::create_directories(plans);
  fs::create_directory_symlink(SHAPEQ_PROFILES, plans / "profiles");
  auto plan = [&](const nlohmann::json& score) {
    const fs::path file = plans / "plan.json";
    std::ofstream(file) << nlohmann::json{{"schema", "shapeq.plan"}, {"score", score}, {"storage", {{"kernels", {"seq_read"}}}}}.dump();
    return file.string();
  };
  const fs::path out = temp_.path() / "out";
  ExpectOneLineError(Shapeq({"qualify", "--plan", plan({{"model", "nosuch"}}), "--out", out.string()}), ExitCode::kBadInput, "field score.profiles or score.model");
  EXPECT_FALSE(fs::exists(out)) << "a results directory was made";
  ExpectOneLineError(Shapeq({"qualify", "--plan", plan({{"profiles", "/nonexistent"}}), "--out", out.string()}), ExitCode::kBadInput,
                     "field score.profiles or score.model");
  // "profiles" beside the plan file, wherever shapeq runs from: accepted (shown by --help-free
  // dry check: the plan reads and the catalog loads, so the run starts).
  ChildProcess run({SHAPEQ_BINARY, "qualify", "--plan", plan({{"profiles", "profiles"}}), "--out", out.string()});
  const auto first = run.ReadLine(30);
  ASSERT_TRUE(first.has_value());
  EXPECT_NE(first->find("[1/6] probe"), std::string::npos) << *first;
}

}  // namespace
}  // namespace shapeq
