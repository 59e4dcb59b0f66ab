// shapeq qualify end to end on this machine: a complete, consistent results directory; and an
// interrupted run that keeps what it measured, cleans up and exits 130.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <thread>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "common/subprocess.h"
#include "tests/test_support.h"

namespace shapeq {
namespace {

namespace fs = std::filesystem;

using test::ReadJson;
using test::ReadText;

// The fio process `parent` started, or 0.
pid_t FioChildOf(pid_t parent) {
  for (const auto& entry : fs::directory_iterator("/proc")) {
    std::ifstream stat(entry.path() / "stat");
    std::string pid, comm, state;
    pid_t ppid = 0;
    if (stat >> pid >> comm >> state >> ppid && ppid == parent && comm == "(fio)") return static_cast<pid_t>(std::stol(pid));
  }
  return 0;
}

TEST(Qualify, QuickRunWritesACompleteConsistentResultsDirectory) {
  const fs::path dir = fs::temp_directory_path() / ("shapeq-qualify-" + std::to_string(getpid()));
  fs::remove_all(dir);
  const ProcessResult r = RunProcess({SHAPEQ_BINARY, "qualify", "--quick", "--out", dir.string()});
  ASSERT_EQ(r.exit_code, 0) << r.stdout_text << r.stderr_text;
  EXPECT_NE(r.stdout_text.find("[5/6] score: ok"), std::string::npos) << r.stdout_text;
  EXPECT_NE(r.stdout_text.find("[6/6] report: ok"), std::string::npos) << r.stdout_text;
  // Progress: each storage kernel's figure as it finishes, with what is left.
  EXPECT_NE(r.stdout_text.find("      fio.seq_read: ok "), std::string::npos) << r.stdout_text;
  EXPECT_NE(r.stdout_text.find("(8/8, about 0 s left)"), std::string::npos) << r.stdout_text;
  EXPECT_EQ(r.stdout_text.find("\033["), std::string::npos) << "not a terminal: plain lines, nothing redrawn";
  EXPECT_EQ(ReadJson(dir / "plan.json")["name"], "quick");
  // The plan a run wrote reads back as a plan: the run can be repeated with it. (The missing
  // device stops it right after the plan is read, before anything runs.)
  test::ExpectOneLineError(RunProcess({SHAPEQ_BINARY, "qualify", "--plan", (dir / "plan.json").string(), "--device", "/dev/shapeq-none"}),
                           ExitCode::kBadInput, "/dev/shapeq-none: no such device");

  const auto manifest = ReadJson(dir / "manifest.json");
  EXPECT_EQ(manifest["schema"], "shapeq.manifest");
  EXPECT_TRUE(manifest["complete"].get<bool>());
  EXPECT_FALSE(manifest["interrupted"].get<bool>());
  EXPECT_EQ(manifest["command_line"][1], "qualify");
  EXPECT_EQ(manifest["fio_version"].get<std::string>().rfind("fio-", 0), 0u);
  for (const char* library : {"compiler", "nlohmann_json", "cli11", "hwloc_api"}) {
    EXPECT_FALSE(manifest["built_with"][library].get<std::string>().empty()) << library;
  }
  ASSERT_EQ(manifest["stages"].size(), 6u);
  for (const auto& stage : manifest["stages"]) EXPECT_EQ(stage["status"], "ok") << stage.dump();

  // The fingerprint is this machine's.
  EXPECT_EQ(ReadJson(dir / "fingerprint.json")["cpu"]["hardware_threads"].get<long>(), sysconf(_SC_NPROCESSORS_ONLN));
  // Every measurement ran and moved data.
  // The six raw kernels, and the two served ones through the suite's engine (skipped, saying
  // why, where it was not built); served_write encodes the measured default scheme, ec-146+4.
  const auto storage = ReadJson(dir / "storage.json");
  ASSERT_EQ(storage.size(), 8u);
  const bool engine = !std::string(SHAPEQ_IOENGINE).empty();
  for (const auto& m : storage) {
    const bool served = m["kernel"].get<std::string>().rfind("fio.served_", 0) == 0;
    if (served && !engine) {
      EXPECT_EQ(m["status"], "skipped") << m.dump();
      EXPECT_NE(m["reason"].get<std::string>().find("was not built"), std::string::npos) << m["reason"];
      continue;
    }
    EXPECT_EQ(m["status"], "ok") << m["kernel"] << m["reason"];
    EXPECT_GT(m["bytes_per_s"].get<double>(), 0) << m["kernel"];
    if (served) {
      EXPECT_EQ(m["params"]["ioengine"], "shapeq-datapath");
      EXPECT_NE(m["detail"]["job_file"].get<std::string>().find("ioengine=external:" + std::string(SHAPEQ_IOENGINE) + "\n"), std::string::npos);
      EXPECT_GT(m["cpu_cores_busy"].get<double>(), 0);
    }
    if (m["kernel"] == "fio.served_write") {
      EXPECT_EQ(m["params"]["ec"], "146+4");
    }
  }
  if (engine) {
    EXPECT_NE(ReadText(dir / "report.md").find("**Served: the drives with the data path on every block"), std::string::npos);
  }
  EXPECT_GT(ReadJson(dir / "network.json")["bytes_per_s"].get<double>(), 0);
  EXPECT_EQ(ReadJson(dir / "datapath.json").size(), 11u);
  // A verdict for every catalog shape against every catalog target, and the reports.
  const auto verdicts = ReadJson(dir / "verdicts.json");
  EXPECT_EQ(verdicts["verdicts"].size(), verdicts["shapes"].size() * verdicts["targets"].size());
  EXPECT_EQ(verdicts["targets"].size(), 6u);
  for (const char* report : {"score.txt", "compare.txt", "fingerprint.txt"}) EXPECT_GT(fs::file_size(dir / report), 100u) << report;
  // The shape report: a section per target, and the run shown complete with every stage ok.
  const std::string html = ReadText(dir / "report.html");
  for (const auto& [name, target] : verdicts["targets"].items()) {
    EXPECT_NE(html.find(name == "reference-1eb" ? "<section id=\"compare\">" : "<section id=\"target-" + name + "\">"), std::string::npos) << name;
  }
  const size_t runs_at = html.find("<section id=\"runs\">");
  ASSERT_NE(runs_at, std::string::npos);
  const std::string runs = html.substr(runs_at, html.find("</section>", runs_at) - runs_at);
  EXPECT_NE(runs.find("<td class=\"pass\">yes</td>"), std::string::npos) << "complete: " << runs;
  EXPECT_EQ(runs.find("<td class=\"fail\">"), std::string::npos) << "no stage failed: " << runs;
  for (const char* report : {"report.md", "report.csv"}) EXPECT_GT(fs::file_size(dir / report), 1000u) << report;
  // PerfKitBenchmarker's samples: a JSON object a line, with PKB's fields, the figures as measured.
  {
    std::ifstream samples(dir / "pkb_samples.json");
    std::string line;
    std::map<std::string, nlohmann::json> by_metric;
    while (std::getline(samples, line)) {
      const auto sample = nlohmann::json::parse(line);
      for (const char* key : {"metric", "value", "unit", "metadata", "timestamp", "test", "run_uri", "sample_uri", "product_name", "official", "owner"}) {
        EXPECT_TRUE(sample.contains(key)) << key << ": " << line;
      }
      by_metric[sample["metric"].get<std::string>()] = sample;
    }
    ASSERT_TRUE(by_metric.count("seq_read:bandwidth")) << "storage";
    for (const auto& m : ReadJson(dir / "storage.json")) {
      if (m["kernel"] == "fio.seq_read") {
        EXPECT_DOUBLE_EQ(by_metric["seq_read:bandwidth"]["value"].get<double>(), m["bytes_per_s"].get<double>() / 1e6);
      }
    }
    ASSERT_TRUE(by_metric.count("net.tcp:throughput"));
    EXPECT_DOUBLE_EQ(by_metric["net.tcp:throughput"]["value"].get<double>(), ReadJson(dir / "network.json")["bytes_per_s"].get<double>() * 8 / 1e6);
    EXPECT_EQ(by_metric["net.tcp:throughput"]["unit"], "Mbits/sec");
  }
  // The claims, evaluated on the catalog and kept with the verdicts; the report's section lists each.
  ASSERT_EQ(verdicts["claims"].size(), 6u);
  for (const auto& claim : verdicts["claims"]) {
    EXPECT_NE(ReadText(dir / "report.md").find("| " + claim["title"].get<std::string>() + " |"), std::string::npos) << claim["name"];
  }
  EXPECT_FALSE(fs::exists(dir / "scratch")) << "the scratch file and its directory are gone";
  fs::remove_all(dir);
}

// A custom plan, run on a terminal (a pty from script(1)): only the planned kernels and stages
// run, the plan is kept with the results, and the status line shows fio's live rate.
TEST(Qualify, PlanFileOnATerminalShowsLiveFiguresAndRunsWhatItSays) {
  test::TempDir temp("shapeq-plan");
  const fs::path plan = temp.path() / "plan.json", dir = temp.path() / "run";
  std::ofstream(plan) << R"({"schema": "shapeq.plan",
    "storage": {"kernels": ["rand_read"], "runtime_s": 4, "ramp_s": 0.5, "repeats": 1, "scratch_mib": 128, "steady_state": ""},
    "network": {"enabled": false},
    "datapath": {"filter": "BM_Crc32c", "min_time_s": 0.05, "repetitions": 1}})";
  const std::string command = std::string(SHAPEQ_BINARY) + " qualify --plan " + plan.string() + " --out " + dir.string();
  const ProcessResult r = RunProcess({"script", "-qfec", command, "/dev/null"});
  ASSERT_EQ(r.exit_code, 0) << r.stdout_text << r.stderr_text;

  EXPECT_EQ(ReadJson(dir / "plan.json")["storage"]["kernels"], nlohmann::json::array({"rand_read"}));
  const auto storage = ReadJson(dir / "storage.json");
  ASSERT_EQ(storage.size(), 1u);
  EXPECT_EQ(storage[0]["kernel"], "fio.rand_read");
  EXPECT_EQ(ReadJson(dir / "datapath.json").size(), 1u);
  EXPECT_FALSE(fs::exists(dir / "network.json"));
  const auto manifest = ReadJson(dir / "manifest.json");
  EXPECT_EQ(manifest["stages"][2]["name"], "network");
  EXPECT_EQ(manifest["stages"][2]["status"], "skipped");
  EXPECT_EQ(manifest["stages"][2]["reason"], "not in the plan");

  // The status line, redrawn in place: time spent, ETA, and fio's rate as it runs.
  EXPECT_NE(r.stdout_text.find("\r\033[K"), std::string::npos);
  const std::regex live(R"(\[2/6\] storage  \[0:0\d, ETA 0:0\d\]  fio\.rand_read \(1/1\) on scratch: [0-9.]+ GB/s, ([0-9]+) IOPS)");
  std::smatch found;
  ASSERT_TRUE(std::regex_search(r.stdout_text, found, live)) << r.stdout_text;
  // The live figure is the same quantity fio reports at the end (within what a 1 s sample varies).
  const double live_iops = std::stod(found[1]), final_iops = storage[0]["iops"].get<double>();
  EXPECT_GT(live_iops, final_iops * 0.5) << live_iops << " vs " << final_iops;
  EXPECT_LT(live_iops, final_iops * 2) << live_iops << " vs " << final_iops;
}

// Where the suite's engine is missing ($SHAPEQ_IOENGINE empty stands for a build without fio's
// headers), the served kernels are skipped, saying so in one line each, and the raw ones run.
TEST(Qualify, WithoutTheEngineServedKernelsAreSkippedInOneLineAndTheRawOnesRun) {
  test::TempDir temp("shapeq-no-engine");
  const fs::path plan = temp.path() / "plan.json", dir = temp.path() / "run";
  std::ofstream(plan) << R"({"storage": {"kernels": ["seq_read", "served_read", "served_write"], "runtime_s": 1, "ramp_s": 0, "repeats": 1,
                                         "scratch_mib": 128, "steady_state": ""},
                             "network": {"enabled": false}, "datapath": {"enabled": false}})";
  const ProcessResult r = RunProcess({"env", "SHAPEQ_IOENGINE=", SHAPEQ_BINARY, "qualify", "--plan", plan.string(), "--out", dir.string()});
  ASSERT_EQ(r.exit_code, 0) << r.stdout_text << r.stderr_text;
  for (const char* kernel : {"fio.served_read", "fio.served_write"}) {
    EXPECT_NE(r.stdout_text.find(std::string("      ") + kernel + ": skipped — the suite's ioengine (shapeq_datapath.so) was not built: "
                                 "no fio source headers; raw kernels only  ("),
              std::string::npos)
        << r.stdout_text;
  }
  const auto storage = ReadJson(dir / "storage.json");
  ASSERT_EQ(storage.size(), 3u);
  EXPECT_EQ(storage[0]["status"], "ok");
  EXPECT_EQ(storage[1]["status"], "skipped");
  EXPECT_EQ(storage[2]["status"], "skipped");
}

TEST(Qualify, BadPlansAndDevicesAreOneLineErrorsBeforeAnythingRuns) {
  test::TempDir temp("shapeq-bad-plan");
  const fs::path dir = temp.path() / "run";
  auto qualify_with = [&](const std::string& plan_text) {
    const fs::path plan = temp.path() / "plan.json";
    std::ofstream(plan) << plan_text;
    return RunProcess({SHAPEQ_BINARY, "qualify", "--quick", "--plan", plan.string(), "--out", dir.string()});
  };
  test::ExpectOneLineError(qualify_with(R"({"storage": {"runtime": 5}})"), ExitCode::kBadInput, "plan.json: field storage.runtime: unknown (known:");
  test::ExpectOneLineError(qualify_with(R"({"storage": {"runtime_s": "5"}})"), ExitCode::kBadInput, "plan.json: field storage.runtime_s: expected a number");
  test::ExpectOneLineError(qualify_with(R"({"storage": {"repeats": -1}})"), ExitCode::kBadInput, "field storage.repeats: expected a whole number");
  test::ExpectOneLineError(qualify_with(R"({"network": {"enabled": "no"}})"), ExitCode::kBadInput, "field network.enabled: expected true or false");
  test::ExpectOneLineError(qualify_with(R"({"storge": {}})"), ExitCode::kBadInput, "field storge: unknown");
  test::ExpectOneLineError(qualify_with(R"({"storage": {"kernels": ["seq_red"]}})"), ExitCode::kBadInput, "seq_red");
  // The served code: both strips or neither, within GF(2^8); the engine is never the plan's to name.
  test::ExpectOneLineError(qualify_with(R"({"storage": {"ec_k": 8}})"), ExitCode::kBadInput, "field storage.ec_k, ec_m: both 0");
  test::ExpectOneLineError(qualify_with(R"({"storage": {"ec_k": 250, "ec_m": 10}})"), ExitCode::kBadInput, "k + m at most 255");
  test::ExpectOneLineError(qualify_with(R"({"storage": {"served_engine": "/tmp/evil.so"}})"), ExitCode::kBadInput,
                           "field storage.served_engine: unknown");
  test::ExpectOneLineError(qualify_with("{\"storage\": "), ExitCode::kBadInput, "plan.json: not valid JSON: parse error");
  test::ExpectOneLineError(qualify_with("[1, 2]"), ExitCode::kBadInput, "plan.json: not a JSON object");
  test::ExpectOneLineError(RunProcess({SHAPEQ_BINARY, "qualify", "--plan", (temp.path() / "none.json").string()}), ExitCode::kBadInput,
                           "none.json: cannot read: No such file or directory");
  test::ExpectOneLineError(RunProcess({SHAPEQ_BINARY, "qualify", "--device", "/dev/shapeq-none", "--out", dir.string()}),
                           ExitCode::kBadInput, "/dev/shapeq-none: no such device");
  test::ExpectOneLineError(RunProcess({SHAPEQ_BINARY, "qualify", "--device", "/etc/hostname", "--out", dir.string()}),
                           ExitCode::kBadInput, "/etc/hostname: not a block device");
  // A price file for the score stage is read before anything runs, not after an hour of runs.
  const fs::path prices = temp.path() / "prices.json";
  std::ofstream(prices) << R"({"schema": "shapeq.prices", "schema_version": 1, "prices": [{"shape": "azure-l96s-v4",
    "price_per_hour_usd": "cheap", "region": "eastus", "terms": "linux on-demand", "source": "x", "retrieved": "2026-12-07"}]})";
  test::ExpectOneLineError(RunProcess({SHAPEQ_BINARY, "qualify", "--quick", "--prices", prices.string(), "--out", dir.string()}),
                           ExitCode::kBadInput, "prices.json: field prices[0].price_per_hour_usd");
  EXPECT_FALSE(fs::exists(dir)) << "nothing was started";
}

// A raw block device (a loop device over a file the test made): the read kernels read it raw,
// and the write kernels are refused even with --allow-destructive, because the probe does not
// vouch for it as an unused data drive. Not one byte of it changes.
// A loop device is a drive the probe now sees (sysfs, not hwloc): read without the flag, its
// writes refused; written only with --allow-destructive.
TEST(Qualify, ARawLoopDeviceIsReadAndWrittenOnlyWithAllowDestructive) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root for a loop device";
  test::TempDir temp("shapeq-raw");
  const fs::path backing = temp.path() / "disk.img", plan = temp.path() / "plan.json", dir = temp.path() / "run";
  {
    std::ofstream out(backing, std::ios::binary);
    std::string block(1 << 20, '\0');
    for (size_t i = 0; i < block.size(); ++i) block[i] = static_cast<char>(i * 131 % 251);
    for (int i = 0; i < 64; ++i) out << block;
  }
  auto digest = [&] {
    std::ifstream in(backing, std::ios::binary);
    uint64_t h = 1469598103934665603ULL;
    for (char c; in.get(c);) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    return h;
  };
  const uint64_t before = digest();
  const ProcessResult attach = RunProcess({"losetup", "--find", "--show", backing.string()});
  if (attach.exit_code != 0) GTEST_SKIP() << "losetup: " << attach.stderr_text;
  const std::string loop = attach.stdout_text.substr(0, attach.stdout_text.find('\n'));
  std::ofstream(plan) << R"({"storage": {"kernels": ["seq_read", "rand_read", "seq_write", "rand_write", "served_write"], "runtime_s": 1, "ramp_s": 0,
                             "repeats": 1, "steady_state": ""},
                             "network": {"enabled": false}, "datapath": {"filter": "BM_Memcpy", "min_time_s": 0.01, "repetitions": 1}})";
  // --rated names the twin DMI does not: a name not in the catalog is refused before anything runs.
  const ProcessResult typo = RunProcess({SHAPEQ_BINARY, "qualify", "--plan", plan.string(), "--device", loop, "--rated", "onprem-nope",
                                         "--out", (temp.path() / "typo").string()});
  EXPECT_EQ(typo.exit_code, 2) << typo.stderr_text;
  EXPECT_NE(typo.stderr_text.find("--rated onprem-nope: no such shape"), std::string::npos) << typo.stderr_text;
  EXPECT_FALSE(fs::exists(temp.path() / "typo"));
  // As the blob node (lrc-12+2+2), served_write encodes 12+4; with no twin, the default 146+4.
  const ProcessResult r = RunProcess({SHAPEQ_BINARY, "qualify", "--plan", plan.string(), "--device", loop, "--rated", "blob-hdd-4u90",
                                      "--out", dir.string()});
  EXPECT_EQ(digest(), before) << "written without --allow-destructive";
  const ProcessResult destructive = RunProcess({SHAPEQ_BINARY, "qualify", "--plan", plan.string(), "--device", loop, "--allow-destructive",
                                                "--out", (temp.path() / "run2").string()});
  const uint64_t after_destructive = digest();
  RunProcess({"losetup", "--detach", loop});
  ASSERT_EQ(r.exit_code, 0) << r.stdout_text << r.stderr_text;
  ASSERT_EQ(destructive.exit_code, 0) << destructive.stdout_text << destructive.stderr_text;
  const auto storage = ReadJson(dir / "storage.json");
  ASSERT_EQ(storage.size(), 5u);
  for (const auto& m : storage) {
    EXPECT_EQ(m["target"], loop);
    if (m["kernel"] == "fio.served_write") {
      EXPECT_EQ(m["params"]["ec"], "12+4") << m["params"].dump();
    }
    if (m["kernel"] == "fio.served_write" && std::string(SHAPEQ_IOENGINE).empty()) continue;
    const bool writes = m["kernel"] == "fio.seq_write" || m["kernel"] == "fio.rand_write" || m["kernel"] == "fio.served_write";
    EXPECT_EQ(m["status"], writes ? "skipped" : "ok") << m.dump();
    if (writes) {
      EXPECT_NE(m["reason"].get<std::string>().find("without --allow-destructive"), std::string::npos) << m["reason"];
    } else {
      EXPECT_GT(m["bytes_per_s"].get<double>(), 0);
    }
  }
  EXPECT_EQ(ReadJson(dir / "plan.json")["storage"]["devices"], nlohmann::json::array({loop}));
  EXPECT_EQ(ReadJson(dir / "fingerprint.json")["drives"].dump().find(loop.substr(5)) != std::string::npos, true) << "the probe lists it";
  for (const auto& m : ReadJson(temp.path() / "run2" / "storage.json")) {
    if (m["kernel"] == "fio.served_write") {
      EXPECT_EQ(m["params"]["ec"], "146+4");
    }
    if (m["kernel"] != "fio.served_write" || !std::string(SHAPEQ_IOENGINE).empty()) {
      EXPECT_EQ(m["status"], "ok") << m.dump();
    }
  }
  EXPECT_NE(after_destructive, before) << "--allow-destructive wrote the unused loop device";
  EXPECT_EQ(ReadJson(dir / "manifest.json")["rated_shape"], "blob-hdd-4u90");
  EXPECT_NE(ReadText(dir / "report.md").find("This node is not a blob-hdd-4u90 as the catalog has it: 1 drive"), std::string::npos);
}

// Stops a default qualify mid-fio with `signal_number` and checks what it leaves.
void InterruptMidFio(int signal_number) {
  const fs::path dir = fs::temp_directory_path() / ("shapeq-interrupted-" + std::to_string(getpid()));
  fs::remove_all(dir);
  ChildProcess qualify({SHAPEQ_BINARY, "qualify", "--out", dir.string()});  // the default: 10 s fio runs
  bool in_storage = false;
  for (int i = 0; i < 20 && !in_storage; ++i) {
    const auto line = qualify.ReadLine(30);
    ASSERT_TRUE(line.has_value()) << "qualify stopped printing";
    in_storage = line->find("[2/6] storage ...") != std::string::npos;
  }
  ASSERT_TRUE(in_storage);
  // fio starts once the scratch file is written (1 GiB: seconds on a cold disk), then runs 10 s.
  pid_t fio = 0;
  for (int i = 0; i < 300 && fio == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    fio = FioChildOf(qualify.pid());
  }
  ASSERT_GT(fio, 0) << "fio is running";
  std::this_thread::sleep_for(std::chrono::seconds(2));  // fio is mid-run
  qualify.Signal(signal_number);
  EXPECT_EQ(qualify.Wait(), static_cast<int>(ExitCode::kInterrupted));

  const auto manifest = ReadJson(dir / "manifest.json");
  EXPECT_FALSE(manifest["complete"].get<bool>());
  EXPECT_TRUE(manifest["interrupted"].get<bool>());
  ASSERT_EQ(manifest["stages"].size(), 6u);
  EXPECT_EQ(manifest["stages"][0]["status"], "ok");
  EXPECT_EQ(manifest["stages"][1]["status"], "interrupted");
  for (size_t i = 2; i < 5; ++i) EXPECT_EQ(manifest["stages"][i]["status"], "skipped") << i;
  // The partial run still gets its report, which says it is incomplete.
  EXPECT_EQ(manifest["stages"][5]["name"], "report");
  EXPECT_EQ(manifest["stages"][5]["status"], "ok");
  const std::string html = ReadText(dir / "report.html");
  EXPECT_NE(html.find("<td class=\"fail\">no</td>"), std::string::npos) << "shown incomplete";
  EXPECT_TRUE(fs::exists(dir / "fingerprint.json")) << "what was measured is kept";
  // The kernel that was running is recorded as stopped, and nothing was left behind.
  const auto storage = ReadJson(dir / "storage.json");
  ASSERT_FALSE(storage.empty());
  EXPECT_EQ(storage.back()["status"], "failed");
  EXPECT_NE(storage.back()["reason"].get<std::string>().find("signal 15"), std::string::npos) << storage.back()["reason"];
  EXPECT_FALSE(fs::exists(dir / "scratch"));
  EXPECT_NE(kill(fio, 0), 0) << "fio was stopped with it";
  fs::remove_all(dir);
}

TEST(Qualify, InterruptedRunKeepsWhatItMeasuredAndCleansUp) { InterruptMidFio(SIGTERM); }

// The terminal or ssh connection closing (SIGHUP) stops a run the same way as SIGTERM.
TEST(Qualify, HangupStopsTheRunLikeSigterm) { InterruptMidFio(SIGHUP); }

}  // namespace
}  // namespace shapeq
