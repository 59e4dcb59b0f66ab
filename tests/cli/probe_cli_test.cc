// The shapeq binary: bad input gets one line on stderr and a documented exit code.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "common/error.h"
#include "common/subprocess.h"
#include "probes/probe.h"
#include "tests/test_support.h"

namespace shapeq {
namespace {

namespace fs = std::filesystem;

using test::Shapeq;

std::string Fixture(const std::string& path) { return std::string(SHAPEQ_FIXTURES) + "/" + path; }

class ProbeCliBadInput : public ::testing::Test {
 protected:

  std::string File(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return (dir_ / name).string();
  }

  void ExpectOneLineError(const std::vector<std::string>& args, ExitCode code, const std::string& names) {
    test::ExpectOneLineError(Shapeq(args), code, names);
  }

  test::TempDir temp_{"shapeq-cli"};
  const fs::path& dir_ = temp_.path();
};

TEST_F(ProbeCliBadInput, MissingTopology) {
  ExpectOneLineError({"probe", "--topology", (dir_ / "nope.xml").string()}, ExitCode::kBadInput, "nope.xml: no such file");
}

TEST_F(ProbeCliBadInput, EmptyTopology) {
  ExpectOneLineError({"probe", "--topology", File("empty.xml", "")}, ExitCode::kBadInput, "empty.xml: empty file");
}

TEST_F(ProbeCliBadInput, TruncatedTopology) {
  std::ifstream in(Fixture("shapes/onprem-dense-1u/topology.xml"));
  std::string whole((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_GT(whole.size(), 10000u);
  const std::string path = File("truncated.xml", whole.substr(0, whole.size() / 2));
  ExpectOneLineError({"probe", "--topology", path}, ExitCode::kBadInput, "truncated.xml: not a valid hwloc XML topology");
}

TEST_F(ProbeCliBadInput, XmlThatIsNotHwloc) {
  const std::string path = File("page.xml", "<?xml version=\"1.0\"?>\n<html><body>hello</body></html>\n");
  ExpectOneLineError({"probe", "--topology", path}, ExitCode::kBadInput, "page.xml: not a valid hwloc XML topology");
}

TEST_F(ProbeCliBadInput, NotXmlAtAll) {
  ExpectOneLineError({"probe", "--topology", File("binary.xml", std::string("\x7f" "ELF\x02\x01", 6))},
                     ExitCode::kBadInput, "binary.xml: not XML");
}

TEST_F(ProbeCliBadInput, DirectoryAsTopology) {
  ExpectOneLineError({"probe", "--topology", dir_.string()}, ExitCode::kBadInput, "a directory");
}

TEST_F(ProbeCliBadInput, SysfsRootMissingNotADirectoryOrNotARoot) {
  ExpectOneLineError({"probe", "--sysfs-root", (dir_ / "gone").string()}, ExitCode::kBadInput, "gone: no such directory");
  ExpectOneLineError({"probe", "--sysfs-root", File("file", "x")}, ExitCode::kBadInput, "file: not a directory");
  ExpectOneLineError({"probe", "--sysfs-root", dir_.string()}, ExitCode::kBadInput, "no sys/ directory");
}

TEST_F(ProbeCliBadInput, UnreadableSysfsRoot) {
  if (geteuid() == 0) GTEST_SKIP() << "root reads any directory; permission cannot be denied to it";
  fs::create_directories(dir_ / "locked/sys");
  fs::permissions(dir_ / "locked", fs::perms::none);
  ExpectOneLineError({"probe", "--sysfs-root", (dir_ / "locked").string()}, ExitCode::kBadInput, "cannot read");
  fs::permissions(dir_ / "locked", fs::perms::owner_all);
}

TEST_F(ProbeCliBadInput, UsageErrors) {
  ExpectOneLineError({"probe", "--no-such-option"}, ExitCode::kUsage, "--no-such-option");
  ExpectOneLineError({"probe", "--topology"}, ExitCode::kUsage, "--topology");
  ExpectOneLineError({"no-such-command"}, ExitCode::kUsage, "no-such-command");
}

TEST(ProbeCli, JsonIsTheLibrarysFingerprint) {
  const std::string dir = Fixture("shapes/onprem-dense-1u");
  const ProcessResult r = Shapeq({"probe", "--json", "--topology", dir + "/topology.xml", "--sysfs-root", dir + "/root"});
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  EXPECT_TRUE(r.stderr_text.empty());
  const nlohmann::json expected = Probe({.topology_xml = dir + "/topology.xml", .sysfs_root = dir + "/root"});
  EXPECT_EQ(nlohmann::json::parse(r.stdout_text), expected);
}

// A stray HWLOC_XMLFILE replaces what hwloc reads of "this machine": the fingerprint says so.
TEST(ProbeCli, AnEnvironmentThatRedirectsHwlocIsNamed) {
  const std::string xml = Fixture("shapes/onprem-dense-1u") + "/topology.xml";
  const ProcessResult r = RunProcess({"env", "HWLOC_XMLFILE=" + xml, SHAPEQ_BINARY, "probe", "--json", "--no-metadata"});
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  const auto fp = nlohmann::json::parse(r.stdout_text);
  EXPECT_EQ(fp["source"]["environment"], "HWLOC_XMLFILE=" + xml);
  EXPECT_NE(fp["notes"].dump().find("not a probe of this machine alone"), std::string::npos) << fp["notes"];
  const ProcessResult clean = Shapeq({"probe", "--json", "--no-metadata"});
  EXPECT_EQ(nlohmann::json::parse(clean.stdout_text)["source"]["environment"], "");
}

TEST(ProbeCli, SummaryShowsDevicesUnderTheirNumaNode) {
  const std::string dir = Fixture("shapes/onprem-dense-1u");
  const ProcessResult r = Shapeq({"probe", "--topology", dir + "/topology.xml", "--sysfs-root", dir + "/root"});
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  const std::string& text = r.stdout_text;
  const size_t numa0 = text.find("NUMA 0"), numa1 = text.find("NUMA 1");
  ASSERT_NE(numa0, std::string::npos);
  ASSERT_NE(numa1, std::string::npos);
  const size_t mlx5_0 = text.find("RDMA mlx5_0"), mlx5_1 = text.find("RDMA mlx5_1");
  EXPECT_TRUE(numa0 < mlx5_0 && mlx5_0 < numa1) << text;
  EXPECT_GT(mlx5_1, numa1) << text;
  EXPECT_NE(text.find("2 packages, 2 NUMA nodes, 64 cores, 128 threads"), std::string::npos) << text;
  EXPECT_NE(text.find("Drive nvme22n1  nvme 960 GB"), std::string::npos) << text;
  EXPECT_NE(text.find("mounted on /boot/efi,/, held (swap), system disk"), std::string::npos) << text;
  EXPECT_NE(text.find("Totals  3 NICs, 23 drives, 0 GPUs"), std::string::npos) << text;
}

TEST(ProbeCli, OutWritesTheJsonFileAtomically) {
  const fs::path out = fs::temp_directory_path() / ("shapeq-out-" + std::to_string(getpid()) + ".json");
  const std::string xml = Fixture("shapes/azure-l96s-v4/topology.xml");
  const ProcessResult r = Shapeq({"probe", "--topology", xml, "--out", out.string()});
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  std::ifstream in(out);
  const nlohmann::json written = nlohmann::json::parse(in);
  EXPECT_EQ(written["cpu"]["hardware_threads"], 96);
  EXPECT_EQ(written["drives"].size(), 12u);
  for (const auto& entry : fs::directory_iterator(out.parent_path())) {
    EXPECT_EQ(entry.path().filename().string().find(out.filename().string() + ".tmp."), std::string::npos);
  }
  fs::remove(out);
}

}  // namespace
}  // namespace shapeq
