// A measured shape from a probed fingerprint, and how it scores beside its catalog twin.
#include <gtest/gtest.h>

#include <algorithm>

#include "common/error.h"
#include "model/served.h"
#include "probes/probe.h"
#include "scoring/catalog.h"
#include "scoring/measured_shape.h"
#include "scoring/scorer.h"
#include "tests/test_support.h"

namespace shapeq {
namespace {

Fingerprint FixtureFingerprint(const std::string& name) { return test::ProbeFixtureShape(name); }

const Shape& Named(const std::vector<Shape>& shapes, const std::string& name) {
  return *std::find_if(shapes.begin(), shapes.end(), [&](const Shape& s) { return s.name == name; });
}

TEST(MeasuredShape, DenseServerFromItsFingerprint) {
  const Catalog catalog = LoadCatalog(SHAPEQ_PROFILES);
  const Shape& rated = Named(catalog.shapes, "onprem-dense-1u-61tb");
  const Shape measured = ShapeFromFingerprint(FixtureFingerprint("onprem-dense-1u"), "r/fingerprint.json", &rated);
  EXPECT_EQ(measured.name, "measured-onprem-dense-1u");
  EXPECT_EQ(measured.kind, "on-prem");
  EXPECT_EQ(*measured.drive_count.value, 22) << "23 drives less the boot drive";
  EXPECT_EQ(measured.drive_count.basis, Basis::kMeasured);
  EXPECT_DOUBLE_EQ(*measured.drive_capacity_bytes.value, 61.44e12);
  EXPECT_EQ(*measured.nic_gbps.value, 800) << "2 x 400 GbE; the 1 GbE management port carries no data";
  EXPECT_EQ(measured.nic_gbps.basis, rated.nic_gbps.basis) << "the twin's NIC, labelled as the catalog labels it (estimated)";
  EXPECT_EQ(*measured.cores.value, 128);
  EXPECT_FALSE(measured.read_bytes_per_s.known());
  // Borrowed from the catalog, and said so.
  EXPECT_EQ(*measured.watts.value, *rated.watts.value);
  EXPECT_EQ(measured.watts.source.rfind("catalog:", 0), 0u);
  EXPECT_TRUE(measured.sources.count(measured.watts.source));
  // Same drives, same NICs: the same number of nodes for an exabyte.
  const Target& eb = *std::find_if(catalog.targets.begin(), catalog.targets.end(), [](const Target& t) { return t.name == "reference-1eb"; });
  EXPECT_EQ(Score(measured, eb, catalog.model).nodes, Score(rated, eb, catalog.model).nodes);
}

TEST(MeasuredShape, SystemDisksAreNotDataDrives) {
  const Shape measured = ShapeFromFingerprint(FixtureFingerprint("gpu-8x-h100"), "r/fingerprint.json", nullptr);
  EXPECT_EQ(*measured.drive_count.value, 8) << "the md0 boot mirror is not storage";
  EXPECT_NEAR(*measured.drive_capacity_bytes.value, 3.840755982336e12, 1);
  EXPECT_EQ(*measured.nic_gbps.value, 8 * 400 + 2 * 200);
  EXPECT_FALSE(measured.watts.known());
  EXPECT_NE(measured.watts.note.find("--rated"), std::string::npos);
  EXPECT_EQ(measured.protection, "ec-146+4");
}

Measurement StorageRun(const std::string& kernel, int drives, double bytes_per_s, double iops, bool raw = true) {
  Measurement m;
  m.kernel = kernel;
  nlohmann::json targets = nlohmann::json::array();
  for (int i = 0; i < drives; ++i) targets.push_back(raw ? "/dev/nvme" + std::to_string(i) + "n1" : "/tmp/scratch.dat");
  m.params = {{"targets", targets}};
  m.bytes_per_s = bytes_per_s;
  m.iops = iops;
  return m;
}

TEST(MeasuredShape, StorageKernelsBecomeTheDriveFigures) {
  const Fingerprint fp = FixtureFingerprint("onprem-dense-1u");
  Shape shape = ShapeFromFingerprint(fp, "r/fingerprint.json", nullptr);
  const std::vector<Measurement> storage = {
      StorageRun("fio.seq_read", 1, 7e9, 7e3),         // one drive alone...
      StorageRun("fio.seq_read", 22, 150e9, 150e3),    // ...and all 22 at once: this one counts
      StorageRun("fio.seq_write", 11, 30e9, 30e3),     // half of them: not scaled up unless asked
      StorageRun("fio.rand_read", 1, 4e9, 1e6, false), // a scratch file: ignored
  };
  ApplyStorageMeasurements(shape, fp, storage, "r/storage.json");
  EXPECT_DOUBLE_EQ(*shape.read_bytes_per_s.value, 150e9);
  EXPECT_EQ(shape.read_bytes_per_s.basis, Basis::kMeasured);
  EXPECT_FALSE(shape.write_bytes_per_s.known()) << "11 of 22 drives say nothing sure of 22: drives do not add up linearly";
  EXPECT_NE(shape.write_bytes_per_s.note.find("fio.seq_write on 11 of 22 drives (30 GB/s): not scaled up"), std::string::npos)
      << shape.write_bytes_per_s.note;
  EXPECT_FALSE(shape.read_iops.known()) << "a scratch file says nothing of the data drives";
  EXPECT_EQ(shape.read_bytes_per_s.source, "storage");
  EXPECT_EQ(shape.sources.at("storage"), "shapeq storage (r/storage.json)");

  // Asked for, the subset is scaled up, and marked derived.
  Shape scaled = ShapeFromFingerprint(fp, "r/fingerprint.json", nullptr);
  ApplyStorageMeasurements(scaled, fp, storage, "r/storage.json", true);
  EXPECT_DOUBLE_EQ(*scaled.write_bytes_per_s.value, 60e9);
  EXPECT_EQ(scaled.write_bytes_per_s.basis, Basis::kDerived);
  EXPECT_NE(scaled.write_bytes_per_s.note.find("--scale-from-subset"), std::string::npos);
}

TEST(MeasuredShape, LoopDevicesCountOnlyWhenMeasuredAndMdDmNever) {
  Fingerprint fp;
  fp.source.hostname = "lab";
  auto drive = [](const char* name, const char* kind, uint64_t bytes) {
    Drive d;
    d.name = name;
    d.kind = kind;
    d.capacity_bytes = bytes;
    return d;
  };
  fp.drives = {drive("vda", "virtio", 256e9), drive("loop0", "loop", 1e9), drive("loop1", "loop", 1e9), drive("md0", "md", 2e9)};
  fp.drives[0].system_disk = true;
  Shape shape = ShapeFromFingerprint(fp, "r/fingerprint.json", nullptr);
  EXPECT_FALSE(shape.drive_count.known()) << "a loop device is a file on another drive, an md device is built on drives";
  Measurement both;
  both.kernel = "fio.seq_read";
  both.status = MeasurementStatus::kOk;
  both.params = {{"targets", {"/dev/loop0", "/dev/loop1"}}};
  both.bytes_per_s = 2e9;
  ApplyStorageMeasurements(shape, fp, {both}, "r/storage.json");
  ASSERT_TRUE(shape.drive_count.known());
  EXPECT_EQ(*shape.drive_count.value, 2);
  EXPECT_EQ(*shape.drive_capacity_bytes.value, 1e9);
  EXPECT_EQ(*shape.read_bytes_per_s.value, 2e9);
  EXPECT_EQ(shape.read_bytes_per_s.basis, Basis::kMeasured);
  EXPECT_EQ(NotDataDriveReason(fp.drives[3]), "built on other drives (md)");
  EXPECT_EQ(NotDataDriveReason(fp.drives[0]), "system disk");
  EXPECT_EQ(NotDataDriveReason(fp.drives[1]), "");
}

TEST(MeasuredShape, ANetworkRunToAPeerIsTheNicFigureAndLoopbackIsNot) {
  const Catalog catalog = LoadCatalog(SHAPEQ_PROFILES);
  const Fingerprint fp = FixtureFingerprint("onprem-dense-1u");
  Measurement net;
  net.kernel = "net.tcp";
  net.status = MeasurementStatus::kOk;
  net.bytes_per_s = 2e9 / 8;
  net.params = {{"direction", "both"}};
  net.target = "127.0.0.1:5201";
  Shape shape = ShapeFromFingerprint(fp, "r/fingerprint.json", nullptr);
  const Figure before = shape.nic_gbps;
  ApplyNetworkMeasurement(shape, net, "r/network.json");
  EXPECT_EQ(shape.nic_gbps.value, before.value) << "loopback measures the TCP stack, not the network";
  EXPECT_NE(shape.nic_gbps.note.find("loopback only"), std::string::npos);
  net.target = "10.77.0.2:5201";
  ApplyNetworkMeasurement(shape, net, "r/network.json");
  EXPECT_DOUBLE_EQ(*shape.nic_gbps.value, 2.0);
  EXPECT_EQ(shape.nic_gbps.basis, Basis::kMeasured);
  EXPECT_NE(shape.nic_gbps.note.find("TCP to 10.77.0.2:5201, direction both"), std::string::npos) << shape.nic_gbps.note;
  // With a rated twin, the rated NIC is the catalog's, not the driver's link rate.
  const auto twin = std::find_if(catalog.shapes.begin(), catalog.shapes.end(), [](const Shape& s) { return s.name == "azure-l96s-v4"; });
  ASSERT_NE(twin, catalog.shapes.end());
  const Shape as_twin = ShapeFromFingerprint(fp, "r/fingerprint.json", &*twin);
  EXPECT_EQ(as_twin.nic_gbps.value, twin->nic_gbps.value);
  EXPECT_EQ(as_twin.nic_gbps.source.rfind("catalog:", 0), 0u);
  EXPECT_NE(as_twin.nic_gbps.note.find("the driver reports"), std::string::npos) << as_twin.nic_gbps.note;
}

// lat_read's IOPS (p99 under the bound) are the read_iops a latency target needs, with their p99;
// the data path's measured encode + CRC cost is the shape's CPU figure.
TEST(MeasuredShape, LatencyBoundedIopsAndTheDataPathCostAreMeasuredFigures) {
  const Fingerprint fp = FixtureFingerprint("onprem-dense-1u");
  Shape shape = ShapeFromFingerprint(fp, "r/fingerprint.json", nullptr);
  auto with_p99 = [](Measurement m, double p99_s) {
    m.status = MeasurementStatus::kOk;
    m.detail["repeats"] = nlohmann::json::array({{{"read", {{"iops", *m.iops}, {"clat_percentiles_s", {{"p99", p99_s}}}}}}});
    return m;
  };
  ApplyStorageMeasurements(shape, fp, {with_p99(StorageRun("fio.rand_read", 22, 80e9, 20e6), 12.6e-3),
                                       with_p99(StorageRun("fio.lat_read", 22, 1e9, 264e3 * 22), 0.73e-3)}, "r/storage.json");
  EXPECT_DOUBLE_EQ(*shape.read_iops.value, 264e3 * 22);
  EXPECT_DOUBLE_EQ(*shape.read_p99_latency_s.value, 0.73e-3);
  EXPECT_EQ(shape.read_p99_latency_s.basis, Basis::kMeasured);

  auto datapath = [](const char* kernel, double bytes_per_s) {
    Measurement m;
    m.kernel = kernel;
    m.status = MeasurementStatus::kOk;
    m.bytes_per_s = bytes_per_s;
    return m;
  };
  ApplyDatapathMeasurements(shape, {datapath("datapath.crc32c", 20e9), datapath("datapath.ec_encode_146+4", 4e9),
                                    datapath("datapath.ec_encode_8+2", 8e9)}, "r/datapath.json");
  ASSERT_EQ(shape.protection, "ec-146+4");
  EXPECT_DOUBLE_EQ(*shape.cores_per_gbytes_per_s.value, 1 / 4.0 + 1 / 20.0);
  EXPECT_EQ(shape.cores_per_gbytes_per_s.basis, Basis::kMeasured);
  Shape lrc = shape;
  lrc.protection = "lrc-12+2+2";
  lrc.cores_per_gbytes_per_s = Figure{};
  ApplyDatapathMeasurements(lrc, {datapath("datapath.crc32c", 20e9)}, "r/datapath.json");
  EXPECT_FALSE(lrc.cores_per_gbytes_per_s.known());
  EXPECT_NE(lrc.cores_per_gbytes_per_s.note.find("did not measure"), std::string::npos);
}

TEST(MeasuredShape, MatchesTheCatalogByDmiInstanceType) {
  const Catalog catalog = LoadCatalog(SHAPEQ_PROFILES);
  Fingerprint fp;
  fp.cloud.instance_type_hint = "i7ie.48xlarge";
  const Shape* match = MatchCatalogShape(fp, catalog.shapes);
  ASSERT_NE(match, nullptr);
  EXPECT_EQ(match->name, "aws-i7ie-48xlarge");
  fp.cloud.instance_type_hint = "";
  EXPECT_EQ(MatchCatalogShape(fp, catalog.shapes), nullptr);
  fp.cloud.instance_type_hint = "m5.large";
  EXPECT_EQ(MatchCatalogShape(fp, catalog.shapes), nullptr);
}

TEST(MeasuredShape, NoDataDrivesCannotBeScoredAndSaysWhatToSupply) {
  const Catalog catalog = LoadCatalog(SHAPEQ_PROFILES);
  const Fingerprint vm = Probe({.topology_xml = std::string(SHAPEQ_FIXTURES) + "/captured/this-vm.xml", .sysfs_root = SHAPEQ_CAPTURED_ROOT});
  const Shape measured = ShapeFromFingerprint(vm, "results/x/fingerprint.json", nullptr);
  try {
    Score(measured, catalog.targets[0], catalog.model);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::kBadInput);
    const std::string what = e.what();
    EXPECT_NE(what.find("results/x/fingerprint.json: drive_count unknown (no data drives"), std::string::npos) << what;
    EXPECT_NE(what.find("--set measured-vm.drive_count=VALUE"), std::string::npos) << what;
  }
}


TEST(MeasuredShape, ServedFiguresAreTheNodesWithTheDrivesAloneBesideThemAndTheCoresNamedWhenTheyLimit) {
  const Fingerprint fp = FixtureFingerprint("onprem-dense-1u");
  Shape shape = ShapeFromFingerprint(fp, "r/fingerprint.json", nullptr);
  ApplyStorageMeasurements(shape, fp, {StorageRun("fio.seq_read", 22, 150e9, 150e3), StorageRun("fio.served_read", 22, 80e9, 80e3),
                                       StorageRun("fio.seq_write", 22, 60e9, 60e3), StorageRun("fio.served_write", 22, 57e9, 57e3)},
                           "r/storage.json");
  EXPECT_DOUBLE_EQ(*shape.read_bytes_per_s.value, 80e9) << "what the node serves, not what its drives can";
  EXPECT_EQ(shape.read_bytes_per_s.basis, Basis::kMeasured);
  EXPECT_NE(shape.read_bytes_per_s.note.find("fio.served_read on all 22 drives"), std::string::npos) << shape.read_bytes_per_s.note;
  EXPECT_NE(shape.read_bytes_per_s.note.find("the drives alone (fio.seq_read) 150 GB/s: data-path tax 47%"), std::string::npos)
      << shape.read_bytes_per_s.note;
  EXPECT_DOUBLE_EQ(*shape.raw_read_bytes_per_s.value, 150e9);
  EXPECT_DOUBLE_EQ(*shape.write_bytes_per_s.value, 57e9);
  EXPECT_DOUBLE_EQ(*shape.raw_write_bytes_per_s.value, 60e9);

  // Serving at 53% of the drives is the cores' doing; at 95%, the drives' (within the noise).
  EXPECT_EQ(ServedBound(shape.read_bytes_per_s, shape.raw_read_bytes_per_s), Bound::kCores);
  EXPECT_EQ(ServedBound(shape.write_bytes_per_s, shape.raw_write_bytes_per_s), Bound::kDrives);
  EXPECT_EQ(ServedBound(shape.read_bytes_per_s, Figure{}), Bound::kDrives) << "a figure with nothing to compare is the drives'";
  const Catalog catalog = LoadCatalog(SHAPEQ_PROFILES);
  Target fast;
  fast.name = "fast";
  fast.usable_bytes = 1e18;
  fast.read_bytes_per_s = 40e12;
  fast.max_racks = 5;
  SetShapeFigure(shape, "watts", 900);  // a rack holds so many nodes: the cap on nodes levers need
  SetShapeFigure(shape, "rack_units", 1);
  const Verdict v = Score(shape, fast, catalog.model);
  EXPECT_EQ(v.per_node.read_bytes_per_s.bound, Bound::kCores) << "80 GB/s served, under the NIC's 90 GB/s payload";
  EXPECT_EQ(v.per_node.write_bytes_per_s.bound, Bound::kDrives);
  const auto cores = std::find_if(v.levers.begin(), v.levers.end(), [](const Lever& l) { return l.field == "cores" && l.why == "read"; });
  ASSERT_NE(cores, v.levers.end()) << "cores-bound serving: more cores is a way to pass";
  EXPECT_GT(cores->value, 128);

  // Without a served run the raw figure is the node's, as before, and nothing is beside it.
  Shape raw_only = ShapeFromFingerprint(fp, "r/fingerprint.json", nullptr);
  ApplyStorageMeasurements(raw_only, fp, {StorageRun("fio.seq_read", 22, 150e9, 150e3)}, "r/storage.json");
  EXPECT_DOUBLE_EQ(*raw_only.read_bytes_per_s.value, 150e9);
  EXPECT_FALSE(raw_only.raw_read_bytes_per_s.known());
}

TEST(ServedComparison, ServedAgainstMinOfDrivesAndCoresTimesThePerCoreRate) {
  auto run = [](const char* kernel, double bytes_per_s, double cores_busy, const char* ec = nullptr) {
    Measurement m = StorageRun(kernel, 2, bytes_per_s, 0);
    m.cpu_cores_busy = cores_busy;
    if (ec) m.params["ec"] = ec;
    return m;
  };
  auto one_core = [](const char* kernel, double bytes_per_s) {
    Measurement m;
    m.kernel = kernel;
    m.bytes_per_s = bytes_per_s;
    return m;
  };
  const std::vector<Measurement> datapath = {one_core("datapath.crc32c", 20e9), one_core("datapath.ec_encode_8+2", 5e9)};
  // Drive-bound read: 2 cores x 20 GB/s is far above the drives' 10 GB/s.
  auto read = CompareServed({run("fio.seq_read", 10e9, 0.1), run("fio.served_read", 9.5e9, 0.6)}, datapath, 2);
  ASSERT_EQ(read.size(), 1u);
  EXPECT_DOUBLE_EQ(*read[0].predicted_bytes_per_s, 10e9);
  EXPECT_NEAR(*read[0].Tax(), 0.05, 1e-12);
  EXPECT_NEAR(*read[0].PerBusyCore(), 9.5e9 / 0.6, 1);
  EXPECT_FALSE(read[0].Disagrees());
  EXPECT_NE(read[0].prediction_note.find("drive-bound"), std::string::npos) << read[0].prediction_note;
  // Cores-bound write: 2 x 1 / (1/5 + 1/20) = 8 GB/s under the drives' 12; serving 5 GB/s is
  // 37.5% under the prediction, beyond the noise: flagged.
  auto write = CompareServed({run("fio.seq_write", 12e9, 0.1), run("fio.served_write", 5e9, 2, "8+2")}, datapath, 2);
  ASSERT_EQ(write.size(), 1u);
  EXPECT_DOUBLE_EQ(*write[0].per_core_bytes_per_s, 4e9);
  EXPECT_DOUBLE_EQ(*write[0].predicted_bytes_per_s, 8e9);
  EXPECT_NE(write[0].prediction_note.find("cores-bound"), std::string::npos);
  EXPECT_TRUE(write[0].Disagrees());
  EXPECT_EQ(write[0].datapath, "EC 8+2 + CRC-32C");
  // A code the data-path kernels did not measure, or a raw run on other targets: no prediction,
  // saying why.
  auto unmeasured = CompareServed({run("fio.seq_write", 12e9, 0.1), run("fio.served_write", 5e9, 2, "12+4")}, datapath, 2);
  EXPECT_FALSE(unmeasured[0].predicted_bytes_per_s);
  EXPECT_NE(unmeasured[0].prediction_note.find("datapath.ec_encode_12+4"), std::string::npos);
  Measurement elsewhere = StorageRun("fio.seq_read", 1, 10e9, 0);
  auto other_targets = CompareServed({elsewhere, run("fio.served_read", 9e9, 1)}, datapath, 2);
  EXPECT_FALSE(other_targets[0].raw_bytes_per_s);
  EXPECT_NE(other_targets[0].prediction_note.find("same targets"), std::string::npos);
}

}  // namespace
}  // namespace shapeq
