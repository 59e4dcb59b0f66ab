// Write safety by identity (issue 24's reproductions, each a test that failed before): a device
// is what its number says, whatever it is called; no link in a directory someone else owns
// reaches a device or a file; nothing fio would expand reaches a job file; a stopped run leaves
// nothing behind. Root only (loop devices, mounts); skipped otherwise.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "common/atomic_file.h"
#include "common/subprocess.h"
#include "probes/probe.h"
#include "tests/test_support.h"
#include "workloads/device_safety.h"
#include "workloads/storage_kernel.h"

namespace shapeq {
namespace {

namespace fs = std::filesystem;
using test::ReadText;
using test::TempDir;
using test::TmpfsLoop;

using test::Shapeq;

// A loop device on /dev/shm holding an ext4 file system mounted on `mount_point`, and a marker file
// in it; unmounted on destruction.
class MountedLoop {
 public:
  std::string Attach(const std::string& name, const fs::path& mount_point) {
    if (std::string why = loop_.Attach("/dev/shm/" + name, 64 << 20); !why.empty()) return why;
    const ProcessResult mkfs = RunProcess({"mkfs.ext4", "-q", "-F", "-E", "lazy_itable_init=0,lazy_journal_init=0", loop_.device()});
    if (mkfs.exit_code != 0) return "mkfs.ext4: " + mkfs.stderr_text;
    fs::create_directories(mount_point);
    if (mount(loop_.device().c_str(), mount_point.c_str(), "ext4", 0, nullptr) != 0) return "cannot mount ext4 here";
    mount_point_ = mount_point;
    std::ofstream(mount_point / "marker") << "precious";
    sync();
    return "";
  }
  ~MountedLoop() {
    if (!mount_point_.empty()) umount(mount_point_.c_str());
  }
  const TmpfsLoop& loop() const { return loop_; }
  fs::path marker() const { return mount_point_ / "marker"; }

 private:
  TmpfsLoop loop_;
  fs::path mount_point_;
};

// The bytes of a loop device's backing file, for "not one byte changed".
std::string Bytes(const TmpfsLoop& loop) {
  const std::string file = ReadText("/sys/class/block/" + loop.device().substr(5) + "/loop/backing_file");
  return ReadText(file.substr(0, file.find('\n')));
}

class WriteSafety : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "needs root for loop devices and mounts";
  }
  TempDir temp_{"shapeq-write-safety"};
};

// Reproduction 1: a node named after a free loop, and a link, both to a mounted one. Refused by
// device number; reads of it name the node it really is; the file system is untouched.
TEST_F(WriteSafety, ADeviceIsJudgedByWhatItIsNotByItsName) {
  MountedLoop mounted;
  TmpfsLoop free;
  if (std::string why = mounted.Attach("shapeq-ws-mounted-" + std::to_string(getpid()), temp_.path() / "mnt"); !why.empty()) GTEST_SKIP() << why;
  ASSERT_EQ(free.Attach("/dev/shm/shapeq-ws-free-" + std::to_string(getpid()), 64 << 20), "");
  const std::string id = mounted.loop().major_minor();
  const auto major_number = static_cast<unsigned>(std::stoul(id.substr(0, id.find(':'))));
  const auto minor_number = static_cast<unsigned>(std::stoul(id.substr(id.find(':') + 1)));
  const fs::path impostor = temp_.path() / free.device().substr(5);  // named like the free loop
  ASSERT_EQ(mknod(impostor.c_str(), S_IFBLK | 0600, makedev(major_number, minor_number)), 0);
  const fs::path link = temp_.path() / "link";
  fs::create_symlink(mounted.loop().device(), link);
  const std::string before = Bytes(mounted.loop());
  ASSERT_FALSE(before.empty());

  for (const fs::path& given : {impostor, link}) {
    const ProcessResult write = Shapeq({"storage", "--quick", "--device", given.string(), "--kernels", "seq_write", "--allow-destructive", "--json"});
    EXPECT_EQ(write.exit_code, static_cast<int>(ExitCode::kUsage)) << write.stderr_text << write.stdout_text;
    const auto ms = nlohmann::json::parse(write.stdout_text);
    ASSERT_EQ(ms.size(), 1u);
    EXPECT_EQ(ms[0]["status"], "skipped");
    const std::string reason = ms[0]["reason"];
    EXPECT_NE(reason.find(given.string() + " (" + mounted.loop().device() + "): refusing to write: it is mounted on"), std::string::npos) << reason;
    EXPECT_NE(write.stderr_text.find("nothing ran"), std::string::npos) << write.stderr_text;
  }
  EXPECT_EQ(Bytes(mounted.loop()), before) << "not one byte of the mounted file system changed";
  EXPECT_EQ(ReadText(mounted.marker()), "precious");

  // Reads are allowed, and run on the device's own node, named as given.
  const ProcessResult read = Shapeq({"storage", "--quick", "--device", impostor.string(), "--kernels", "seq_read", "--json", "--no-steady-state"});
  ASSERT_EQ(read.exit_code, 0) << read.stderr_text;
  const auto ms = nlohmann::json::parse(read.stdout_text);
  EXPECT_EQ(ms[0]["target"], impostor.string() + " (" + mounted.loop().device() + ")");
  EXPECT_NE(ms[0]["detail"]["job_file"].get<std::string>().find("filename=" + mounted.loop().device() + "\n"), std::string::npos);

  // The same device twice, by two names, is one target named twice: refused.
  test::ExpectOneLineError(Shapeq({"storage", "--print-jobs", "--device", impostor.string(), "--device", link.string()}), ExitCode::kBadInput,
                           "a second time");
}

// What the probe cannot know, the kernel does: a mounted device cannot be claimed, and a claimed
// one cannot be mounted until the claim ends.
TEST_F(WriteSafety, AClaimedDeviceCannotBeMountedAndAMountedOneCannotBeClaimed) {
  MountedLoop mounted;
  if (std::string why = mounted.Attach("shapeq-ws-claim-" + std::to_string(getpid()), temp_.path() / "mnt"); !why.empty()) GTEST_SKIP() << why;
  {
    DeviceClaims claims;
    const auto refused = claims.Claim(mounted.loop().device(), mounted.loop().major_minor());
    ASSERT_TRUE(refused.has_value());
    EXPECT_NE(refused->find("in use"), std::string::npos) << *refused;
  }
  TmpfsLoop free;
  ASSERT_EQ(free.Attach("/dev/shm/shapeq-ws-claimable-" + std::to_string(getpid()), 64 << 20), "");
  ASSERT_EQ(RunProcess({"mkfs.ext4", "-q", "-F", free.device()}).exit_code, 0);
  const fs::path point = temp_.path() / "mnt2";
  fs::create_directories(point);
  {
    DeviceClaims claims;
    ASSERT_FALSE(claims.Claim(free.device(), free.major_minor()).has_value());
    EXPECT_NE(mount(free.device().c_str(), point.c_str(), "ext4", 0, nullptr), 0) << "mounted while claimed";
    EXPECT_EQ(errno, EBUSY);
    // A node that is no longer the device judged is refused too.
    DeviceClaims other;
    const auto moved = other.Claim(mounted.loop().device(), free.major_minor());
    ASSERT_TRUE(moved.has_value());
  }
  ASSERT_EQ(mount(free.device().c_str(), point.c_str(), "ext4", 0, nullptr), 0) << "the claim ended with its owner";
  umount(point.c_str());
}

// A read-only device is skipped with its reason, not handed to fio's write kernel.
TEST_F(WriteSafety, AReadOnlyDeviceIsSkippedSayingSo) {
  const fs::path file = "/dev/shm/shapeq-ws-ro-" + std::to_string(getpid());
  { std::ofstream(file).close(); }
  fs::resize_file(file, 64 << 20);
  const ProcessResult attach = RunProcess({"losetup", "--find", "--show", "--read-only", file.string()});
  ASSERT_EQ(attach.exit_code, 0) << attach.stderr_text;
  const std::string device = attach.stdout_text.substr(0, attach.stdout_text.find('\n'));
  const ProcessResult r = Shapeq({"storage", "--quick", "--device", device, "--kernels", "seq_write", "--allow-destructive", "--json"});
  RunProcess({"losetup", "--detach", device});
  fs::remove(file);
  EXPECT_EQ(r.exit_code, static_cast<int>(ExitCode::kUsage)) << r.stderr_text;
  EXPECT_NE(r.stdout_text.find("refusing to write: it is read-only"), std::string::npos) << r.stdout_text;
}

// Reproduction 2: a user who owns --dir plants links to a device under every name shapeq used to
// pick, and even swaps shapeq's private directory for one of links mid-run: no byte of the device
// is written.
TEST_F(WriteSafety, NoLinkInTheScratchDirectoryReachesADevice) {
  TmpfsLoop victim;
  ASSERT_EQ(victim.Attach("/dev/shm/shapeq-ws-victim-" + std::to_string(getpid()), 64 << 20), "");
  const std::string zeros = Bytes(victim);
  const fs::path dir = temp_.path() / "userdir";
  fs::create_directories(dir);
  for (int pid = getpid(); pid < getpid() + 3000; ++pid) fs::create_symlink(victim.device(), dir / ("shapeq-scratch-" + std::to_string(pid) + ".dat"));
  const ProcessResult r = Shapeq({"storage", "--quick", "--dir", dir.string(), "--kernels", "seq_write"});
  EXPECT_EQ(r.exit_code, 0) << r.stderr_text;
  EXPECT_EQ(Bytes(victim), zeros) << "the planted links were followed";
  size_t left = 0;
  for (const auto& entry : fs::directory_iterator(dir)) left += fs::is_symlink(entry.symlink_status()) ? 1 : 100;
  EXPECT_EQ(left, 3000u) << "the links stay, nothing else does";

  // The private directory swapped for a directory of links after it was made.
  ScratchFile scratch(dir.string(), 64 << 20);
  const fs::path private_dir = fs::path(scratch.target().shown).parent_path();
  fs::rename(private_dir, dir / "moved-away");
  fs::create_directories(dir / "evil");
  fs::create_symlink(victim.device(), dir / "evil" / "scratch.dat");
  fs::create_directory_symlink(dir / "evil", private_dir);
  StorageOptions o = QuickStorageOptions({});
  o.kernels = {"seq_write"};
  o.steady_state.clear();
  o.direct = false;  // /dev/shm under the temp dir may be tmpfs
  const auto ms = RunStorage(Probe({}), {scratch.target()}, o);
  ASSERT_EQ(ms.size(), 1u);
  EXPECT_EQ(ms[0].status, MeasurementStatus::kOk) << ms[0].reason;
  EXPECT_EQ(Bytes(victim), zeros) << "fio followed the swapped directory";
}

// Reproduction 3: links sprayed into a user-owned results directory under every temp name
// shapeq used to pick, and a link at the final name: a root-only file stays as it was.
TEST_F(WriteSafety, AtomicWritesFollowNoLink) {
  const fs::path secret = temp_.path() / "root-only";
  std::ofstream(secret) << "secret";
  fs::permissions(secret, fs::perms::owner_read | fs::perms::owner_write);
  const fs::path run = temp_.path() / "userrun";
  fs::copy(std::string(SHAPEQ_FIXTURES) + "/golden/run", run);
  for (const char* name : {"report.html", "report.md", "report.csv"}) {
    for (int pid = getpid(); pid < getpid() + 2000; ++pid) fs::create_symlink(secret, run / (std::string(name) + ".tmp." + std::to_string(pid)));
  }
  fs::create_symlink(secret, run / "report.md");
  const ProcessResult r = Shapeq({"report", run.string()});
  EXPECT_EQ(r.exit_code, 0) << r.stderr_text;
  EXPECT_EQ(ReadText(secret), "secret");
  EXPECT_FALSE(fs::is_symlink(run / "report.md")) << "the link itself is replaced, its target untouched";
  EXPECT_NE(ReadText(run / "report.md").find("# "), std::string::npos);

  // In-process: the same for any file, and a directory that is not there is a one-line error.
  fs::create_symlink(secret, temp_.path() / "out.json");
  WriteFileAtomically(temp_.path() / "out.json", "{}");
  EXPECT_EQ(ReadText(secret), "secret");
  EXPECT_EQ(ReadText(temp_.path() / "out.json"), "{}");
  try {
    WriteFileAtomically(temp_.path() / "nowhere" / "x.json", "{}");
    ADD_FAILURE() << "wrote into a missing directory";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::kEnvironment);
    EXPECT_NE(std::string(e.what()).find("cannot open its directory"), std::string::npos) << e.what();
  }
}

// Reproduction 4: a ${VAR} in --dir names a directory literally; fio never sees it.
TEST_F(WriteSafety, NothingFioWouldExpandReachesAJobFile) {
  const fs::path elsewhere = temp_.path() / "elsewhere";
  setenv("SHAPEQ_X", elsewhere.c_str(), 1);
  const fs::path literal = temp_.path() / "${SHAPEQ_X}";
  const ProcessResult r = Shapeq({"storage", "--quick", "--dir", literal.string(), "--kernels", "seq_read", "--json"});
  unsetenv("SHAPEQ_X");
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  EXPECT_FALSE(fs::exists(elsewhere)) << "fio expanded ${SHAPEQ_X}";
  const auto ms = nlohmann::json::parse(r.stdout_text);
  EXPECT_EQ(ms[0]["detail"]["job_file"].get<std::string>().find('$'), std::string::npos);
  // Values that do reach a job file are refused with '$' in them.
  test::ExpectOneLineError(Shapeq({"storage", "--print-jobs", "--ioengine", "${HOME}"}), ExitCode::kUsage, "which fio would expand");
}

// Reproduction 7: SIGTERM or SIGHUP mid-fio: fio stopped, scratch file and job directory gone, 130.
void StopStorageWith(int signal_number, const fs::path& dir) {
  ChildProcess storage({SHAPEQ_BINARY, "storage", "--dir", dir.string(), "--size-mib", "128", "--kernels", "seq_read", "--runtime", "30",
                        "--ramp", "0", "--repeats", "1", "--no-steady-state"});
  pid_t fio = 0;
  std::string job_dir;
  for (int i = 0; i < 200 && fio == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    for (const auto& entry : fs::directory_iterator("/proc")) {
      std::ifstream stat(entry.path() / "stat");
      std::string pid, comm, state;
      pid_t ppid = 0;
      if (stat >> pid >> comm >> state >> ppid && ppid == storage.pid() && comm == "(fio)") {
        fio = static_cast<pid_t>(std::stol(pid));
        std::string cmdline = ReadText(entry.path() / "cmdline");
        for (size_t at = 0; at < cmdline.size(); at = cmdline.find('\0', at) + 1) {
          const std::string arg = cmdline.substr(at, cmdline.find('\0', at) - at);
          if (arg.find("shapeq-fio-") != std::string::npos) job_dir = fs::path(arg).parent_path().string();
          if (cmdline.find('\0', at) == std::string::npos) break;
        }
      }
    }
  }
  ASSERT_GT(fio, 0) << "fio never started";
  std::this_thread::sleep_for(std::chrono::seconds(1));
  storage.Signal(signal_number);
  EXPECT_EQ(storage.Wait(), static_cast<int>(ExitCode::kInterrupted));
  EXPECT_NE(kill(fio, 0), 0) << "fio still runs";
  EXPECT_TRUE(fs::is_empty(dir)) << "the scratch file or its directory was left";
  EXPECT_FALSE(job_dir.empty());
  if (!job_dir.empty()) {
    EXPECT_FALSE(fs::exists(job_dir)) << job_dir << " was left";
  }
}

TEST_F(WriteSafety, StorageStoppedBySigtermLeavesNothing) { StopStorageWith(SIGTERM, temp_.path() / "term"); }
TEST_F(WriteSafety, StorageStoppedBySighupLeavesNothing) { StopStorageWith(SIGHUP, temp_.path() / "hup"); }

// net-serve's lent scratch file goes on SIGHUP (the ssh session closing) as on SIGTERM.
void StopNetServeWith(int signal_number, const fs::path& dir) {
  setenv("SHAPEQ_NET_TOKEN", "write-safety-token-0123456789abcdef", 1);
  ChildProcess serve({SHAPEQ_BINARY, "net-serve", "--listen", "127.0.0.1:0", "--storage-dir", dir.string(), "--storage-size-mib", "64"});
  const auto line = serve.ReadLine(10);
  ASSERT_TRUE(line.has_value());
  const std::string address = line->substr(line->find("127.0.0.1:"), line->find(';') - line->find("127.0.0.1:"));
  const ProcessResult fleet = Shapeq({"storage", "--hosts", address, "--quick", "--kernels", "seq_read", "--no-steady-state"});
  unsetenv("SHAPEQ_NET_TOKEN");
  ASSERT_EQ(fleet.exit_code, 0) << fleet.stderr_text << fleet.stdout_text;
  ASSERT_FALSE(fs::is_empty(dir)) << "the lent scratch file was never made";
  serve.Signal(signal_number);
  EXPECT_EQ(serve.Wait(), 0);
  EXPECT_TRUE(fs::is_empty(dir)) << "the lent scratch file or its directory was left";
}

TEST_F(WriteSafety, NetServeStoppedBySighupRemovesItsScratchFile) { StopNetServeWith(SIGHUP, temp_.path() / "lent-hup"); }
TEST_F(WriteSafety, NetServeStoppedBySigtermRemovesItsScratchFile) { StopNetServeWith(SIGTERM, temp_.path() / "lent-term"); }

}  // namespace
}  // namespace shapeq
