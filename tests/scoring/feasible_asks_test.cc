// Asks someone can build: every hint the catalog's verdicts offer stays within its field's
// physical bounds; the ones that do not are said, with why; more drives bring their watts and price.
#include <gtest/gtest.h>

#include <algorithm>

#include "scoring/family_asks.h"
#include "scoring/field_bounds.h"
#include "scoring/score_matrix.h"
#include "tests/scoring/shipped_catalog.h"

namespace shapeq {
namespace {

TEST(FeasibleAsks, NoHintTheCatalogOffersIsOutsideItsBounds) {
  const Catalog& c = test::Shipped();
  ASSERT_TRUE(c.model.largest_drive_bytes);
  EXPECT_DOUBLE_EQ(*c.model.largest_drive_bytes, 122.88e12) << "the parts catalog's largest drive";
  size_t offered = 0, refused = 0;
  for (const auto& pair : ScoreAll(c.shapes, c.targets, c.model)) {
    const Verdict& v = pair.verdict;
    for (const auto* levers : {&v.levers, &v.levers_together}) {
      for (const auto& lever : *levers) {
        ++offered;
        const AskCheck check = CheckAsk(*pair.shape, c.model, lever);
        EXPECT_TRUE(check.feasible) << v.shape << " x " << v.target << ": " << lever.field << " " << lever.value << ": " << check.why;
      }
    }
    for (const auto& lever : v.infeasible) {
      ++refused;
      EXPECT_FALSE(lever.bound.empty());
      EXPECT_FALSE(CheckAsk(*pair.shape, c.model, lever).feasible);
    }
  }
  EXPECT_GT(offered, 20u);
  EXPECT_GT(refused, 5u);
}

// The issue's own examples: L80s_v3 for the AI lab would need 31.7 W, under what its ten drives
// and 80 vCPUs draw; a 126 TB drive is larger than any in the parts catalog; Azure offers a
// deployment 3 fault domains, AWS 7; a rack cannot take 315 kW in the air-cooled model.
TEST(FeasibleAsks, WhatNoOneCanBuildIsSaidWithWhy) {
  const Catalog& c = test::Shipped();
  const Shape& l80 = *FindShape(c.shapes, "azure-l80s-v3");
  const Verdict v = Score(l80, *FindTarget(c.targets, "ai-lab-1eb"), c.model);
  const auto watts = std::find_if(v.infeasible.begin(), v.infeasible.end(), [](const Lever& l) { return l.field == "watts"; });
  ASSERT_NE(watts, v.infeasible.end());
  EXPECT_NE(watts->bound.find("below the 10 drives' and 80 cores' own draw (130 W"), std::string::npos) << watts->bound;
  EXPECT_TRUE(std::none_of(v.levers.begin(), v.levers.end(), [](const Lever& l) { return l.field == "watts"; }));

  EXPECT_FALSE(CheckAsk(l80, c.model, {"drive_capacity_tb", ">=", 126, "capacity"}).feasible);
  EXPECT_TRUE(CheckAsk(l80, c.model, {"drive_capacity_tb", ">=", 122.88, "capacity"}).feasible);
  EXPECT_FALSE(CheckAsk(l80, c.model, {"cloud_fault_domains", ">=", 38, "rack_loss"}).feasible);
  EXPECT_TRUE(CheckAsk(l80, c.model, {"cloud_fault_domains", ">=", 3, "rack_loss"}).feasible);
  EXPECT_FALSE(CheckAsk(*FindShape(c.shapes, "aws-i7ie-48xlarge"), c.model, {"cloud_fault_domains", ">=", 8, "rack_loss"}).feasible);
  EXPECT_TRUE(CheckAsk(*FindShape(c.shapes, "aws-i7ie-48xlarge"), c.model, {"cloud_fault_domains", ">=", 7, "rack_loss"}).feasible);
  EXPECT_FALSE(CheckAsk(l80, c.model, {"kw_per_rack", ">=", 315, "racks"}).feasible);
  EXPECT_FALSE(CheckAsk(l80, c.model, {"rack_units", "<=", 0.203, "racks"}).feasible) << "L80s_v3 takes a whole 1U host";
  const Shape& dense = *FindShape(c.shapes, "onprem-dense-1u-122tb");
  EXPECT_FALSE(CheckAsk(dense, c.model, {"rack_units", "<=", 0.5, "racks"}).feasible);
  // 22 drives at PCIe 5.0 x4 (15.75 GB/s) carry at most 346.6 GB/s.
  EXPECT_FALSE(CheckAsk(dense, c.model, {"read_gbytes_per_s", ">=", 347, "read"}).feasible);
  EXPECT_TRUE(CheckAsk(dense, c.model, {"read_gbytes_per_s", ">=", 346, "read"}).feasible);
}

// An ask for more drives of today's size brings each drive's 25 W and its price.
TEST(FeasibleAsks, MoreDrivesBringTheirWattsAndPrice) {
  const Catalog& c = test::Shipped();
  Shape dense = *FindShape(c.shapes, "onprem-dense-1u-61tb");
  Target one_eb = *FindTarget(c.targets, "ai-lab-1eb");
  one_eb.max_racks = 20;
  Model model = c.model;
  model.kw_per_rack = 100;  // space binds, so more drives a node fit in fewer racks
  size_t checked = 0;
  for (const auto& family : AskFamily(dense, {one_eb}, model)) {
    for (const auto& ask : family.asks) {
      if (!ask.as_more_drives) continue;
      const auto count = std::find_if(ask.levers.begin(), ask.levers.end(), [](const Lever& l) { return l.field == "drive_count"; });
      const auto watts = std::find_if(ask.levers.begin(), ask.levers.end(), [](const Lever& l) { return l.field == "watts"; });
      const auto capex = std::find_if(ask.levers.begin(), ask.levers.end(), [](const Lever& l) { return l.field == "capex_usd"; });
      ASSERT_NE(count, ask.levers.end());
      ASSERT_NE(watts, ask.levers.end());
      ASSERT_NE(capex, ask.levers.end());
      const double added = count->value - 22;
      EXPECT_GT(added, 0);
      EXPECT_DOUBLE_EQ(watts->value, 950 + added * kDriveActiveWatts);
      EXPECT_DOUBLE_EQ(capex->value, 22250 + added * 465.9);
      ++checked;
    }
  }
  EXPECT_GT(checked, 0u) << "the dense node asked for more drives";
}

}  // namespace
}  // namespace shapeq
