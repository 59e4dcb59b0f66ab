// Hostile input is normal input: what a plan, a profile, a results directory or a command line
// can carry into shapeq, and the one-line error (exit 2 or 3) it gets before anything runs:
// fio job-file injection, deep and duplicate-keyed JSON, numbers out of range, results files
// swapped for directories or links, stale files from another run, and passwords over plain http.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <thread>

#include "common/error.h"
#include "common/subprocess.h"
#include "tests/test_support.h"
#include "results/latest_run_metrics.h"
#include "model/measurement.h"

namespace shapeq {
namespace {

namespace fs = std::filesystem;

using test::ExpectOneLineError;

using test::Shapeq;

// A JSON document nested `depth` arrays deep inside {"KEY": ...}.
std::string Deep(const std::string& key, int depth) {
  return "{\"" + key + "\": " + std::string(depth, '[') + std::string(depth, ']') + "}";
}

class HostileInput : public ::testing::Test {
 protected:
  fs::path Write(const std::string& name, const std::string& text) {
    const fs::path path = temp_.path() / name;
    fs::create_directories(path.parent_path());
    std::ofstream(path) << text;
    return path;
  }

  // A readable results directory of the dense fixture node, with a manifest listing its files.
  fs::path RunDir(const std::string& name) {
    const fs::path dir = temp_.path() / name;
    fs::create_directories(dir);
    std::ofstream(dir / "fingerprint.json") << nlohmann::json(test::ProbeFixtureShape("onprem-dense-1u")).dump();
    Measurement seq;
    seq.kernel = "fio.seq_read";
    seq.target = "all 22 targets";
    seq.bytes_per_s = 150e9;
    std::ofstream(dir / "storage.json") << nlohmann::json(std::vector<Measurement>{seq}).dump();
    const ProcessResult verdicts = Shapeq({"score", "--json", "--target", "ai-lab-1eb", "--shape", "onprem-dense-1u-122tb"});
    EXPECT_EQ(verdicts.exit_code, 0) << verdicts.stderr_text;
    std::ofstream(dir / "verdicts.json") << verdicts.stdout_text;
    std::ofstream(dir / "manifest.json") << nlohmann::json{{"schema", "shapeq.manifest"}, {"complete", true},
                                                            {"files", {"fingerprint.json", "storage.json", "verdicts.json"}},
                                                            {"stages", nlohmann::json::array()}}.dump();
    return dir;
  }

  test::TempDir temp_{"shapeq-hostile"};
};

// Item 1 of issue 11, payload by payload: each is refused naming its field, before a job file,
// a results directory or a plan.json exists; a loop device named in a payload is not written.
TEST_F(HostileInput, FioJobFileInjectionIsRefusedBeforeAnythingRuns) {
  const fs::path pwned = temp_.path() / "pwned.txt", out = temp_.path() / "run";
  const std::string exec_payload = "psync\nexec_prerun=sh -c 'id > " + pwned.string() + "'";
  auto plan_with = [&](const nlohmann::json& storage) {
    nlohmann::json plan = {{"schema", "shapeq.plan"},
                           {"storage", {{"kernels", {"seq_read"}}, {"runtime_s", 1}, {"ramp_s", 0}, {"repeats", 1}, {"scratch_mib", 128}}},
                           {"network", {{"enabled", false}}},
                           {"datapath", {{"enabled", false}}}};
    plan["storage"].update(storage);
    return Write("plan.json", plan.dump()).string();
  };
  auto qualify = [&](const nlohmann::json& storage) { return Shapeq({"qualify", "--plan", plan_with(storage), "--out", out.string()}); };

  ExpectOneLineError(qualify({{"ioengine", exec_payload}}), ExitCode::kBadInput, "plan.json: field storage.ioengine: \"psync\\nexec_prerun=");
  ExpectOneLineError(qualify({{"ioengine", "exec"}}), ExitCode::kBadInput, "field storage.ioengine: \"exec\" is not a storage engine");
  ExpectOneLineError(qualify({{"ioengine", "no_such_engine"}}), ExitCode::kBadInput, "field storage.ioengine: \"no_such_engine\" is not a storage engine");
  ExpectOneLineError(qualify({{"ioengine", "psync;x"}}), ExitCode::kBadInput, "field storage.ioengine");
  ExpectOneLineError(qualify({{"steady_state", "iops_slope:2%;x"}}), ExitCode::kBadInput, "field storage.steady_state");
  ExpectOneLineError(qualify({{"steady_state", "slope:2%"}}), ExitCode::kBadInput, "is not fio's steadystate=");
  ExpectOneLineError(qualify({{"devices", {"/dev/loop0:/dev/loop1"}}}), ExitCode::kBadInput, "field storage.devices");
  ExpectOneLineError(qualify({{"kernels", {"seq_read\n[evil]"}}}), ExitCode::kBadInput, "field storage.kernels");
  ExpectOneLineError(Shapeq({"storage", "--quick", "--dir", temp_.path().string(), "--ioengine", exec_payload}), ExitCode::kUsage,
                     "ioengine: \"psync\\nexec_prerun=");
  // A scratch directory never reaches a job file (fio gets /proc/PID/fd/N of the file shapeq made),
  // so a ':' or '$' in it is only a name.
  const ProcessResult odd_dir = Shapeq({"storage", "--print-jobs", "--dir", (temp_.path() / "a:b$x").string()});
  EXPECT_EQ(odd_dir.exit_code, 0) << odd_dir.stderr_text;
  EXPECT_EQ(odd_dir.stdout_text.find("a:b"), std::string::npos) << odd_dir.stdout_text;
  EXPECT_NE(odd_dir.stdout_text.find("filename=/proc/"), std::string::npos) << odd_dir.stdout_text;
  ExpectOneLineError(Shapeq({"storage", "--print-jobs", "--device", "/dev/loop$ncpus"}), ExitCode::kUsage, "has '$', which fio would expand");
  EXPECT_FALSE(fs::exists(pwned)) << "fio ran the payload";
  EXPECT_FALSE(fs::exists(out)) << "a results directory (and its plan.json) was written";

  // The steady_state payload that wrote a loop device with neither --device nor --allow-destructive.
  if (geteuid() != 0) GTEST_SKIP() << "needs root for a loop device";
  const fs::path backing = Write("disk.img", std::string(8 << 20, 'S'));
  const ProcessResult attach = RunProcess({"losetup", "--find", "--show", backing.string()});
  if (attach.exit_code != 0) GTEST_SKIP() << "losetup: " << attach.stderr_text;
  const std::string loop = attach.stdout_text.substr(0, attach.stdout_text.find('\n'));
  const ProcessResult r = qualify({{"steady_state", "iops_slope:2%\nsteadystate_duration=1s\n[evil]\nfilename=" + loop + "\nrw=write\nsize=8M"}});
  RunProcess({"losetup", "--detach", loop});
  ExpectOneLineError(r, ExitCode::kBadInput, "field storage.steady_state");
  EXPECT_EQ(test::ReadText(backing), std::string(8 << 20, 'S')) << "the loop device was written";
  EXPECT_FALSE(fs::exists(out));
}

// Item 4: a document nested 70,000 deep was a segfault in every reader.
TEST_F(HostileInput, DeepJsonIsAOneLineErrorInEveryReader) {
  const std::string deep = Deep("storage", 70000);
  ExpectOneLineError(Shapeq({"qualify", "--plan", Write("deep-plan.json", deep).string()}), ExitCode::kBadInput,
                     "deep-plan.json: nested deeper than 64 levels");
  ExpectOneLineError(Shapeq({"score", "--shape-file", Write("deep-shape.json", deep).string()}), ExitCode::kBadInput,
                     "deep-shape.json: nested deeper than 64 levels");
  for (const char* file : {"manifest.json", "verdicts.json", "storage.json", "fingerprint.json"}) {
    const fs::path dir = RunDir(std::string("deep-") + file);
    std::ofstream(dir / file) << deep;
    const std::string names = (dir / file).string() + ": nested deeper than 64 levels";
    ExpectOneLineError(Shapeq({"show", dir.string()}), ExitCode::kBadInput, names);
    ExpectOneLineError(Shapeq({"compare", dir.string(), dir.string()}), ExitCode::kBadInput, names);
    ExpectOneLineError(Shapeq({"report", dir.string()}), ExitCode::kBadInput, names);
    ExpectOneLineError(Shapeq({"push", dir.string(), "--gateway", "http://127.0.0.1:1", "--attempts", "1"}), ExitCode::kBadInput, names);
  }
  // 64 levels is fine; the limit is the depth, not the size.
  ExpectOneLineError(Shapeq({"qualify", "--plan", Write("fine.json", Deep("storge", 60)).string()}), ExitCode::kBadInput, "field storge: unknown");
}

// Item 6: duplicate keys, numbers beyond range, fractional counts and wrong types.
TEST_F(HostileInput, NumbersKeysAndTypesOutOfRangeNameTheirField) {
  auto plan = [&](const std::string& text) { return Shapeq({"qualify", "--plan", Write("plan.json", text).string()}); };
  ExpectOneLineError(plan(R"({"storage": {"repeats": 1, "repeats": 2}})"), ExitCode::kBadInput, "field repeats: given twice in one object");
  ExpectOneLineError(plan(R"({"storage": {"repeats": 4294967297}})"), ExitCode::kBadInput, "field storage.repeats: expected a whole number from 1 to 100");
  ExpectOneLineError(plan(R"({"network": {"streams": 4294967297}})"), ExitCode::kBadInput, "field network.streams");
  ExpectOneLineError(plan(R"({"storage": {"runtime_s": 1e400}})"), ExitCode::kBadInput, "number overflow");
  ExpectOneLineError(plan(R"({"schema": 5})"), ExitCode::kBadInput, "field schema: expected \"shapeq.plan\"");

  // Profiles: the AI-lab target with its capacity overflowing, a shape with a fractional count.
  const fs::path profiles = temp_.path() / "profiles";
  fs::copy(SHAPEQ_PROFILES, profiles, fs::copy_options::recursive);
  const fs::path target = profiles / "targets" / "ai-lab-1eb.json";
  auto target_json = nlohmann::json::parse(test::ReadText(target), nullptr, true, true);
  target_json["usable_pb"] = 1e308;
  std::ofstream(target) << target_json.dump();
  ExpectOneLineError(Shapeq({"score", "--profiles", profiles.string()}), ExitCode::kBadInput, "ai-lab-1eb.json: field usable_pb: too large");
  std::ofstream(target) << "{\"schema\": \"shapeq.target\", \"usable_pb\": 1e400}";
  ExpectOneLineError(Shapeq({"score", "--profiles", profiles.string()}), ExitCode::kBadInput, "ai-lab-1eb.json: number overflow");
  ExpectOneLineError(Shapeq({"score", "--set", "onprem-dense-1u-122tb.drive_count=1.5"}), ExitCode::kUsage, "expected a whole number");
  ExpectOneLineError(Shapeq({"score", "--set", "ai-lab-1eb.usable_pb=1e308"}), ExitCode::kUsage, "expected a positive number from 1e-6 up to 1e15");
  const ProcessResult ok = Shapeq({"score", "--set", "ai-lab-1eb.usable_pb=1e15"});
  EXPECT_EQ(ok.exit_code, 0) << ok.stderr_text;
  EXPECT_EQ(ok.stdout_text.find("nan"), std::string::npos) << "a NaN was printed";
  EXPECT_EQ(ok.stdout_text.find("inf"), std::string::npos) << "an infinity was printed";
}

// Item 6's results files, and item 5's stale files: a run shows only what its manifest lists.
TEST_F(HostileInput, ResultsFilesThatAreNotWhatTheManifestSays) {
  const fs::path as_directory = RunDir("directory");
  fs::remove(as_directory / "storage.json");
  fs::create_directory(as_directory / "storage.json");
  ExpectOneLineError(Shapeq({"show", as_directory.string()}), ExitCode::kBadInput, "storage.json: not a regular file");

  const fs::path loop = RunDir("loop");
  fs::remove(loop / "verdicts.json");
  fs::create_symlink("verdicts.json", loop / "verdicts.json");
  ExpectOneLineError(Shapeq({"report", loop.string()}), ExitCode::kBadInput, "verdicts.json: cannot read: Too many levels of symbolic links");

  const fs::path fifo = RunDir("fifo");
  fs::remove(fifo / "storage.json");
  ASSERT_EQ(mkfifo((fifo / "storage.json").c_str(), 0600), 0);
  ExpectOneLineError(Shapeq({"show", fifo.string()}), ExitCode::kBadInput, "storage.json: not a regular file");

  const fs::path yes = RunDir("yes");
  auto manifest = test::ReadJson(yes / "manifest.json");
  manifest["complete"] = "yes";
  std::ofstream(yes / "manifest.json") << manifest.dump();
  ExpectOneLineError(Shapeq({"show", yes.string()}), ExitCode::kBadInput, "manifest.json: field complete: expected boolean");

  // Another run's network.json in the directory is not this run's: the manifest does not list it.
  const fs::path stale = RunDir("stale");
  Measurement net;
  net.kernel = "net.tcp";
  net.target = "10.0.0.9:5201";
  net.bytes_per_s = 12.5e9;
  std::ofstream(stale / "network.json") << nlohmann::json(net).dump();
  const ProcessResult shown = Shapeq({"show", stale.string()});
  ASSERT_EQ(shown.exit_code, 0) << shown.stderr_text;
  EXPECT_NE(shown.stdout_text.find("fio.seq_read"), std::string::npos) << shown.stdout_text;
  EXPECT_EQ(shown.stdout_text.find("net.tcp"), std::string::npos) << "a stale file was shown as this run's:\n" << shown.stdout_text;
}

// `serve` never serves a run it cannot read: it keeps the last good one and says so.
TEST_F(HostileInput, ServeKeepsServingTheLastGoodRun) {
  const fs::path root = temp_.path() / "served";
  const fs::path good = RunDir("served/run-1");
  auto manifest = test::ReadJson(good / "manifest.json");
  manifest["finished_utc"] = "2026-11-27T00:00:00Z";
  std::ofstream(good / "manifest.json") << manifest.dump();
  LatestRunMetrics metrics(root);
  auto family = [&](const std::string& name) -> std::optional<prometheus::MetricFamily> {
    for (const auto& f : metrics.Collect()) {
      if (f.name == name) return f;
    }
    return std::nullopt;
  };
  ASSERT_TRUE(family("shapeq_serve_run_info").has_value());
  EXPECT_EQ(family("shapeq_serve_read_ok")->metric[0].gauge.value, 1);

  // A newer finished run whose verdicts.json is 70,000 levels deep.
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  const fs::path bad = RunDir("served/run-2");
  std::ofstream(bad / "verdicts.json") << Deep("verdicts", 70000);
  std::ofstream(bad / "manifest.json") << manifest.dump();
  EXPECT_EQ(metrics.LatestRunDir(), bad);
  EXPECT_EQ(family("shapeq_serve_read_ok")->metric[0].gauge.value, 0) << "the bad run is not read";
  const auto info = family("shapeq_serve_run_info");
  ASSERT_TRUE(info.has_value());
  bool serves_run_1 = false;
  for (const auto& label : info->metric[0].label) serves_run_1 = serves_run_1 || (label.name == "run" && label.value == "run-1");
  EXPECT_TRUE(serves_run_1) << "the last good run is still served";
  EXPECT_TRUE(family("shapeq_storage_bytes_per_second").has_value()) << "and its figures";
}

// A captured root is not to be trusted either: /proc/meminfo a link to /dev/zero (endless), a
// sysfs attribute that is a FIFO (no writer: a read would wait forever), a 2 MiB attribute.
TEST_F(HostileInput, CapturedRootFilesAreReadBoundedAndOnlyWhenRegular) {
  const std::string fixture = std::string(SHAPEQ_FIXTURES) + "/shapes/onprem-dense-1u";
  const fs::path root = temp_.path() / "root";
  fs::copy(fixture + "/root", root, fs::copy_options::recursive | fs::copy_options::copy_symlinks);
  fs::remove(root / "proc/meminfo");
  fs::create_symlink("/dev/zero", root / "proc/meminfo");
  fs::remove(root / "sys/class/block/nvme0n1/size");
  ASSERT_EQ(mkfifo((root / "sys/class/block/nvme0n1/size").c_str(), 0600), 0);
  std::ofstream(root / "sys/class/block/nvme1n1/dev") << std::string(2 << 20, '8');
  const ProcessResult r = RunProcess({"timeout", "20", SHAPEQ_BINARY, "probe", "--json", "--topology", fixture + "/topology.xml",
                                      "--sysfs-root", root.string()});
  ASSERT_EQ(r.exit_code, 0) << "exit " << r.exit_code << " (124: it hung): " << r.stderr_text;
  const auto fp = nlohmann::json::parse(r.stdout_text);
  EXPECT_TRUE(fp["memory"]["os_total_bytes"].is_null()) << "an endless meminfo was read as a figure";
  EXPECT_LT(r.stdout_text.size(), size_t{1} << 20) << "the 2 MiB attribute was read";
}

// Item 5: qualify does not write into an earlier run; --force clears that run's files first.
TEST_F(HostileInput, QualifyRefusesAnEarlierRunsDirectoryUnlessForced) {
  const fs::path dir = RunDir("earlier");
  Measurement net;
  net.kernel = "net.tcp";
  net.target = "10.0.0.9:5201";
  std::ofstream(dir / "network.json") << nlohmann::json(net).dump();
  std::ofstream(dir / "notes.txt") << "the operator's own file";
  ExpectOneLineError(Shapeq({"qualify", "--quick", "--out", dir.string()}), ExitCode::kUsage, "--out is not empty");
  EXPECT_TRUE(fs::exists(dir / "network.json")) << "nothing was touched";

  // Forced, with a plan that measures nothing: the storage stage fails (exit 5), and the earlier
  // run's files are gone, the operator's stay.
  const fs::path plan = Write("nothing.json", R"({"storage": {"kernels": ["seq_read"], "runtime_s": 1, "ramp_s": 0, "repeats": 1,
                                                  "scratch_mib": 64, "ioengine": "sg"},
                                                  "network": {"enabled": false}, "datapath": {"enabled": false}})");
  const ProcessResult r = Shapeq({"qualify", "--plan", plan.string(), "--out", dir.string(), "--force"});
  EXPECT_EQ(r.exit_code, static_cast<int>(ExitCode::kRunFailed)) << r.stdout_text << r.stderr_text;
  EXPECT_NE(r.stdout_text.find("storage: failed — no storage kernel ran ok"), std::string::npos) << r.stdout_text;
  EXPECT_FALSE(fs::exists(dir / "network.json")) << "the earlier run's figure is still there";
  EXPECT_TRUE(fs::exists(dir / "notes.txt"));
  const auto manifest = test::ReadJson(dir / "manifest.json");
  const auto files = manifest["files"];
  EXPECT_EQ(std::count(files.begin(), files.end(), "network.json"), 0);
  EXPECT_EQ(std::count(files.begin(), files.end(), "storage.json"), 1);
  EXPECT_EQ(std::count(files.begin(), files.end(), "report.html"), 1);
}

// Item 8: basic auth crosses the network in clear over http://.
TEST_F(HostileInput, PasswordsOverPlainHttpOnlyToThisHost) {
  const fs::path dir = RunDir("push");
  ExpectOneLineError(Shapeq({"push", dir.string(), "--gateway", "http://192.0.2.1:9091", "--user", "u", "--password", "p"}),
                     ExitCode::kUsage, "a password would cross the network in clear over http://");
  ExpectOneLineError(Shapeq({"qualify", "--quick", "--out", (temp_.path() / "q").string(), "--gateway", "http://192.0.2.1:9091",
                             "--user", "u", "--password", "p"}),
                     ExitCode::kUsage, "--allow-plain-http-auth");
  EXPECT_FALSE(fs::exists(temp_.path() / "q")) << "qualify ran before refusing";
  // On loopback, or when asked for, it goes ahead (and fails here only because nothing listens).
  ExpectOneLineError(Shapeq({"push", dir.string(), "--gateway", "http://127.0.0.1:1", "--user", "u", "--password", "p", "--attempts", "1"}),
                     ExitCode::kEnvironment, "gateway http://127.0.0.1:1");
}

}  // namespace
}  // namespace shapeq
