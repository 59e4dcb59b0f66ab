// The shape report's Markdown and CSV, rendered from a committed results directory, compared
// byte for byte with the committed golden files: any drift of a renderer shows here. When a
// change to the report is intended, tests/fixtures/golden/make_run.sh rewrites both.
#include <gtest/gtest.h>

#include <string>

#include "results/run_dir.h"
#include "results/shape_report.h"
#include "tests/test_support.h"

namespace shapeq {
namespace {

const std::string kGolden = std::string(SHAPEQ_FIXTURES) + "/golden";

// The first line where two texts part, for a readable failure.
std::string FirstDifference(const std::string& expected, const std::string& actual) {
  size_t line = 1, start = 0;
  for (size_t i = 0; i < std::min(expected.size(), actual.size()); ++i) {
    if (expected[i] != actual[i]) {
      return "line " + std::to_string(line) + ":\n  golden:   " + expected.substr(start, expected.find('\n', start) - start) +
             "\n  rendered: " + actual.substr(start, actual.find('\n', start) - start);
    }
    if (expected[i] == '\n') {
      ++line;
      start = i + 1;
    }
  }
  return "one is a prefix of the other (" + std::to_string(expected.size()) + " vs " + std::to_string(actual.size()) + " bytes)";
}

TEST(GoldenReport, MarkdownAndCsvAreExactlyTheCommittedOnes) {
  const ShapeReport report = RenderShapeReport({ReadRunFiles(kGolden + "/run")});
  const std::string markdown = test::ReadText(kGolden + "/report.md"), csv = test::ReadText(kGolden + "/report.csv");
  ASSERT_FALSE(markdown.empty());
  ASSERT_FALSE(csv.empty());
  EXPECT_TRUE(report.markdown == markdown) << "report.md drifted at " << FirstDifference(markdown, report.markdown)
                                           << "\n(intended? tests/fixtures/golden/make_run.sh)";
  EXPECT_TRUE(report.csv == csv) << "report.csv drifted at " << FirstDifference(csv, report.csv)
                                 << "\n(intended? tests/fixtures/golden/make_run.sh)";
}

}  // namespace
}  // namespace shapeq
