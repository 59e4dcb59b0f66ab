// Ranges at work: each input moved alone (what decides a verdict, and where it turns) and all
// sampled together (probability of pass, percentiles), each checked against a hand computation.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "scoring/catalog.h"
#include "scoring/ranged_inputs.h"
#include "scoring/sensitivity.h"
#include "scoring/uncertainty.h"
#include "tests/scoring/shipped_catalog.h"

namespace shapeq {
namespace {

const InputEffect* Effect(const std::vector<InputEffect>& effects, const std::string& input) {
  const auto it = std::find_if(effects.begin(), effects.end(), [&](const InputEffect& e) { return e.input == input; });
  return it == effects.end() ? nullptr : &*it;
}

// The dense node for the AI lab: the drive price and the rack's power limit lead its tornado,
// and the drive price's end reproduces by hand (the drives are refreshed every drive_lifetime_years).
TEST(Sensitivity, DrivePriceAndRackPowerDecideTheDenseNodeForTheAiLab) {
  const Catalog& c = test::Shipped();
  const Shape& dense = *FindShape(c.shapes, "onprem-dense-1u-122tb");
  const Target& lab = *FindTarget(c.targets, "ai-lab-1eb");
  const std::vector<InputEffect> effects = InputEffects(dense, lab, c.model, "");
  ASSERT_GE(effects.size(), 3u);
  std::vector<std::string> top;
  for (size_t i = 0; i < 3; ++i) top.push_back(effects[i].input);
  EXPECT_NE(std::find(top.begin(), top.end(), "onprem-dense-1u-122tb.drive_price_usd"), top.end()) << top[0] << ", " << top[1];
  EXPECT_NE(std::find(top.begin(), top.end(), "model.kw_per_rack"), top.end()) << top[0] << ", " << top[1];

  const Verdict now = ScoreFigures(dense, lab, c.model);
  const InputEffect& drive = *Effect(effects, "onprem-dense-1u-122tb.drive_price_usd");
  const double months = c.model.drive_lifetime_years * 12;
  const double by_hand = *now.usd_per_pb_month + now.nodes * 22 * (drive.high - drive.value) / months / 1000;  // 1,000 PB
  EXPECT_NEAR(*drive.usd_per_pb_month_high, by_hand, 1e-6 * by_hand);
  EXPECT_NEAR(drive.high / 122.88, 45, 0.01) << "$45/TB at the range's top";
  // kW per rack moves racks, not nodes or kW: power binds the dense rack.
  const InputEffect& rack = *Effect(effects, "model.kw_per_rack");
  EXPECT_GT(*rack.racks_low, *rack.racks_high);
  EXPECT_EQ(*rack.kw_low, *rack.kw_high);
}

// A verdict that turns within a range says where, and the value printed does turn it: the
// blob HDD server's read for the AI lab rests on its 2 x 100 GbE.
TEST(Sensitivity, TheTurningPointTurnsTheVerdict) {
  const Catalog& c = test::Shipped();
  const Shape& hdd = *FindShape(c.shapes, "blob-hdd-4u90");
  const Target& lab = *FindTarget(c.targets, "ai-lab-1eb");
  ASSERT_EQ(ScoreFigures(hdd, lab, c.model).status, Status::kPass);
  const std::vector<InputEffect> effects = InputEffects(hdd, lab, c.model, "");
  const InputEffect* nic = Effect(effects, "blob-hdd-4u90.nic_gbps");
  ASSERT_TRUE(nic && nic->flips_below);
  EXPECT_TRUE(effects.front().flips()) << "turning inputs come first";
  Shape at = hdd;
  SetShapeFigure(at, "nic_gbps", *nic->flips_below);
  EXPECT_EQ(ScoreFigures(at, lab, c.model).status, Status::kFail) << *nic->flips_below;
  SetShapeFigure(at, "nic_gbps", *nic->flips_below + 1);
  EXPECT_EQ(ScoreFigures(at, lab, c.model).status, Status::kPass) << "the turn lies within the third figure";

  std::vector<Shape> shapes = {hdd};
  std::vector<Target> targets = {lab};
  std::vector<ScoredPair> pairs = ScoreAll(shapes, targets, c.model);
  EXPECT_TRUE(pairs[0].verdict.flips_within_ranges);
  EXPECT_STREQ(ShownStatus(pairs[0].verdict), "uncertain");
  EXPECT_EQ(pairs[0].verdict.status, Status::kPass) << "the status at the values is kept";
}

// With one ranged input, the probability of pass is the triangular distribution's CDF at the
// turning point: sampling checked against the formula.
TEST(Uncertainty, OneRangedInputPassesAsOftenAsItsDistributionSays) {
  const Catalog& c = test::Shipped();
  Shape dense = *FindShape(c.shapes, "onprem-dense-1u-122tb");
  for (const auto& spec : ShapeFields()) (dense.*spec.member).range.reset();
  Model model = c.model;
  model.sourced.clear();
  const double a = 20000, m = 32500, b = 60000;
  dense.capex_usd.range = Range{a, b, "test"};
  Target weather = *FindTarget(c.targets, "weather-hpc-archive");
  // A budget the node meets at capex $40,000 exactly: found by the sensitivity's own bisection.
  Shape at = dense;
  SetShapeFigure(at, "capex_usd", 40000);
  weather.budget_usd_per_pb_month = ScoreFigures(at, weather, model).usd_per_pb_month;
  const std::vector<InputEffect> effects = InputEffects(dense, weather, model, "");
  ASSERT_EQ(effects.size(), 1u);
  ASSERT_TRUE(effects[0].flips_above);
  EXPECT_NEAR(*effects[0].flips_above, 40000, 100);
  const double x = 40000;
  const double cdf = 1 - (b - x) * (b - x) / ((b - a) * (b - m));
  const UncertaintyRun run = SampleVerdicts({dense}, {weather}, model, 20000, 7);
  ASSERT_EQ(run.spreads.size(), 1u);
  EXPECT_NEAR(run.spreads[0].pass_probability(), cdf, 0.015) << "triangular CDF " << cdf;
  // The $/PB-month is linear in capex: its P50 is the median capex's (the triangular median,
  // b - sqrt((b - a)(b - m) / 2) when the mode is below the middle).
  Shape mid = dense;
  SetShapeFigure(mid, "capex_usd", b - std::sqrt((b - a) * (b - m) / 2));
  const double p50 = *ScoreFigures(mid, weather, model).usd_per_pb_month;
  EXPECT_NEAR(run.spreads[0].usd_per_pb_month->p50, p50, 0.02 * p50);
  EXPECT_LT(run.spreads[0].usd_per_pb_month->p10, run.spreads[0].usd_per_pb_month->p50);
  EXPECT_LT(run.spreads[0].usd_per_pb_month->p50, run.spreads[0].usd_per_pb_month->p90);
}

// The same seed draws the same values; another seed others. Every verdict that nothing turns
// stays at 0 or 1; the shipped dense node passes the AI lab in every draw.
TEST(Uncertainty, SeededAndReproducible) {
  const Catalog& c = test::Shipped();
  const UncertaintyRun one = SampleVerdicts(c.shapes, c.targets, c.model, 300, 42);
  const UncertaintyRun again = SampleVerdicts(c.shapes, c.targets, c.model, 300, 42);
  const UncertaintyRun other = SampleVerdicts(c.shapes, c.targets, c.model, 300, 43);
  ASSERT_EQ(one.spreads.size(), c.shapes.size() * c.targets.size());
  bool differs = false;
  for (size_t i = 0; i < one.spreads.size(); ++i) {
    EXPECT_EQ(one.spreads[i].passed, again.spreads[i].passed);
    if (one.spreads[i].usd_per_pb_month) {
      EXPECT_EQ(one.spreads[i].usd_per_pb_month->p50, again.spreads[i].usd_per_pb_month->p50);
      differs = differs || one.spreads[i].usd_per_pb_month->p50 != other.spreads[i].usd_per_pb_month->p50;
    }
  }
  EXPECT_TRUE(differs);
  for (const auto& s : one.spreads) {
    if (s.shape == "onprem-dense-1u-122tb" && s.target == "ai-lab-1eb") {
      EXPECT_EQ(s.passed, s.samples);
    }
  }
  std::vector<double> values = {5, 1, 4, 2, 3, 10, 9, 8, 7, 6};
  EXPECT_EQ(Quantile(values, 0.1), 1);
  EXPECT_EQ(Quantile(values, 0.5), 5);
  EXPECT_EQ(Quantile(values, 0.9), 9);
}

// A shape's ranged inputs: its own figures that a range spans, then the model's; a cloud VM's
// watts come from its host's figures, so they are not moved twice.
TEST(RangedInputs, HostFiguresStandForACloudVmsWatts) {
  const Catalog& c = test::Shipped();
  const std::vector<RangedInput> inputs = RangedInputs(*FindShape(c.shapes, "azure-l96s-v4"), c.model);
  auto has = [&](const std::string& name) {
    return std::any_of(inputs.begin(), inputs.end(), [&](const RangedInput& i) { return i.name == name; });
  };
  EXPECT_TRUE(has("azure-l96s-v4.host_watts"));
  EXPECT_TRUE(has("azure-l96s-v4.host_share"));
  EXPECT_FALSE(has("azure-l96s-v4.watts"));
  EXPECT_TRUE(has("model.kw_per_rack"));
  for (const auto& i : inputs) EXPECT_LT(i.low, i.high) << i.name;
}

}  // namespace
}  // namespace shapeq
