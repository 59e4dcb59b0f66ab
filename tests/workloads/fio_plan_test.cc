// The storage kernels without running fio: its json+ parsed from captured output, its status
// lines, the write-safety rules on the probe's fixtures, and the generated job files.
#include <gtest/gtest.h>
#include <unistd.h>

#include <map>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/error.h"
#include "model/kernel_id.h"
#include "probes/probe.h"
#include "workloads/device_safety.h"
#include "workloads/fio_output.h"
#include "workloads/storage_kernel.h"
#include "tests/test_support.h"

namespace shapeq {
namespace {

std::string Fixture(const std::string& name) {
  std::ifstream in(std::string(SHAPEQ_FIXTURES) + "/fio/" + name);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

Fingerprint DenseServer() { return test::ProbeFixtureShape("onprem-dense-1u"); }

// The dense server's 22 data drives as raw targets, each with its local CPUs.
std::vector<StorageTarget> DenseDataDrives(const Fingerprint& fp) {
  std::vector<StorageTarget> targets;
  for (const auto& d : fp.drives) {
    if (d.model == "SOLIDIGM SBFPF2BU614T") targets.push_back({"/dev/" + d.name, d.name, true, d.capacity_bytes, d.locality.cpus, true, d.linux_device_id, ""});
  }
  return targets;
}

TEST(FioOutput, CapturedJsonPlusIsSelfConsistent) {
  const auto ms = ParseFioJson(Fixture("seq_read_jsonplus.json"), "seq_read_jsonplus.json");
  ASSERT_EQ(ms.size(), 1u);
  const Measurement& m = ms[0];
  EXPECT_EQ(m.kernel, "fio.seq_read");
  EXPECT_EQ(m.status, MeasurementStatus::kOk);
  EXPECT_EQ(m.detail["fio_version"], "fio-3.33");
  const auto& read = m.detail["read"];
  // bytes = bandwidth x runtime; IOPS x block size = bandwidth.
  EXPECT_NEAR(read["io_bytes"].get<double>(), read["bytes_per_s"].get<double>() * read["runtime_s"].get<double>(), 0.01 * read["io_bytes"].get<double>());
  EXPECT_NEAR(*m.iops * 1048576, *m.bytes_per_s, 0.01 * *m.bytes_per_s) << "fio averages IOPS and bandwidth apart";
  const auto& p = read["clat_percentiles_s"];
  EXPECT_LT(p["p50"].get<double>(), p["p99"].get<double>());
  EXPECT_LE(p["p99"].get<double>(), p["p99.9"].get<double>());
  // json+ histogram: every completion is in exactly one bin.
  double binned = 0;
  for (const auto& [value, count] : read["clat_bins_ns"].items()) binned += count.get<double>();
  EXPECT_EQ(binned, read["clat_samples"].get<double>());
  EXPECT_GT(*m.cpu_cores_busy, 0);
}

TEST(FioOutput, BareNanFromSteadyStateIsRead) {
  const std::string text = Fixture("mix_steadystate_nan_jsonplus.json");
  ASSERT_NE(text.find("\"slope\" : -nan"), std::string::npos) << "the capture shows fio's quirk";
  const Measurement m = ParseFioJson(text, "mix").front();
  EXPECT_EQ(m.kernel, "fio.mix_70_30");
  EXPECT_TRUE(m.detail["steady_state"]["attained"].get<bool>());
  EXPECT_NEAR(*m.iops, m.detail["read"]["iops"].get<double>() + m.detail["write"]["iops"].get<double>(), 1e-6);
  EXPECT_GT(m.detail["write"]["iops"].get<double>(), 0);
}

// Two drives in one run: the node's figure is the sum, its percentiles come from the merged
// histograms (not an average of percentiles), and the slow drive is in per_target.
TEST(FioOutput, GroupsOfOneRunCombineIntoTheNodesFigure) {
  auto group = [](const char* target, double iops, std::map<std::string, double> bins, double p99_s) {
    Measurement m;
    m.kernel = "fio.rand_read";
    m.target = target;
    m.bytes_per_s = iops * 4096;
    m.iops = iops;
    m.cpu_cores_busy = 0.5;
    m.duration_s = 10;
    double n = 0;
    for (const auto& [value, count] : bins) n += count;
    m.detail = {{"fio_version", "fio-3.33"},
                {"read", {{"iops", iops}, {"bytes_per_s", iops * 4096}, {"io_bytes", iops * 40960}, {"runtime_s", 10},
                          {"clat_samples", n}, {"clat_mean_s", 1e-4}, {"clat_bins_ns", bins},
                          {"clat_percentiles_s", {{"p50", 1e-4}, {"p99", p99_s}}}}},
                {"write", {{"iops", 0}, {"bytes_per_s", 0}}},
                {"steady_state", {{"criterion", "iops_slope"}, {"attained", true}}}};
    return m;
  };
  // Fast drive: 99 samples at 100 us, 1 at 200 us. Slow drive: 90 at 100 us, 10 at 5 ms.
  const Measurement both = CombineFioGroups({group("/dev/nvme0n1", 100000, {{"100000", 99}, {"200000", 1}}, 2e-4),
                                             group("/dev/nvme1n1", 20000, {{"100000", 90}, {"5000000", 10}}, 5e-3)});
  EXPECT_EQ(both.target, "all 2 targets");
  EXPECT_DOUBLE_EQ(*both.iops, 120000);
  EXPECT_DOUBLE_EQ(*both.cpu_cores_busy, 1.0);
  const auto& read = both.detail["read"];
  EXPECT_DOUBLE_EQ(read["clat_samples"].get<double>(), 200);
  // 200 samples: the 198th is the 99th percentile, among the slow drive's 5 ms completions.
  EXPECT_DOUBLE_EQ(read["clat_percentiles_s"]["p99"].get<double>(), 5e-3);
  EXPECT_DOUBLE_EQ(read["clat_percentiles_s"]["p50"].get<double>(), 1e-4);
  ASSERT_EQ(both.detail["per_target"].size(), 2u);
  EXPECT_EQ(both.detail["per_target"][1]["target"], "/dev/nvme1n1");
  EXPECT_DOUBLE_EQ(both.detail["per_target"][1]["iops"].get<double>(), 20000);
  EXPECT_TRUE(both.detail["steady_state"]["attained"].get<bool>());
  EXPECT_EQ(both.status, MeasurementStatus::kOk);
}

TEST(FioOutput, TruncatedGarbageAndErrorsAreClear) {
  const std::string text = Fixture("seq_read_jsonplus.json");
  auto error_of = [](const std::string& input) {
    try {
      ParseFioJson(input, "out.json");
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ExitCode::kRunFailed);
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(error_of(text.substr(0, text.size() / 2)).find("out.json: not valid JSON"), std::string::npos);
  EXPECT_NE(error_of("fio: pid=1, err=2/file:filesetup.c").find("out.json: not valid JSON"), std::string::npos);
  EXPECT_NE(error_of("{\"fio version\": \"fio-3.33\"}").find("no \"jobs\" list"), std::string::npos);
  EXPECT_NE(error_of("").find("not valid JSON"), std::string::npos);
  auto doc = nlohmann::json::parse(text);
  doc["jobs"][0]["error"] = 28;
  const Measurement full = ParseFioJson(doc.dump(), "out.json").front();
  EXPECT_EQ(full.status, MeasurementStatus::kFailed);
  EXPECT_NE(full.reason.find("No space left on device"), std::string::npos) << full.reason;
}

// fio --client over two servers (captured from fio 3.33): the words before the JSON, "global
// options" with every key twice (once per client), each host's jobs named by the client's
// socket path, and fio's "All clients" sums, which are left out.
TEST(FioOutput, ClientOutputSplitsIntoOneDocumentPerHost) {
  const std::string text = test::ReadText(std::string(SHAPEQ_FIXTURES) + "/fio/client_two_hosts.json");
  const auto documents = FioClientDocuments(text, "client_two_hosts.json");
  ASSERT_EQ(documents.size(), 2u);
  double iops = 0;
  for (const std::string host : {"/tmp/fx/host0.sock", "/tmp/fx/host1.sock"}) {
    ASSERT_TRUE(documents.count(host)) << host;
    const auto jobs = ParseFioJson(documents.at(host), host);
    ASSERT_EQ(jobs.size(), 1u) << "one job per host, not the All clients sum";
    EXPECT_EQ(jobs[0].status, MeasurementStatus::kOk);
    EXPECT_GT(*jobs[0].iops, 1000);
    iops += *jobs[0].iops;
  }
  // fio's own sum of the two agrees with ours.
  const nlohmann::json raw = nlohmann::json::parse(text.substr(text.find("\n{")));
  double all_clients = 0;
  for (const auto& job : raw["client_stats"]) {
    if (job["jobname"] == "All clients") all_clients = job["read"]["iops"].get<double>();
  }
  EXPECT_NEAR(iops, all_clients, 0.01 * all_clients);
  for (const std::string& bad : std::vector<std::string>{"", "garbage", "{\"client_stats\": 5}", text.substr(0, text.size() / 2)}) {
    try {
      FioClientDocuments(bad, "bad");
      ADD_FAILURE() << "accepted: " << bad.substr(0, 40);
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ExitCode::kRunFailed) << e.what();
    }
  }
}

TEST(FioOutput, StatusLinesGiveTheLiveRateAndEta) {
  auto mixed = ParseFioStatusLine("Jobs: 1 (f=1): [m(1)][45.0%][r=93.4MiB/s,w=40.1MiB/s][r=23.9k,w=10.3k IOPS][eta 01m:06s]");
  ASSERT_TRUE(mixed.has_value());
  EXPECT_DOUBLE_EQ(mixed->bytes_per_s, 93.4 * 1048576 + 40.1 * 1048576);
  EXPECT_DOUBLE_EQ(mixed->iops, 23900 + 10300);
  EXPECT_DOUBLE_EQ(mixed->seconds_left, 66);
  auto decimal = ParseFioStatusLine("Jobs: 4 (f=4): [R(4)][-.-%][r=2310MB/s][r=564 IOPS][eta 1d:02h:00m:01s]");
  ASSERT_TRUE(decimal.has_value());
  EXPECT_DOUBLE_EQ(decimal->bytes_per_s, 2310e6);
  EXPECT_DOUBLE_EQ(decimal->iops, 564);
  EXPECT_DOUBLE_EQ(decimal->seconds_left, 86400 + 7200 + 1);
  EXPECT_FALSE(ParseFioStatusLine("Jobs: 1 (f=1)").has_value());
  EXPECT_FALSE(ParseFioStatusLine("").has_value());
}

TEST(DeviceSafety, WritesOnlyToUnusedDrivesAndOnlyWhenAllowed) {
  const Fingerprint fp = DenseServer();
  // Judged by device number: the fixture's drives by their own, under whatever name is shown.
  auto id_of = [&](const std::string& name) {
    for (const auto& d : fp.drives) {
      if (d.name == name) return d.linux_device_id;
    }
    return std::string("259:999");
  };
  auto refused = [&](const char* dev, bool allow) {
    const std::string path = dev;
    return RefuseDeviceWrites(fp, id_of(path.substr(5)), path, allow).value_or("allowed");
  };
  EXPECT_NE(refused("/dev/nvme22n1", true).find("holds the running system"), std::string::npos);
  EXPECT_NE(refused("/dev/nvme20n1", true).find("held by md127"), std::string::npos);
  EXPECT_NE(refused("/dev/nvme21n1", true).find("has partitions (nvme21n1p1)"), std::string::npos);
  EXPECT_NE(refused("/dev/nvme0n1", false).find("without --allow-destructive"), std::string::npos);
  EXPECT_EQ(refused("/dev/nvme0n1", true), "allowed");
  EXPECT_NE(refused("/dev/sdz", true).find("the probe found no drive with device number 259:999"), std::string::npos);
  // A name is only a name: shown as given, judged by the number behind it.
  EXPECT_NE(RefuseDeviceWrites(fp, id_of("nvme22n1"), "/tmp/nvme0n1", true).value_or("allowed").find("holds the running system"), std::string::npos);
  EXPECT_EQ(refused("/dev/nvme0n1", false).rfind("/dev/nvme0n1: refusing to write", 0), 0u);
}

// A qualify with no device named reads every drive that can be a data drive, and no other.
TEST(StoragePlan, PossibleDataDrivesAreTheUnusedRealDrives) {
  Fingerprint fp;
  auto drive = [&](const char* name, const char* kind, auto&& set) {
    Drive d;
    d.name = name;
    d.kind = kind;
    d.capacity_bytes = 1ull << 40;
    set(d);
    fp.drives.push_back(d);
  };
  drive("nvme0n1", "nvme", [](Drive& d) { d.system_disk = true; });
  drive("nvme1n1", "nvme", [](Drive&) {});
  drive("nvme2n1", "nvme", [](Drive& d) { d.mounted = true; });
  drive("sdb", "scsi", [](Drive& d) { d.partitioned = true; });
  drive("sdc", "scsi", [](Drive& d) { d.read_only = true; });
  drive("vdb", "virtio", [](Drive&) {});
  drive("loop0", "loop", [](Drive&) {});
  drive("md0", "md", [](Drive&) {});
  EXPECT_EQ(PossibleDataDrives(fp), (std::vector<std::string>{"/dev/nvme1n1", "/dev/vdb"}));
}

TEST(StoragePlan, JobFilesFollowTheKernelAndTheDrives) {
  const Fingerprint fp = DenseServer();
  const std::vector<StorageTarget> targets = DenseDataDrives(fp);
  ASSERT_EQ(targets.size(), 22u);
  StorageOptions o;
  const StorageDepths depths = PlanDepths(fp, targets, o);
  EXPECT_EQ(depths.seq_iodepth, 32u);
  EXPECT_EQ(depths.rand_iodepth, 64u);
  EXPECT_EQ(depths.numjobs, 4u) << "128 threads over 22 drives, capped at 4";
  const auto& kernels = StorageKernels();
  const std::string rand = FioJobFile(kernels[2], {targets[0], targets[21]}, o, 32, 64, 4);
  EXPECT_NE(rand.find("rw=randread\nbs=4k\niodepth=64\nnumjobs=4\n"), std::string::npos) << rand;
  EXPECT_NE(rand.find("[rand_read@nvme0n1]\nfilename=/dev/nvme0n1\nnew_group\ncpus_allowed=0-31,64-95\n"), std::string::npos) << rand;
  EXPECT_NE(rand.find("cpus_allowed=32-63,96-127"), std::string::npos) << "the second drive is on socket 1";
  EXPECT_EQ(rand.find("size="), std::string::npos) << "a raw device is used whole";
  EXPECT_NE(rand.find("steadystate=iops_slope:2%"), std::string::npos);
  const std::string lat = FioJobFile(kernels[5], {targets[0]}, o, 32, 64, 4);
  EXPECT_NE(lat.find("latency_target=1ms\n"), std::string::npos) << lat;
  EXPECT_NE(lat.find("latency_percentile=99\n"), std::string::npos) << lat;
  EXPECT_EQ(lat.find("steadystate="), std::string::npos) << "the latency search and steady state do not mix";
  EXPECT_NE(rand.find("steadystate_duration=10s\n"), std::string::npos) << "half of the 20 s run, at most 10 s: " << rand;
  // --quick's 2 s runs would leave fio a 1 s window, one sample, and a -nan slope: no steady state.
  const StorageOptions quick = QuickStorageOptions(o);
  EXPECT_EQ(FioJobFile(kernels[2], {targets[0]}, quick, 32, 64, 4).find("steadystate"), std::string::npos);
  StorageOptions six_s = o;
  six_s.runtime_s = 6;
  EXPECT_EQ(SteadyStateWindowS(kernels[2], six_s), 3.0);
  six_s.runtime_s = 5;
  EXPECT_EQ(SteadyStateWindowS(kernels[2], six_s), std::nullopt);
  // One fio run per kernel over all 22 drives, not one per drive and one more for all.
  const auto jobs = PlanStorageJobs(fp, targets, o);
  EXPECT_EQ(jobs.size(), kernels.size());
  for (const auto& job : jobs) EXPECT_EQ(job.targets.size(), 22u);
  StorageOptions preconditioned = o;
  preconditioned.precondition = true;
  preconditioned.kernels = {"rand_read"};
  EXPECT_EQ(PlanStorageJobs(fp, targets, preconditioned).size(), 3u) << "fill and random-write all drives at once, then the kernel";
  StorageOptions bad;
  bad.kernels = {"seq_read", "teleport"};
  EXPECT_THROW(ValidateStorageOptions(bad), Error);
}


const StorageKernelSpec& Kernel(const std::string& name) {
  for (const auto& k : StorageKernels()) {
    if (name == k.name) return k;
  }
  throw std::runtime_error("no kernel " + name);
}

TEST(StoragePlan, ServedKernelsRunTheSuitesEngineOnEveryCoreByLocality) {
  const Fingerprint fp = DenseServer();
  const std::vector<StorageTarget> targets = DenseDataDrives(fp);
  ASSERT_EQ(targets.size(), 22u);
  // 64 threads per socket shared by the drives on that socket (at least one job each).
  size_t on_socket0 = 0;
  for (const auto& t : targets) on_socket0 += t.cpus == targets[0].cpus;
  ASSERT_GT(on_socket0, 0u);
  ASSERT_LT(on_socket0, 22u);
  unsigned jobs_total = 0;
  for (const auto& t : targets) jobs_total += ServedJobsFor(fp, targets, t);
  EXPECT_EQ(ServedJobsFor(fp, targets, targets[0]), 64 / on_socket0);
  EXPECT_LE(jobs_total, 128u) << "no more jobs than hardware threads";
  EXPECT_GE(jobs_total, 128u - 22u) << "every core has a job";
  // A target with no locality shares all threads with the others like it.
  StorageTarget scratch{"/tmp/x.dat", "scratch", false, 1ull << 30, "", false, "", ""};
  EXPECT_EQ(ServedJobsFor(fp, {scratch}, scratch), 128u);
  // Under a taskset or cpuset, only the CPUs fio's threads may use count: one core, one job.
  EXPECT_EQ(ServedJobsFor(fp, {scratch}, scratch, std::set<unsigned>{0}), 1u);
  EXPECT_EQ(ServedJobsFor(fp, {scratch}, scratch, std::set<unsigned>{0, 1, 2, 3, 200}), 4u) << "CPUs the node lacks do not count";
  EXPECT_EQ(ServedJobsFor(fp, targets, targets[0], std::set<unsigned>{32, 33}), 1u) << "none of the drive's socket: still one job";
  ASSERT_TRUE(ThisProcessCpus());
  EXPECT_EQ(ThisProcessCpus()->size(), static_cast<size_t>(sysconf(_SC_NPROCESSORS_ONLN)));

  StorageOptions o;
  o.served_engine = "/opt/shapeq/lib/shapeq_datapath.so";
  o.ec_k = 8;
  o.ec_m = 2;
  const std::string read = FioJobFile(Kernel("served_read"), {targets[0]}, o, 32, 64, 4, {5});
  EXPECT_NE(read.find("[global]\nioengine=external:/opt/shapeq/lib/shapeq_datapath.so\ndatapath=crc\ndirect=1\nrw=read\nbs=1M\n"), std::string::npos) << read;
  EXPECT_EQ(read.find("k="), std::string::npos) << "reads only checksum";
  EXPECT_EQ(read.find("\nnumjobs=1\n"), std::string::npos) << "jobs are per target: " << read;
  // Five jobs, each its own whole-MiB slice of the drive, on the drive's socket.
  const uint64_t slice = targets[0].size_bytes / 5 / (1 << 20) * (1 << 20);
  EXPECT_NE(read.find("[served_read@nvme0n1]\nfilename=/dev/nvme0n1\nnumjobs=5\nsize=" + std::to_string(slice) + "\noffset_increment=" +
                      std::to_string(slice) + "\ncpus_allowed=0-31,64-95\n"), std::string::npos) << read;
  const std::string write = FioJobFile(Kernel("served_write"), {targets[0]}, o, 32, 64, 4, {5});
  EXPECT_NE(write.find("datapath=ec\nk=8\nm=2\n"), std::string::npos) << write;
  o.force_async = true;
  EXPECT_NE(FioJobFile(Kernel("served_read"), {targets[0]}, o, 32, 64, 4, {5}).find("force_async=1\n"), std::string::npos);
  EXPECT_NE(FioJobFile(Kernel("seq_read"), {targets[0]}, o, 32, 64, 4).find("ioengine=io_uring\nforce_async=1\n"), std::string::npos);
  o.ioengine = "libaio";
  EXPECT_EQ(FioJobFile(Kernel("seq_read"), {targets[0]}, o, 32, 64, 4).find("force_async"), std::string::npos) << "io_uring's option only";

  // The engine's path is checked like every value reaching a job file, and k+m like fio would.
  StorageOptions hostile = o;
  hostile.served_engine = "/tmp/x.so\nexec_prerun=touch /tmp/pwned";
  EXPECT_THROW(FioJobFile(Kernel("served_read"), {targets[0]}, hostile, 32, 64, 4, {1}), Error);
  hostile.served_engine = "/tmp/a.so:/tmp/b";
  EXPECT_THROW(ValidateStorageOptions(hostile), Error);
  StorageOptions half = o;
  half.ec_m = 0;
  try {
    ValidateStorageOptions(half);
    ADD_FAILURE() << "ec_k without ec_m was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("ec_k, ec_m"), std::string::npos) << e.what();
  }
  half.ec_k = 200;
  half.ec_m = 60;
  EXPECT_THROW(ValidateStorageOptions(half), Error) << "k + m over 255 does not fit GF(2^8)";
}

TEST(StoragePlan, WithoutTheEngineServedKernelsAreSkippedSayingWhyAndTheRawOnesRun) {
  const Fingerprint fp = DenseServer();
  StorageTarget scratch{"/tmp/x.dat", "scratch", false, 1ull << 30, "", false, "", ""};
  StorageOptions o;
  o.kernels = {"seq_read", "served_read", "served_write"};
  o.ec_k = 146;
  o.ec_m = 4;
  const auto jobs = PlanStorageJobs(fp, {scratch}, o);
  ASSERT_EQ(jobs.size(), 3u);
  EXPECT_TRUE(jobs[0].skipped.empty());
  EXPECT_FALSE(jobs[0].job_file.empty());
  for (size_t i : {1u, 2u}) {
    EXPECT_TRUE(jobs[i].job_file.empty());
    EXPECT_NE(jobs[i].skipped.find("ioengine (shapeq_datapath.so) was not built"), std::string::npos) << jobs[i].skipped;
  }
  // RunStorage reports them as skipped Measurements without running fio (a missing binary
  // would be an environment error if it tried).
  o.kernels = {"served_read", "served_write"};
  o.fio = "/nonexistent/fio";
  const auto measured = RunStorage(fp, {scratch}, o);
  ASSERT_EQ(measured.size(), 2u);
  for (const auto& m : measured) {
    EXPECT_EQ(m.status, MeasurementStatus::kSkipped) << m.kernel;
    EXPECT_NE(m.reason.find("raw kernels only"), std::string::npos) << m.reason;
  }
}

}  // namespace
}  // namespace shapeq

namespace shapeq {
namespace {

// model/kernel_id.h says what each kernel measures; every kernel workloads/ runs must have its
// row there, agreeing on whether it writes and whether it is latency-bounded, or a report would
// chart it wrongly and the scorer would not find it.
TEST(KernelIds, EveryStorageKernelRunHasItsRowAndTheRowsAgree) {
  std::vector<StorageKernelSpec> all = StorageKernels();
  all.insert(all.end(), PreconditionSteps().begin(), PreconditionSteps().end());
  for (const auto& spec : all) {
    const std::string name = std::string("fio.") + spec.name;
    const KernelInfo* row = FindKernel(name);
    ASSERT_NE(row, nullptr) << name << " has no row in model/kernel_id.cc";
    EXPECT_EQ(row->writes, spec.writes) << name;
    EXPECT_EQ(row->latency_bounded, spec.latency_bounded) << name;
    EXPECT_EQ(row->served, spec.datapath != nullptr) << name;
    EXPECT_EQ(row->headline == Headline::kIops, std::string(spec.block_size) == "4k") << name;
    EXPECT_EQ(KernelShortName(row->name), spec.name);
    EXPECT_EQ(&Kernel(row->id), row) << name << ": the rows are in KernelId order";
  }
  EXPECT_EQ(FindKernel("fio.nothing"), nullptr);
  // Both preconditioning steps run once, on a node and on a fleet alike; a measuring kernel repeats.
  for (const auto& step : PreconditionSteps()) EXPECT_EQ(RunsOf(step, 3), 1u) << step.name;
  EXPECT_EQ(RunsOf(StorageKernels().front(), 3), 3u);
  EXPECT_EQ(KernelFamilyOf("datapath.crc32c"), KernelFamily::kDatapath);
  EXPECT_EQ(Kernel(*Kernel(KernelId::kServedWrite).raw_peer).name, std::string("fio.seq_write"));
}

}  // namespace
}  // namespace shapeq

namespace shapeq {
namespace {

// A storage measurement's params are every option through its table (as a plan file names them),
// with what the kernel resolved them to: a node's run and a fleet's write the same keys.
TEST(StorageParams, EveryOptionThroughItsTableWithWhatTheKernelResolved) {
  StorageOptions o;
  o.latency_percentile = 99.9;
  o.precondition = true;
  const StorageKernelSpec* k = FindKernelSpec("rand_read");
  ASSERT_NE(k, nullptr);
  const nlohmann::json params = StorageRunParams(*k, o, StorageDepths{32, 64, 4});
  for (const auto& field : StorageOptionFields()) {
    if (std::string(field.name) == "kernels" || std::string(field.name) == "iodepth") continue;  // per kernel: kernel, seq_/rand_iodepth
    EXPECT_TRUE(params.contains(field.name)) << field.name << " missing from " << params.dump();
  }
  EXPECT_EQ(params["kernel"], "rand_read");
  EXPECT_EQ(params["latency_percentile"], 99.9);
  EXPECT_EQ(params["precondition"], true);
  EXPECT_EQ(params["seq_iodepth"], 32);
  EXPECT_EQ(params["rand_iodepth"], 64);
  EXPECT_EQ(params["numjobs"], 4);
  EXPECT_FALSE(params.contains("kernels"));
}

}  // namespace
}  // namespace shapeq
