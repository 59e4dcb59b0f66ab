// Block-device usage on small captured-style trees: the cases the shape fixtures do not cover.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "probes/block_usage.h"

namespace shapeq {
namespace {

namespace fs = std::filesystem;

class BlockUsageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("shapeq-block-" + std::to_string(::getpid()) + "-" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    // sdb: one partition, sdb1, under LUKS (dm-3, named "crypt-data").
    Write("sys/class/block/sdb/dev", "8:16");
    Write("sys/class/block/sdb/size", "3907029168");
    Write("sys/class/block/sdb/queue/rotational", "1");
    Write("sys/class/block/sdb/device/model", "ST2000NM0055");
    fs::create_directories(root_ / "sys/class/block/sdb/holders");
    Write("sys/class/block/sdb/sdb1/partition", "1");
    Write("sys/class/block/sdb/sdb1/dev", "8:17");
    fs::create_directories(root_ / "sys/class/block/sdb/sdb1/holders/dm-3");
    Write("sys/class/block/dm-3/dev", "253:3");
    Write("sys/class/block/dm-3/dm/name", "crypt-data");
    fs::create_directories(root_ / "sys/class/block/dm-3/holders");
  }
  void TearDown() override { fs::remove_all(root_); }

  void Write(const std::string& path, const std::string& text) {
    fs::create_directories((root_ / path).parent_path());
    std::ofstream(root_ / path) << text << "\n";
  }

  Drive Read() {
    Drive drive;
    drive.name = "sdb";
    ReadBlockUsage(SysRoot(root_), drive);
    return drive;
  }

  fs::path root_;
};

TEST_F(BlockUsageTest, MountThroughDmCryptByDeviceNumberWithEscapedBlank) {
  Write("proc/self/mountinfo", "30 1 253:3 / /srv/my\\040data rw,relatime - xfs /dev/mapper/crypt-data rw");
  const Drive d = Read();
  EXPECT_TRUE(d.partitioned);
  EXPECT_EQ(d.holders, std::vector<std::string>{"dm-3"});
  EXPECT_TRUE(d.held);
  EXPECT_TRUE(d.mounted);
  EXPECT_EQ(d.mountpoints, std::vector<std::string>{"/srv/my data"});
  EXPECT_FALSE(d.system_disk);
  EXPECT_EQ(d.capacity_bytes, 3907029168ULL * 512);
  EXPECT_EQ(d.rotational, std::optional<bool>(true));
  EXPECT_EQ(d.model, "ST2000NM0055");
}

TEST_F(BlockUsageTest, MountsTableByMapperNameWhenNoMountinfo) {
  Write("proc/mounts", "/dev/mapper/crypt-data /var xfs rw 0 0\n/dev/sda1 / ext4 rw 0 0");
  const Drive d = Read();
  EXPECT_EQ(d.mountpoints, std::vector<std::string>{"/var"});
  EXPECT_TRUE(d.system_disk) << "/var is a system mount";
}

TEST_F(BlockUsageTest, SwapOnAPartitionHoldsTheDisk) {
  fs::remove_all(root_ / "sys/class/block/sdb/sdb1/holders/dm-3");
  Write("proc/swaps", "Filename\tType\tSize\tUsed\tPriority\n/dev/sdb1\tpartition\t8388604\t0\t-2");
  const Drive d = Read();
  EXPECT_TRUE(d.holders.empty());
  EXPECT_TRUE(d.held);
  EXPECT_FALSE(d.mounted);
}

TEST_F(BlockUsageTest, UnusedWhenNothingRefersToIt) {
  fs::remove_all(root_ / "sys/class/block/sdb/sdb1");
  Write("proc/self/mountinfo", "27 1 254:0 / / rw - ext4 /dev/vda rw");
  const Drive d = Read();
  EXPECT_FALSE(d.partitioned || d.mounted || d.held || d.system_disk);
}

}  // namespace
}  // namespace shapeq
