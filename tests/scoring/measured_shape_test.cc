// A measured shape from a probed fingerprint, and how it scores beside its catalog twin.
#include <gtest/gtest.h>

#include "common/error.h"
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
  EXPECT_EQ(measured.nic_gbps.basis, Basis::kRated);
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
  Shape shape = ShapeFromFingerprint(FixtureFingerprint("onprem-dense-1u"), "r/fingerprint.json", nullptr);
  const std::vector<Measurement> storage = {
      StorageRun("fio.seq_read", 1, 7e9, 7e3),         // one drive alone...
      StorageRun("fio.seq_read", 22, 150e9, 150e3),    // ...and all 22 at once: this one counts
      StorageRun("fio.seq_write", 11, 30e9, 30e3),     // half of them: scaled to 22, derived
      StorageRun("fio.rand_read", 1, 4e9, 1e6, false), // a scratch file: ignored
  };
  ApplyStorageMeasurements(shape, storage, "r/storage.json");
  EXPECT_DOUBLE_EQ(*shape.read_bytes_per_s.value, 150e9);
  EXPECT_EQ(shape.read_bytes_per_s.basis, Basis::kMeasured);
  EXPECT_DOUBLE_EQ(*shape.write_bytes_per_s.value, 60e9);
  EXPECT_EQ(shape.write_bytes_per_s.basis, Basis::kDerived);
  EXPECT_FALSE(shape.read_iops.known()) << "a scratch file says nothing of the data drives";
  EXPECT_EQ(shape.read_bytes_per_s.source, "storage");
  EXPECT_EQ(shape.sources.at("storage"), "shapeq storage (r/storage.json)");
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

}  // namespace
}  // namespace shapeq
