// The shape report: its tables and numbers (unit, from runs built here and scored against the
// real catalog), `shapeq report` on disk, and the HTML in a real browser (headless Chromium).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include "results/score_report.h"
#include "results/shape_report.h"
#include "scoring/catalog.h"
#include "scoring/measured_shape.h"
#include "scoring/scorer.h"
#include "tests/test_support.h"

namespace shapeq {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

size_t CountOf(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

// The CSV block whose caption line contains `caption`: its lines, caption first.
std::vector<std::string> CsvBlock(const std::string& csv, const std::string& caption) {
  std::vector<std::string> lines;
  std::istringstream in(csv);
  bool inside = false;
  for (std::string line; std::getline(in, line);) {
    if (!inside && line.find(caption) != std::string::npos) inside = true;
    if (inside && line.empty()) break;
    if (inside) lines.push_back(line);
  }
  return lines;
}

// The CSV row whose first cell is `first` in that block.
std::vector<std::string> CsvRow(const std::vector<std::string>& block, const std::string& first) {
  for (const auto& line : block) {
    if (line.rfind(first + ",", 0) != 0) continue;
    std::vector<std::string> cells;
    std::istringstream in(line);
    for (std::string cell; std::getline(in, cell, ',');) cells.push_back(cell);
    return cells;
  }
  return {};
}

Measurement StorageFigure(const std::string& kernel, double gbs, std::vector<double> repeats_gbs = {}) {
  Measurement m;
  m.kernel = kernel;
  m.target = "/dev/nvme0n1";
  m.bytes_per_s = gbs * 1e9;
  m.iops = gbs * 1e9 / 4096;
  for (double r : repeats_gbs) m.repeats_bytes_per_s.push_back(r * 1e9);
  return m;
}

class ShapeReports : public ::testing::Test {
 protected:
  // A run of the dense fixture node reading at `read_gbs`, scored against the real catalog.
  RunFiles Run(const std::string& id, const std::string& host, double read_gbs, bool scored = true) {
    RunFiles run;
    run.dir = (temp_.path() / id).string();
    run.run_id = id;
    run.fingerprint = test::ProbeFixtureShape("onprem-dense-1u");
    run.fingerprint.source.hostname = host;
    run.storage = {StorageFigure("fio.seq_read", read_gbs, {read_gbs * 0.98, read_gbs, read_gbs * 1.01}),
                   StorageFigure("fio.rand_read", read_gbs / 2)};
    run.complete = true;
    run.manifest.mode = "default";
    run.manifest.started_utc = "2026-11-25T10:00:00Z";
    run.manifest.stages = {{"storage", "ok", "", "", std::nullopt}, {"score", scored ? "ok" : "failed", "", "", std::nullopt}};
    if (!scored) {
      run.manifest.stages[1].reason = "profiles/x.json: field budget: not a number";
      return run;
    }
    std::vector<ScoredPair> pairs;
    for (const auto& target : catalog_.targets) {
      for (const auto& shape : catalog_.shapes) pairs.push_back({&shape, &target, Score(shape, target, catalog_.model)});
    }
    run.scores = ReadScoreDocument(WriteScoreDocument(pairs, catalog_.model), "verdicts.json");
    return run;
  }

  // Writes `run` as a results directory, as qualify does.
  fs::path WriteRun(const RunFiles& run) {
    fs::create_directories(run.dir);
    std::ofstream(fs::path(run.dir) / "fingerprint.json") << json(run.fingerprint).dump();
    std::ofstream(fs::path(run.dir) / "storage.json") << json(run.storage).dump();
    json manifest = run.manifest;
    manifest["complete"] = run.complete;
    std::ofstream(fs::path(run.dir) / "manifest.json") << manifest.dump();
    if (run.scores) std::ofstream(fs::path(run.dir) / "verdicts.json") << WriteScoreDocument(run.scores->Pairs(), run.scores->model).dump();
    return run.dir;
  }

  test::TempDir temp_{"shapeq-shape-report"};
  Catalog catalog_ = LoadCatalog(SHAPEQ_PROFILES);
};

TEST_F(ShapeReports, OneRunHasEverySectionAndTheMeasuredMedians) {
  const ShapeReport r = RenderShapeReport({Run("run1", "node-a", 150)});
  // A section per catalog target besides the 1 EB comparison, each with its table.
  for (const auto& target : catalog_.targets) {
    const std::string id = target.name == "reference-1eb" ? "compare" : "target-" + target.name;
    EXPECT_NE(r.html.find("<section id=\"" + id + "\">"), std::string::npos) << id;
  }
  EXPECT_EQ(CountOf(r.html, "<table>"), 1 + 3 + 2 + 1 + catalog_.targets.size() - 1)
      << "the answer first; runs, node, measured; compare and its cost; what decides them; the other targets";
  // The answer opens the report, before the runs it rests on.
  EXPECT_LT(r.html.find("<section id=\"answer\">"), r.html.find("<section id=\"runs\">"));
  EXPECT_NE(r.html.find("<section id=\"decides\">"), std::string::npos);
  EXPECT_EQ(CountOf(r.html, "<svg class=\"chart\""), CountOf(r.html, "</svg>"));
  EXPECT_GE(CountOf(r.html, "<svg class=\"chart\""), 4u + 2);

  // Full precision in CSV, thousands separators for people.
  const auto medians = CsvBlock(r.csv, "Medians of the repeats");
  ASSERT_FALSE(medians.empty()) << r.csv;
  EXPECT_EQ(medians[1], "figure,unit,node-a");
  const auto seq = CsvRow(medians, "fio.seq_read on nvme0n1");
  ASSERT_EQ(seq.size(), 3u) << r.csv;
  EXPECT_EQ(seq[1], "GB/s");
  EXPECT_EQ(seq[2], "150");
  EXPECT_NE(r.markdown.find("| fio.rand_read on nvme0n1 | IOPS | 18,310,547 |"), std::string::npos) << r.markdown;
  // The whisker of the repeats: 147 to 151.5 GB/s drawn around the median.
  EXPECT_NE(r.html.find("<path class=\"whisker\""), std::string::npos);

  // Every shape of the catalog in the 1 EB table, with its racks.
  const auto compare = CsvBlock(r.csv, "1 EB comparison");
  ASSERT_EQ(compare.size(), 2 + catalog_.shapes.size()) << r.csv;
  for (const auto& shape : catalog_.shapes) EXPECT_FALSE(CsvRow(compare, shape.name).empty()) << shape.name;
}

TEST_F(ShapeReports, ANodeSizedFromRawDrivesIsSetBesideItsRatedShape) {
  RunFiles run = Run("run1", "node-a", 150);
  const Shape* rated = nullptr;
  for (const auto& shape : catalog_.shapes) rated = shape.name == "onprem-dense-1u-122tb" ? &shape : rated;
  ASSERT_NE(rated, nullptr);
  Measurement all_drives = StorageFigure("fio.seq_read", 150);
  all_drives.params["targets"] = json::array();
  for (const auto& d : run.fingerprint.drives) {
    if (!d.system_disk) all_drives.params["targets"].push_back("/dev/" + d.name);
  }
  Shape measured = ShapeFromFingerprint(run.fingerprint, "fingerprint.json", rated);
  ApplyStorageMeasurements(measured, run.fingerprint, {all_drives}, "storage.json");
  ASSERT_TRUE(measured.read_bytes_per_s.known());
  std::vector<ScoredPair> pairs;
  for (const auto& target : catalog_.targets) pairs.push_back({&measured, &target, Score(measured, target, catalog_.model)});
  for (const auto& target : catalog_.targets) pairs.push_back({rated, &target, Score(*rated, target, catalog_.model)});
  run.scores = ReadScoreDocument(WriteScoreDocument(pairs, catalog_.model), "verdicts.json");
  run.manifest.rated_shape = rated->name;

  const ShapeReport r = RenderShapeReport({run});
  EXPECT_NE(r.html.find("Rated figures are the catalog's onprem-dense-1u-122tb"), std::string::npos);
  const auto table = CsvBlock(r.csv, "Measured against rated");
  ASSERT_FALSE(table.empty()) << r.csv;
  const auto read = CsvRow(table, "read_gbytes_per_s");
  ASSERT_EQ(read.size(), 6u) << r.csv;
  EXPECT_EQ(read[1], "150");
  EXPECT_EQ(read[2], "measured");
  EXPECT_NEAR(std::stod(read[5]), 150e9 / *rated->read_bytes_per_s.value, 1e-6) << "measured / rated";
}

TEST_F(ShapeReports, AFleetShowsTheSpreadAcrossNodes) {
  const ShapeReport r = RenderShapeReport({Run("a", "node-a", 100), Run("b", "node-b", 150), Run("c", "node-c", 200)});
  const auto table = CsvBlock(r.csv, "spread across nodes");
  ASSERT_FALSE(table.empty()) << r.csv;
  EXPECT_EQ(table[1], "figure,unit,node-a,node-b,node-c,min,median,max,spread %");
  const auto seq = CsvRow(table, "fio.seq_read on nvme0n1");
  ASSERT_EQ(seq.size(), 9u);
  EXPECT_EQ(seq[5], "100");
  EXPECT_EQ(seq[6], "150");
  EXPECT_EQ(seq[7], "200");
  EXPECT_NEAR(std::stod(seq[8]), (200.0 - 100) / 150 * 100, 1e-6);
  EXPECT_NE(r.html.find("3 nodes of "), std::string::npos);
  EXPECT_EQ(r.html.find("not all of one shape"), std::string::npos);
}

TEST_F(ShapeReports, MixedShapesAreCalledOut) {
  RunFiles other = Run("b", "node-b", 10);
  other.fingerprint = test::ProbeFixtureShape("azure-l96s-v4");
  const ShapeReport r = RenderShapeReport({Run("a", "node-a", 100), other});
  EXPECT_NE(r.html.find("These runs are not all of one shape"), std::string::npos);
}

TEST_F(ShapeReports, AnUnscoredRunStillReportsWhatWasMeasuredAndWhyNot) {
  const ShapeReport r = RenderShapeReport({Run("run1", "node-a", 150, false)});
  EXPECT_NE(r.html.find("No run was scored"), std::string::npos);
  EXPECT_NE(r.html.find("run1: score failed — profiles/x.json: field budget: not a number"), std::string::npos) << r.html;
  EXPECT_NE(r.html.find("<td class=\"fail\">failed</td>"), std::string::npos);
  EXPECT_FALSE(CsvBlock(r.csv, "Medians of the repeats").empty());
}

TEST_F(ShapeReports, TextFromTheMachineIsEscaped) {
  RunFiles run = Run("run1", "<script>alert(1)</script>, \"x\" | y", 150);
  const ShapeReport r = RenderShapeReport({run});
  EXPECT_EQ(r.html.find("<script>alert"), std::string::npos);
  EXPECT_NE(r.html.find("&lt;script&gt;alert(1)&lt;/script&gt;, &quot;x&quot; | y"), std::string::npos);
  EXPECT_NE(r.csv.find("\"<script>alert(1)</script>, \"\"x\"\" | y\""), std::string::npos) << r.csv;
  EXPECT_NE(r.markdown.find("\"x\" \\| y"), std::string::npos);
}

TEST_F(ShapeReports, ReportCommandWritesTheThreeFilesAndRefusesBadInput) {
  const fs::path a = WriteRun(Run("a", "node-a", 100)), b = WriteRun(Run("b", "node-b", 120));
  ProcessResult r = RunProcess({SHAPEQ_BINARY, "report", a.string()});
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  for (const char* file : {"report.html", "report.md", "report.csv"}) EXPECT_GT(fs::file_size(a / file), 1000u) << file;

  const fs::path fleet = temp_.path() / "fleet";
  r = RunProcess({SHAPEQ_BINARY, "report", a.string(), b.string(), "--out", fleet.string()});
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  EXPECT_NE(r.stdout_text.find("report of 2 runs"), std::string::npos);
  EXPECT_NE(test::ReadText(fleet / "report.html").find("2 nodes of "), std::string::npos);

  test::ExpectOneLineError(RunProcess({SHAPEQ_BINARY, "report", a.string(), b.string()}), ExitCode::kUsage, "--out");
  std::ofstream(b / "verdicts.json") << "{\"schema\": \"something else\"}";
  test::ExpectOneLineError(RunProcess({SHAPEQ_BINARY, "report", b.string()}), ExitCode::kBadInput, "verdicts.json");
}

// The page in a real browser: Chromium loads it from file, lays it out, runs its self-check
// (which counts the tables and charts that got a size, and any script error) and takes a
// screenshot.
TEST_F(ShapeReports, ChromiumRendersEveryTableAndChart) {
  if (RunProcess({"sh", "-c", "command -v chromium"}).exit_code != 0) {
    if (std::getenv("CI")) FAIL() << "chromium not installed: scripts/test installs it";
    GTEST_SKIP() << "chromium not installed (scripts/test installs it)";
  }
  const fs::path dir = WriteRun(Run("a", "node-a", 100));
  ASSERT_EQ(RunProcess({SHAPEQ_BINARY, "report", dir.string()}).exit_code, 0);
  const std::string html = test::ReadText(dir / "report.html");
  const std::vector<std::string> chromium = {"timeout", "120", "chromium", "--headless=new", "--no-sandbox", "--disable-gpu",
                                             "--disable-dev-shm-usage", "--disable-background-networking", "--no-first-run",
                                             "--user-data-dir=" + (temp_.path() / "profile").string(), "--enable-logging=stderr"};
  const std::string url = "file://" + fs::absolute(dir / "report.html").string();

  auto dump = chromium;
  dump.insert(dump.end(), {"--dump-dom", url});
  const ProcessResult dom = RunProcess(dump);
  ASSERT_EQ(dom.exit_code, 0) << dom.stderr_text;
  std::smatch body;
  ASSERT_TRUE(std::regex_search(dom.stdout_text, body, std::regex("<body([^>]*)>"))) << dom.stdout_text.substr(0, 2000);
  const std::string expected = std::to_string(CountOf(html, "<table>")) + " tables, " + std::to_string(CountOf(html, "<svg class=\"chart\"")) + " charts";
  EXPECT_NE(body[1].str().find("data-rendered=\"" + expected + "\""), std::string::npos) << body[1] << " expected " << expected;
  EXPECT_EQ(body[1].str().find("data-errors"), std::string::npos) << body[1];
  EXPECT_EQ(dom.stderr_text.find("Uncaught"), std::string::npos) << dom.stderr_text;

  const fs::path png = temp_.path() / "report.png";
  auto shot = chromium;
  shot.insert(shot.end(), {"--hide-scrollbars", "--window-size=1280,4000", "--screenshot=" + png.string(), url});
  const ProcessResult r = RunProcess(shot);
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  ASSERT_TRUE(fs::exists(png));
  std::ifstream image(png, std::ios::binary);
  std::string header(8, '\0');
  image.read(header.data(), 8);
  EXPECT_EQ(header, "\x89PNG\r\n\x1a\n");
  EXPECT_GT(fs::file_size(png), 50'000u) << "a page of tables and charts, not a blank one";
}


TEST_F(ShapeReports, ServedFiguresStandBesideTheDrivesAloneAndTheirPredictionFlaggedPastTheNoise) {
  RunFiles run = Run("run1", "node-a", 150);
  Measurement served = StorageFigure("fio.served_read", 75);
  served.cpu_cores_busy = 30;
  Measurement crc;
  crc.kernel = "datapath.crc32c";
  crc.bytes_per_s = 20e9;
  run.storage.push_back(served);
  run.datapath = {crc};
  const ShapeReport r = RenderShapeReport({run});
  // 128 threads x 20 GB/s of CRC-32C is far above the drives' 150 GB/s: the drives bound the
  // prediction, and serving half of it is flagged with both figures.
  EXPECT_NE(r.markdown.find("| node-a | fio.served_read | CRC-32C | 75 | 150 | 50 | 30 | 2.5 | 150 | -50 |"), std::string::npos) << r.markdown;
  EXPECT_NE(r.markdown.find("run1: fio.served_read served 75 GB/s where the run predicts 150 GB/s (min(drives 150 GB/s, 128 cores x 20 GB/s): "
                            "drive-bound): -50%, more than the 15% noise."),
            std::string::npos)
      << r.markdown;
  EXPECT_NE(r.html.find("<td class=\"fail num\">-50</td>"), std::string::npos);
  // Within the noise: no flag.
  run.storage.back().bytes_per_s = 140e9;
  const ShapeReport close = RenderShapeReport({run});
  EXPECT_EQ(close.markdown.find("more than the 15% noise"), std::string::npos);
  EXPECT_NE(close.html.find("<td class=\"pass num\">-6.67</td>"), std::string::npos) << close.html.substr(close.html.find("Served"), 2000);
}

}  // namespace
}  // namespace shapeq
