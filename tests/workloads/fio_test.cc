// The storage kernels run by real fio on scratch files (the parsing and planning without fio
// are fio_plan_test.cc).
#include <gtest/gtest.h>
#include <signal.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cstring>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "common/error.h"
#include "common/subprocess.h"
#include "probes/probe.h"
#include "workloads/device_safety.h"
#include "workloads/fio_output.h"
#include "workloads/storage_kernel.h"
#include "tests/test_support.h"

namespace shapeq {
namespace {

namespace fs = std::filesystem;

StorageOptions Short(std::vector<std::string> kernels) {
  StorageOptions o;
  o.kernels = std::move(kernels);
  o.runtime_s = 1;
  o.ramp_s = 0.5;
  o.repeats = 2;
  return o;
}


TEST(StorageRun, ScratchFileFiguresAreSelfConsistentAndTheFileIsRemoved) {
  const fs::path dir = fs::temp_directory_path() / ("shapeq-storage-" + std::to_string(getpid()));
  std::string path, shown;
  std::vector<Measurement> ms;
  {
    ScratchFile scratch(dir.string(), 128 << 20);
    path = scratch.target().path;
    shown = scratch.target().shown;
    EXPECT_EQ(path.rfind("/proc/" + std::to_string(getpid()) + "/fd/", 0), 0u) << path;
    EXPECT_TRUE(fs::equivalent(path, shown)) << "fio opens the very file shapeq made";
    ms = RunStorage(Probe({}), {scratch.target()}, Short({"seq_read", "rand_read"}));
  }
  EXPECT_FALSE(fs::exists(shown)) << "the scratch file is deleted";
  EXPECT_FALSE(fs::exists(fs::path(shown).parent_path())) << "and its private directory";
  ASSERT_EQ(ms.size(), 2u);
  for (const auto& m : ms) {
    ASSERT_EQ(m.status, MeasurementStatus::kOk) << m.kernel << ": " << m.reason;
    ASSERT_EQ(m.repeats_bytes_per_s.size(), 2u);
    EXPECT_GT(*m.bytes_per_s, 0);
    ASSERT_TRUE(m.spread_fraction.has_value());
    EXPECT_NE(m.detail["job_file"].get<std::string>().find("filename=" + path + "\n"), std::string::npos);
    EXPECT_EQ(m.target, shown) << "reports name the file, not the descriptor";
    EXPECT_EQ(m.detail["fio_version"].get<std::string>().rfind("fio-", 0), 0u);
    const double bs = m.kernel == "fio.seq_read" ? 1048576 : 4096;
    for (const auto& repeat : m.detail["repeats"]) {
      const auto& read = repeat["read"];
      EXPECT_NEAR(read["iops"].get<double>() * bs, read["bytes_per_s"].get<double>(), 0.01 * read["bytes_per_s"].get<double>());
      EXPECT_NEAR(read["io_bytes"].get<double>(), read["bytes_per_s"].get<double>() * read["runtime_s"].get<double>(),
                  0.02 * read["io_bytes"].get<double>());
    }
  }
  fs::remove_all(dir);
}

TEST(StorageRun, TheSystemDiskIsReadButNeverWritten) {
  const Fingerprint fp = Probe({});
  const Drive* system = nullptr;
  for (const auto& d : fp.drives) {
    if (d.system_disk) system = &d;
  }
  if (!system || !fs::exists("/dev/" + system->name)) GTEST_SKIP() << "no system disk visible under /dev";
  StorageTarget t{"/dev/" + system->name, system->name, true, system->capacity_bytes, "", system->kind == "nvme", system->linux_device_id, ""};
  // Writes, preconditioning included, are refused before fio runs, even with --allow-destructive.
  StorageOptions o = Short({"seq_write", "rand_write"});
  o.repeats = 1;
  o.allow_destructive = true;
  o.precondition = true;
  const auto writes = RunStorage(fp, {t}, o);
  ASSERT_EQ(writes.size(), 4u);
  EXPECT_EQ(writes[0].kernel, "fio.precondition_fill");
  for (const auto& m : writes) {
    EXPECT_EQ(m.status, MeasurementStatus::kSkipped) << m.kernel;  // the precondition steps too
    EXPECT_NE(m.reason.find("holds the running system"), std::string::npos) << m.reason;
    EXPECT_FALSE(m.bytes_per_s.has_value());
  }
  // Reads are allowed (fio --readonly), where this machine lets a process open the disk at all.
  const int fd = open(t.path.c_str(), O_RDONLY);
  if (fd < 0) GTEST_SKIP() << t.path << " cannot be opened for reading here: " << std::strerror(errno);
  close(fd);
  const auto reads = RunStorage(fp, {t}, Short({"seq_read"}));
  EXPECT_EQ(reads.at(0).status, MeasurementStatus::kOk) << reads.at(0).reason;
}

TEST(StorageRun, PreconditioningFillsOnceThenWritesRandomlyBeforeMeasuring) {
  const fs::path dir = fs::temp_directory_path() / ("shapeq-precondition-" + std::to_string(getpid()));
  ScratchFile scratch(dir.string(), 128 << 20);
  StorageOptions o = Short({"seq_read"});
  o.precondition = true;
  const auto ms = RunStorage(Probe({}), {scratch.target()}, o);
  ASSERT_EQ(ms.size(), 3u);
  EXPECT_EQ(ms[0].kernel, "fio.precondition_fill");
  EXPECT_EQ(ms[1].kernel, "fio.precondition_random");
  EXPECT_EQ(ms[2].kernel, "fio.seq_read");
  for (const auto& m : ms) EXPECT_EQ(m.status, MeasurementStatus::kOk) << m.kernel << ": " << m.reason;
  // The fill covers the target exactly once, and runs once however many repeats the kernels get.
  ASSERT_EQ(ms[0].detail["repeats"].size(), 1u);
  EXPECT_EQ(ms[0].detail["repeats"][0]["write"]["io_bytes"].get<double>(), static_cast<double>(scratch.target().size_bytes));
  EXPECT_EQ(ms[0].detail["job_file"].get<std::string>().find("time_based"), std::string::npos);
  EXPECT_FALSE(ms[0].detail.contains("steady")) << "a fill has no steady state";
  EXPECT_EQ(ms[2].repeats_bytes_per_s.size(), 2u);
  fs::remove_all(dir);
}

TEST(StorageRun, LatencyBoundedReadEndsWhenFioHasFoundTheDepth) {
  const fs::path dir = fs::temp_directory_path() / ("shapeq-latency-" + std::to_string(getpid()));
  ScratchFile scratch(dir.string(), 128 << 20);
  StorageOptions o = Short({"lat_read"});
  o.runtime_s = 10;  // fio's search usually ends sooner: that is not an interruption
  o.ramp_s = 0;
  o.repeats = 1;
  const auto ms = RunStorage(Probe({}), {scratch.target()}, o);
  ASSERT_EQ(ms.size(), 1u);
  ASSERT_EQ(ms[0].status, MeasurementStatus::kOk) << ms[0].reason;
  const auto& bound = ms[0].detail["repeats"][0]["latency_bound"];
  EXPECT_DOUBLE_EQ(bound["target_s"].get<double>(), 0.001);
  EXPECT_EQ(bound["percentile"].get<double>(), 99);
  EXPECT_GE(bound["depth"].get<double>(), 1);
  EXPECT_GT(*ms[0].iops, 0);
  fs::remove_all(dir);
}

TEST(StorageRun, FioMissingIsAnEnvironmentError) {
  StorageOptions o = Short({"seq_read"});
  o.fio = "/nonexistent/fio";
  const fs::path dir = fs::temp_directory_path() / ("shapeq-nofio-" + std::to_string(getpid()));
  ScratchFile scratch(dir.string(), 128 << 20);
  try {
    RunStorage(Probe({}), {scratch.target()}, o);
    FAIL() << "ran without fio";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::kEnvironment);
    EXPECT_NE(std::string(e.what()).find("install Debian's fio package"), std::string::npos) << e.what();
  }
  fs::remove_all(dir);
}

// Finds the fio this process started, and signals it.
bool SignalOurFio(int signal_number) {
  for (const auto& entry : fs::directory_iterator("/proc")) {
    std::ifstream stat(entry.path() / "stat");
    std::string pid, comm, state;
    int ppid = 0;
    if (!(stat >> pid >> comm >> state >> ppid)) continue;
    if (ppid == getpid() && comm == "(fio)") return kill(std::stoi(pid), signal_number) == 0;
  }
  return false;
}

class StorageInterrupted : public ::testing::TestWithParam<int> {};

TEST_P(StorageInterrupted, TheRunIsFailedAndEarlierResultsAreKept) {
  const fs::path dir = fs::temp_directory_path() / ("shapeq-killed-" + std::to_string(getpid()));
  ScratchFile scratch(dir.string(), 128 << 20);
  StorageOptions o = Short({"seq_read", "rand_read"});
  o.runtime_s = 4;
  o.ramp_s = 0;
  o.repeats = 1;
  o.steady_state.clear();
  std::vector<Measurement> ms;
  std::thread run([&] { ms = RunStorage(Probe({}), {scratch.target()}, o); });
  // Let seq_read finish, then stop fio part-way through rand_read.
  std::this_thread::sleep_for(std::chrono::milliseconds(6000));
  bool signalled = false;
  for (int i = 0; i < 50 && !signalled; ++i) {
    signalled = SignalOurFio(GetParam());
    if (!signalled) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  run.join();
  ASSERT_TRUE(signalled);
  ASSERT_EQ(ms.size(), 2u);
  EXPECT_EQ(ms[0].status, MeasurementStatus::kOk) << "the kernel before the interruption is kept: " << ms[0].reason;
  EXPECT_EQ(ms[1].status, MeasurementStatus::kFailed);
  const std::string expected = GetParam() == SIGKILL ? "killed by signal 9" : "terminating on signal 15";
  EXPECT_NE(ms[1].reason.find(expected), std::string::npos) << ms[1].reason;
  fs::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Signals, StorageInterrupted, ::testing::Values(SIGKILL, SIGTERM),
                         [](const auto& param_info) { return param_info.param == SIGKILL ? std::string("Crash") : std::string("Terminated"); });

TEST(StorageRun, TooLittleRoomIsAClearFailureAndTheFileIsWrittenWhole) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to mount a small tmpfs";
  const fs::path dir = fs::temp_directory_path() / ("shapeq-full-" + std::to_string(getpid()));
  fs::create_directories(dir);
  if (mount("tmpfs", dir.c_str(), "tmpfs", 0, "size=200m") != 0) GTEST_SKIP() << "cannot mount tmpfs here";
  {
    // Too little room from the start: refused before fio runs, naming the directory.
    std::ofstream(dir / "filler", std::ios::binary).write(std::string(150 << 20, 'x').data(), 150 << 20);
    try {
      ScratchFile tight(dir.string(), 512 << 20);
      ADD_FAILURE() << "accepted a scratch file in 50 MiB";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ExitCode::kEnvironment);
      EXPECT_NE(std::string(e.what()).find(dir.string() + ": only"), std::string::npos) << e.what();
    }
    fs::remove(dir / "filler");
    // Room: shapeq writes the whole file itself (no sparse holes for reads to skip), in a private
    // directory of its own, and removes both.
    struct statvfs before {}, during {};
    statvfs(dir.c_str(), &before);
    fs::path private_dir;
    {
      ScratchFile scratch(dir.string(), 64 << 20);
      statvfs(dir.c_str(), &during);
      EXPECT_GE((before.f_bfree - during.f_bfree) * before.f_frsize, 64u << 20) << "written whole, not sparse";
      EXPECT_EQ(scratch.target().size_bytes, 64u << 20);
      private_dir = fs::path(scratch.target().shown).parent_path();
      EXPECT_EQ(private_dir.parent_path(), dir);
      EXPECT_EQ(fs::status(private_dir).permissions(), fs::perms::owner_all) << "0700";
      EXPECT_EQ(fs::file_size(scratch.target().shown), 64u << 20);
    }
    EXPECT_FALSE(fs::exists(private_dir));
  }
  umount(dir.c_str());
  fs::remove_all(dir);
}

}  // namespace
}  // namespace shapeq
