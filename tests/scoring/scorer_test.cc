// The scorer against hand-computed figures. One small shape and model with round numbers;
// each test states the arithmetic it expects, so a failure says which formula moved.
#include <gtest/gtest.h>

#include <algorithm>

#include "common/error.h"
#include "scoring/catalog.h"
#include "scoring/score_matrix.h"
#include "scoring/scorer.h"

namespace shapeq {
namespace {

Figure Known(double value) { return {value, Basis::kRated, "test", ""}; }

// 10 drives x 10 TB; drives read 20 GB/s, write 10 GB/s, 1M IOPS; 100 Gbit/s NIC; 1 kW, 2U, $60,000.
Shape TestShape() {
  Shape s;
  s.name = "test-node";
  s.file = "test-node.json";
  s.kind = "on-prem";
  s.protection = "ec-8+2";
  s.cores = Known(32);
  s.drive_count = Known(10);
  s.drive_capacity_bytes = Known(10e12);
  s.read_bytes_per_s = Known(20e9);
  s.write_bytes_per_s = Known(10e9);
  s.read_iops = Known(1e6);
  s.nic_gbps = Known(100);
  s.watts = Known(1000);
  s.rack_units = Known(2);
  s.capex_usd = Known(60000);
  return s;
}

// fill 0.8, protocol 0.8; 42U racks with 2U overhead, 10 kW; capex over 5 years; $0.10/kWh.
Model TestModel() {
  Model m;
  m.file = "test-model.json";
  m.schemes["ec-8+2"] = {"ec-8+2", 8, 2, false};
  m.schemes["ec-146+4"] = {"ec-146+4", 146, 4, true};
  m.schemes["replica-3"] = {"replica-3", 1, 2, false};
  m.fill_fraction = 0.8;
  m.protocol_efficiency = 0.8;
  m.rack_units = 42;
  m.rack_overhead_units = 2;
  m.kw_per_rack = 10;
  m.amortization_years = 5;
  m.usd_per_kwh = 0.10;
  m.hours_per_month = 730;
  m.iops_block_bytes = 4096;
  return m;
}

Target TestTarget(double usable_pb) {
  Target t;
  t.name = "test-target";
  t.file = "test-target.json";
  t.usable_bytes = usable_pb * 1e15;
  return t;
}

const Check& CheckNamed(const Verdict& v, const std::string& name) {
  auto it = std::find_if(v.checks.begin(), v.checks.end(), [&](const Check& c) { return c.name == name; });
  if (it == v.checks.end()) throw std::runtime_error("no check " + name);
  return *it;
}

std::optional<double> LeverValue(const Verdict& v, const std::string& field) {
  for (const auto& l : v.levers) {
    if (l.field == field) return l.value;
  }
  return std::nullopt;
}

TEST(Scorer, PerNodeFigures) {
  const Verdict v = Score(TestShape(), TestTarget(6.4), TestModel());
  // usable = 10 x 10 TB x 8/10 x 0.8 fill x 1 = 64 TB
  EXPECT_DOUBLE_EQ(v.per_node.raw_bytes, 100e12);
  EXPECT_DOUBLE_EQ(v.per_node.efficiency, 0.8);
  EXPECT_DOUBLE_EQ(v.per_node.write_amplification, 1.25);
  EXPECT_DOUBLE_EQ(v.per_node.usable_bytes, 64e12);
  // NIC payload = 100 Gbit/s / 8 x 0.8 = 10 GB/s; read = min(20, 10) = 10 GB/s by the NIC.
  EXPECT_DOUBLE_EQ(*v.per_node.nic_payload_bytes_per_s, 10e9);
  EXPECT_DOUBLE_EQ(*v.per_node.read_bytes_per_s.value, 10e9);
  EXPECT_EQ(v.per_node.read_bytes_per_s.bound, Bound::kNic);
  // write = min(10 / 1.25, 10 / 1.25) = 8 GB/s; a tie goes to the drives (listed first).
  EXPECT_DOUBLE_EQ(*v.per_node.write_bytes_per_s.value, 8e9);
  EXPECT_EQ(v.per_node.write_bytes_per_s.bound, Bound::kDrives);
  // IOPS = min(1M, 10 GB/s / 4096 = 2.44M) = 1M by the drives.
  EXPECT_DOUBLE_EQ(*v.per_node.read_iops.value, 1e6);
  EXPECT_EQ(v.per_node.read_iops.bound, Bound::kDrives);
  // $/month = 60,000 / (5 x 12) + 1 kW x 730 h x $0.10 = 1,000 + 73
  EXPECT_DOUBLE_EQ(*v.per_node.usd_per_month, 1073);
}

TEST(Scorer, CapacityLimitedDeploymentTotals) {
  Target t = TestTarget(6.4);
  t.read_bytes_per_s = 0.5e12;
  t.gpus = 100;
  const Verdict v = Score(TestShape(), t, TestModel());
  // capacity: 6.4 PB / 64 TB = 100 nodes; read: 0.5 TB/s / 10 GB/s = 50; width: 8+2 over nodes = 10.
  EXPECT_EQ(v.nodes_for[0], std::optional<double>(100));
  EXPECT_EQ(v.nodes_for[1], std::optional<double>(50));
  EXPECT_FALSE(v.nodes_for[2].has_value());
  EXPECT_EQ(v.nodes_for[4], std::optional<double>(10));
  EXPECT_EQ(v.nodes, 100);
  EXPECT_EQ(v.limiting, Need::kCapacity);
  // racks: space 40U / 2U = 20, power 10 kW / 1 kW = 10 per rack: power binds, 100 / 10 = 10 racks.
  EXPECT_EQ(v.nodes_per_rack, std::optional<double>(10));
  EXPECT_EQ(v.rack_bound, "power");
  EXPECT_EQ(v.racks, std::optional<double>(10));
  EXPECT_DOUBLE_EQ(*v.kw, 100);
  EXPECT_DOUBLE_EQ(*v.usd_per_month, 107300);
  EXPECT_DOUBLE_EQ(*v.usd_per_pb_month, 107300 / 6.4);
  EXPECT_DOUBLE_EQ(v.usable_bytes, 6.4e15);
  EXPECT_DOUBLE_EQ(*v.read_bytes_per_s, 1e12);
  EXPECT_DOUBLE_EQ(*v.read_tbps_per_pb, 1 / 6.4);
  EXPECT_DOUBLE_EQ(*v.iops_per_pb, 100 * 1e6 / 6.4);
  EXPECT_DOUBLE_EQ(*v.pb_per_gpu, 0.064);
  EXPECT_EQ(v.status, Status::kPass);
  // The read requirement passes with 100% headroom: 1 TB/s delivered for 0.5 asked.
  EXPECT_DOUBLE_EQ(*CheckNamed(v, "read").margin, 1.0);
  EXPECT_TRUE(v.levers.empty());
}

TEST(Scorer, ReadLimited) {
  Target t = TestTarget(0.64);  // 10 nodes of capacity
  t.read_bytes_per_s = 2e12;    // 2 TB/s / 10 GB/s = 200 nodes
  const Verdict v = Score(TestShape(), t, TestModel());
  EXPECT_EQ(v.nodes, 200);
  EXPECT_EQ(v.limiting, Need::kRead);
}

TEST(Scorer, WriteLimitedWithProtectionAmplification) {
  Target t = TestTarget(0.64);
  t.write_bytes_per_s = 2e12;  // 2 TB/s / (10 GB/s / 1.25) = 250 nodes
  const Verdict v = Score(TestShape(), t, TestModel());
  EXPECT_EQ(v.nodes, 250);
  EXPECT_EQ(v.limiting, Need::kWrite);
  // Replication triples the bytes written: 10 GB/s / 3 per node, so 2 TB/s needs 600 nodes.
  const Verdict replicated = Score(TestShape(), t, TestModel(), "replica-3");
  EXPECT_EQ(replicated.nodes, 600);
  EXPECT_EQ(replicated.protection, "replica-3");
}

TEST(Scorer, CheckpointBurstIsAWriteRate) {
  Target t = TestTarget(0.064);
  t.checkpoint_bytes = 18e12;
  t.checkpoint_window_s = 60;  // 0.3 TB/s / 8 GB/s = 37.5 -> 38 nodes
  const Verdict v = Score(TestShape(), t, TestModel());
  EXPECT_EQ(v.nodes_for[2], std::optional<double>(38));
  EXPECT_EQ(v.limiting, Need::kWrite);
  EXPECT_DOUBLE_EQ(*CheckNamed(v, "checkpoint").required, 0.3e12);
}

TEST(Scorer, IopsLimited) {
  Target t = TestTarget(0.64);
  t.iops_per_pb = 1e9;  // 0.64 PB x 1e9 = 6.4e8 IOPS / 1M per node = 640 nodes
  const Verdict v = Score(TestShape(), t, TestModel());
  EXPECT_EQ(v.nodes, 640);
  EXPECT_EQ(v.limiting, Need::kIops);
  EXPECT_DOUBLE_EQ(*v.iops_per_pb, 640 * 1e6 / 0.64);
}

TEST(Scorer, ProtectionWidthLimited) {
  const Verdict v = Score(TestShape(), TestTarget(0.064), TestModel());  // 1 node of capacity
  EXPECT_EQ(v.nodes, 10) << "an 8+2 stripe over nodes needs 10 of them";
  EXPECT_EQ(v.limiting, Need::kProtectionWidth);
  // 146+4 spread over drives needs 150 drives: 15 nodes of 10.
  const Verdict wide = Score(TestShape(), TestTarget(0.064), TestModel(), "ec-146+4");
  EXPECT_EQ(wide.nodes, 15);
}

TEST(Scorer, DataReductionMultipliesUsable) {
  Target t = TestTarget(6.4);
  t.data_reduction_ratio = 2;  // 128 TB per node: 50 nodes
  EXPECT_EQ(Score(TestShape(), t, TestModel()).nodes, 50);
}

TEST(Scorer, CoresBoundTheDataPathWhenMeasured) {
  Model m = TestModel();
  m.cores_per_gbytes_per_s = 8;  // 32 cores / 8 per GB/s = 4 GB/s, below the NIC's 10
  Target t = TestTarget(0.64);
  t.read_bytes_per_s = 0.4e12;
  const Verdict v = Score(TestShape(), t, m);
  EXPECT_DOUBLE_EQ(*v.per_node.read_bytes_per_s.value, 4e9);
  EXPECT_EQ(v.per_node.read_bytes_per_s.bound, Bound::kCores);
  EXPECT_EQ(v.nodes, 100);
}

TEST(Scorer, BudgetFailureSaysWhatItWouldTake) {
  Target t = TestTarget(6.4);
  t.budget_usd_per_pb_month = 10000;  // costs 16,765.625
  const Verdict v = Score(TestShape(), t, TestModel());
  EXPECT_EQ(v.status, Status::kFail);
  const Check& budget = CheckNamed(v, "budget");
  EXPECT_EQ(budget.status, Status::kFail);
  EXPECT_NEAR(*budget.margin, 10000 / (107300 / 6.4) - 1, 1e-12);
  // The budget buys floor(10,000 x 6.4 / 1,073) = 59 nodes; 6.4 PB on 59 nodes needs
  // 6,400 TB / (59 x 10 x 0.8 x 0.8) = 16.949 TB drives.
  // 6400 / (59 x 10 x 0.64) = 16.95, rounded up at three figures (a hint rounded down would fail).
  EXPECT_DOUBLE_EQ(*LeverValue(v, "drive_capacity_tb"), 17.0);
  // Or at 100 nodes: $640 per node-month, less $73 of power, x 60 months = $34,020 capex.
  EXPECT_DOUBLE_EQ(*LeverValue(v, "capex_usd"), 34000) << "34,020 rounded down: an upper limit rounds down";
}

TEST(Scorer, CloudBudgetLeverIsThePricePerHour) {
  Shape s = TestShape();
  s.kind = "cloud-vm";
  s.price_per_hour_usd = Known(2);
  Target t = TestTarget(6.4);
  t.budget_usd_per_pb_month = 10000;
  const Verdict v = Score(s, t, TestModel());
  EXPECT_DOUBLE_EQ(*v.usd_per_month, 100 * 2 * 730);
  EXPECT_DOUBLE_EQ(*LeverValue(v, "price_per_hour_usd"), 0.876) << "10000 x 6.4 / 100 / 730 = 0.8767, rounded down";
}

TEST(Scorer, PowerAndRackFailures) {
  Target t = TestTarget(6.4);
  t.max_kw = 50;
  t.max_racks = 5;
  const Verdict v = Score(TestShape(), t, TestModel());
  EXPECT_DOUBLE_EQ(*CheckNamed(v, "power").margin, -0.5);
  EXPECT_DOUBLE_EQ(*CheckNamed(v, "racks").margin, -0.5);
  EXPECT_DOUBLE_EQ(*LeverValue(v, "watts"), 500);
  // 100 nodes in 5 racks is 20 per rack; the rack is power-bound at 1 kW a node: 20 kW racks.
  EXPECT_DOUBLE_EQ(*LeverValue(v, "kw_per_rack"), 20);
  // 50 nodes fit both caps: 6,400 TB / (50 x 10 x 0.64) = 20 TB drives.
  EXPECT_DOUBLE_EQ(*LeverValue(v, "drive_capacity_tb"), 20);
}

TEST(Scorer, SpaceBoundRacksLeverIsRackUnits) {
  Model m = TestModel();
  m.kw_per_rack = 100;  // power no longer binds: 40U / 2U = 20 a rack
  Target t = TestTarget(6.4);
  t.max_racks = 2;
  const Verdict v = Score(TestShape(), t, m);
  EXPECT_EQ(v.rack_bound, "space");
  EXPECT_EQ(v.racks, std::optional<double>(5));
  // 0.8U a server would pass, but a server takes at least 1U: said, not offered.
  EXPECT_FALSE(LeverValue(v, "rack_units"));
  const auto units = std::find_if(v.infeasible.begin(), v.infeasible.end(), [](const Lever& l) { return l.field == "rack_units"; });
  ASSERT_NE(units, v.infeasible.end());
  EXPECT_DOUBLE_EQ(units->value, 40.0 / 50);
  EXPECT_NE(units->bound.find("below 1U"), std::string::npos) << units->bound;
}

TEST(Scorer, NicLeverForABandwidthBoundShape) {
  Target t = TestTarget(0.64);
  t.read_bytes_per_s = 2e12;  // 200 nodes by read
  t.max_kw = 100;             // 100 nodes allowed: 20 GB/s each
  const Verdict v = Score(TestShape(), t, TestModel());
  EXPECT_EQ(v.status, Status::kFail);
  // 20 GB/s of payload at 0.8 efficiency is 25 GB/s of line rate: 200 Gbit/s.
  EXPECT_DOUBLE_EQ(*LeverValue(v, "nic_gbps"), 200);
  EXPECT_FALSE(LeverValue(v, "read_gbytes_per_s").has_value()) << "the drives already give 20 GB/s";
}

TEST(Scorer, UnknownFiguresAreNamedNotGuessed) {
  Shape s = TestShape();
  s.kind = "cloud-vm";  // price unknown
  s.read_bytes_per_s = {};
  Target t = TestTarget(6.4);
  t.budget_usd_per_pb_month = 1e9;
  t.read_bytes_per_s = 1e12;
  const Verdict v = Score(s, t, TestModel());
  EXPECT_FALSE(v.usd_per_pb_month.has_value());
  EXPECT_EQ(CheckNamed(v, "budget").status, Status::kUnknown);
  EXPECT_EQ(v.status, Status::kUnknown);
  // Read still has a bound (the NIC), and the missing drive figure is named.
  EXPECT_EQ(v.per_node.read_bytes_per_s.bound, Bound::kNic);
  const auto named = [&](const char* f) { return std::find(v.unknowns.begin(), v.unknowns.end(), std::string_view(f)) != v.unknowns.end(); };
  EXPECT_TRUE(named("read_gbytes_per_s"));
  EXPECT_TRUE(named("price_per_hour_usd"));
}

TEST(Scorer, UnknownProtectionSchemeIsBadInput) {
  Shape s = TestShape();
  s.protection = "ec-999+1";
  try {
    Score(s, TestTarget(1), TestModel());
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::kBadInput);
    EXPECT_NE(std::string(e.what()).find("test-node.json: field protection"), std::string::npos) << e.what();
  }
}

TEST(Scorer, VerdictJsonCarriesInputsAndMargins) {
  Target t = TestTarget(6.4);
  t.max_kw = 50;
  const nlohmann::json j = Score(TestShape(), t, TestModel());
  EXPECT_EQ(j["nodes"], 100);
  EXPECT_EQ(j["limiting_factor"], "capacity");
  EXPECT_EQ(j["per_node"]["read_bytes_per_s"]["bound_by"], "nic");
  EXPECT_EQ(j["checks"][1]["name"], "power");
  EXPECT_DOUBLE_EQ(j["checks"][1]["margin"].get<double>(), -0.5);
  EXPECT_EQ(j["what_it_would_take"][0]["field"], "drive_capacity_tb");
  EXPECT_EQ(j["status"], "fail");
}

}  // namespace
}  // namespace shapeq

namespace shapeq {
namespace {

// The KV target's latency bound is judged against the shape's measured p99; unknown stays unknown.
TEST(Scorer, P99LatencyIsJudgedWhenTheShapeKnowsIt) {
  Target t = TestTarget(1);
  t.p99_latency_s = 1e-3;
  Shape s = TestShape();
  Verdict unknown = Score(s, t, TestModel());
  EXPECT_EQ(CheckNamed(unknown, "p99_latency").status, Status::kUnknown);
  EXPECT_NE(std::find(unknown.unknowns.begin(), unknown.unknowns.end(), "read_p99_latency_ms"), unknown.unknowns.end());
  s.read_p99_latency_s = Known(0.73e-3);
  const Verdict fast = Score(s, t, TestModel());
  EXPECT_EQ(CheckNamed(fast, "p99_latency").status, Status::kPass);
  EXPECT_NEAR(*CheckNamed(fast, "p99_latency").margin, 1 / 0.73 - 1, 1e-9);
  s.read_p99_latency_s = Known(12.6e-3);
  const Verdict slow = Score(s, t, TestModel());
  EXPECT_EQ(CheckNamed(slow, "p99_latency").status, Status::kFail);
  ASSERT_FALSE(slow.levers.empty());
  EXPECT_EQ(slow.levers.back().field, "read_p99_latency_ms");
  EXPECT_DOUBLE_EQ(slow.levers.back().value, 1.0);
}

// A shape's own measured data-path cost beats the model's.
TEST(Scorer, TheShapesOwnDataPathCostBeatsTheModels) {
  Shape s = TestShape();  // 32 cores
  Model m = TestModel();
  m.cores_per_gbytes_per_s = 1;  // 32 GB/s through 32 cores: the NIC's 10 GB/s binds
  EXPECT_EQ(Score(s, TestTarget(1), m).per_node.read_bytes_per_s.bound, Bound::kNic);
  s.cores_per_gbytes_per_s = Known(4);  // measured: 8 GB/s through 32 cores
  const Verdict v = Score(s, TestTarget(1), m);
  EXPECT_EQ(v.per_node.read_bytes_per_s.bound, Bound::kCores);
  EXPECT_DOUBLE_EQ(*v.per_node.read_bytes_per_s.value, 8e9);
}


// Every "what it would take" of every failing catalog verdict, re-applied: each hint said to pass
// alone passes alone, the set said to pass together passes together, and a hint never prints a
// value rounded the unsafe way (it is what was re-scored).
TEST(Scorer, EveryHintOfEveryFailingCatalogVerdictPassesWhenApplied) {
  const Catalog catalog = LoadCatalog(SHAPEQ_PROFILES);
  size_t failing = 0, alone = 0, together = 0;
  for (const auto& pair : ScoreAll(catalog.shapes, catalog.targets, catalog.model)) {
    const Verdict& v = pair.verdict;
    if (v.status != Status::kFail) continue;
    ++failing;
    for (const auto& lever : v.levers) {
      if (!lever.alone) continue;
      ++alone;
      Shape shape = *pair.shape;
      Model model = catalog.model;
      ASSERT_TRUE(ApplyLever(shape, model, lever)) << lever.field;
      EXPECT_EQ(Score(shape, *pair.target, model).status, Status::kPass)
          << v.shape << " on " << v.target << ": " << lever.field << " " << lever.comparison << " " << lever.value;
    }
    if (!v.levers_together.empty()) {
      ++together;
      Shape shape = *pair.shape;
      Model model = catalog.model;
      for (const auto& lever : v.levers_together) ASSERT_TRUE(ApplyLever(shape, model, lever)) << lever.field;
      EXPECT_EQ(Score(shape, *pair.target, model).status, Status::kPass) << v.shape << " on " << v.target << ": all together";
    }
  }
  EXPECT_GT(failing, 10u);
  EXPECT_GT(alone, 10u);
  EXPECT_GT(together, 3u);
}

// The weather archive's i7ie: the NIC alone would still need 1,209 nodes, so capacity and NIC
// would be met together; capacity rounds up (139.47 -> 140: 139 would still fail). But no drive
// in the parts catalog holds 140 TB: that ask is said as infeasible, never offered.
TEST(Scorer, HintsThatMustBeMetTogetherSaySoAndRoundTheSafeWay) {
  const Catalog catalog = LoadCatalog(SHAPEQ_PROFILES);
  const Shape& i7ie = *FindShape(catalog.shapes, "aws-i7ie-48xlarge");
  const Target& weather = *std::find_if(catalog.targets.begin(), catalog.targets.end(), [](const Target& t) { return t.name == "weather-hpc-archive"; });
  const Verdict v = Score(i7ie, weather, catalog.model);
  ASSERT_EQ(v.status, Status::kFail);
  const auto nic = std::find_if(v.levers.begin(), v.levers.end(), [](const Lever& l) { return l.field == "nic_gbps"; });
  ASSERT_NE(nic, v.levers.end());
  EXPECT_FALSE(nic->alone);
  ASSERT_EQ(v.infeasible.size(), 1u);
  EXPECT_EQ(v.infeasible[0].field, "drive_capacity_tb");
  EXPECT_DOUBLE_EQ(v.infeasible[0].value, 140);
  EXPECT_NE(v.infeasible[0].bound.find("above the largest drive in the parts catalog"), std::string::npos) << v.infeasible[0].bound;
  // 139 TB drives (a rounded-down hint) with the NIC still fail; 140 TB with it would not.
  Shape short_of_it = i7ie;
  Model model = catalog.model;
  ASSERT_TRUE(ApplyLever(short_of_it, model, {"drive_capacity_tb", ">=", 139, "capacity", false}));
  ASSERT_TRUE(ApplyLever(short_of_it, model, *nic));
  EXPECT_EQ(Score(short_of_it, weather, model).status, Status::kFail);
  Shape enough = short_of_it;
  ASSERT_TRUE(ApplyLever(enough, model, v.infeasible[0]));
  EXPECT_EQ(Score(enough, weather, model).status, Status::kPass);
  // kw_per_rack applies to the model, and never loosens what is there.
  Model kw = catalog.model;
  EXPECT_TRUE(ApplyLever(short_of_it, kw, {"kw_per_rack", ">=", 10, "racks", false}));
  EXPECT_EQ(kw.kw_per_rack, catalog.model.kw_per_rack) << "15 kW already meets >= 10";
  EXPECT_FALSE(ApplyLever(short_of_it, kw, {"protection_width", "<=", 20, "protection width", false})) << "not a figure to set";
}


// A shape without a price gets, for a target with a budget, the price at which the budget just
// passes, and (from the matrix) the price that matches the cheapest passing shape's $/PB-month:
// each, set as the price and re-scored, does what it says.
TEST(Scorer, BreakEvenPricesForShapesWithoutOne) {
  const Catalog catalog = LoadCatalog(SHAPEQ_PROFILES);
  const auto pairs = ScoreAll(catalog.shapes, catalog.targets, catalog.model);
  size_t checked = 0;
  for (const auto& pair : pairs) {
    const Verdict& v = pair.verdict;
    if (pair.target->name != "weather-hpc-archive" || !v.break_even || pair.shape->kind != "cloud-vm") continue;
    ASSERT_EQ(v.break_even->field, "price_per_hour_usd");
    ASSERT_TRUE(v.break_even->for_budget) << v.shape;
    ASSERT_TRUE(v.break_even->to_match) << v.shape;
    Shape priced = *pair.shape;
    SetShapeFigure(priced, "price_per_hour_usd", *v.break_even->for_budget * 0.999);
    EXPECT_EQ(Score(priced, *pair.target, catalog.model).status, Status::kPass) << v.shape << " just under the break-even price";
    SetShapeFigure(priced, "price_per_hour_usd", *v.break_even->for_budget * 1.01);
    EXPECT_EQ(Score(priced, *pair.target, catalog.model).status, Status::kFail) << v.shape << " just over it";
    SetShapeFigure(priced, "price_per_hour_usd", *v.break_even->to_match);
    EXPECT_NEAR(*Score(priced, *pair.target, catalog.model).usd_per_pb_month, *v.break_even->cheapest_usd_per_pb_month, 1e-6) << v.shape;
    ++checked;
  }
  EXPECT_GE(checked, 4u) << "every Lsv4/Lsv5 and Z3 row lacks a price";
  for (const auto& pair : pairs) {
    const Figure& price = pair.shape->kind == "cloud-vm" ? pair.shape->price_per_hour_usd : pair.shape->capex_usd;
    EXPECT_EQ(pair.verdict.break_even.has_value(), !price.known()) << pair.verdict.shape;
  }
}

TEST(Scorer, FailureDomainsSpreadRacksAndTimeTheRebuild) {
  Target t = TestTarget(1);
  t.must_survive = "rack";
  t.max_rebuild_s = 4 * 3600;
  const Verdict v = Score(TestShape(), t, TestModel());
  // 16 nodes for capacity; power allows 10 a rack (2 racks), but 8+2 surviving a rack loss needs
  // ceil(10 / 2) = 5 racks of at most ceil(16 / 5) = 4 nodes, 2 strips in each.
  EXPECT_EQ(v.nodes, 16);
  EXPECT_EQ(*v.racks, 5);
  EXPECT_EQ(v.rack_bound, "domain");
  EXPECT_EQ(*v.nodes_per_rack, 4);
  EXPECT_EQ(v.availability.strips_per_node, 1);
  EXPECT_EQ(*v.availability.strips_per_domain, 2);
  EXPECT_TRUE(v.availability.survives_node);
  EXPECT_TRUE(*v.availability.survives_domain);
  EXPECT_EQ(CheckNamed(v, "rack_loss").status, Status::kPass);
  EXPECT_EQ(CheckNamed(v, "node_loss").status, Status::kPass);
  EXPECT_EQ(CheckNamed(v, "spare").status, Status::kPass) << "20% free holds a fifth of the cluster: one rack";
  // Rebuild: 15 survivors x 10 GB/s (the NIC) x 0.25, 8 strips read per strip rebuilt.
  EXPECT_NEAR(*v.availability.drive_rebuild_s, 10e12 * 0.8 * 8 / 37.5e9, 1e-6);
  EXPECT_NEAR(*v.availability.node_rebuild_s, 100e12 * 0.8 * 8 / 37.5e9, 1e-6);
  EXPECT_EQ(CheckNamed(v, "rebuild").status, Status::kFail) << "4.74 h against 4 h";
  EXPECT_EQ(v.status, Status::kFail);
  // What it would take: a larger share of the cluster's reads for the rebuild (0.25 x 4.74 / 4).
  EXPECT_DOUBLE_EQ(*LeverValue(v, "rebuild_share"), 0.297);
  Model faster = TestModel();
  faster.rebuild_share = 0.297;
  EXPECT_EQ(Score(TestShape(), t, faster).status, Status::kPass);

  // 146+4 over drives: a node holds ceil(150 / nodes) strips; surviving a node loss takes
  // ceil(150 / 4) = 38 nodes, 4 strips on each.
  Target node_loss = TestTarget(1);
  node_loss.must_survive = "node";
  const Verdict wide = Score(TestShape(), node_loss, TestModel(), "ec-146+4");
  EXPECT_EQ(wide.nodes, 38);
  EXPECT_EQ(wide.limiting, Need::kProtectionWidth);
  EXPECT_EQ(wide.availability.strips_per_node, 4);
  EXPECT_EQ(CheckNamed(wide, "node_loss").status, Status::kPass);
  // Without the requirement the same code on 16 nodes puts 10 strips on each: no node loss survived.
  const Verdict plain = Score(TestShape(), TestTarget(1), TestModel(), "ec-146+4");
  EXPECT_EQ(plain.availability.strips_per_node, 10);
  EXPECT_FALSE(plain.availability.survives_node);

  // A cloud deployment spreads over the provider's fault domains (3), not racks it chooses:
  // ceil(10 / 3) = 4 strips in one, parity 2: a fault-domain loss is not survived.
  Shape vm = TestShape();
  vm.kind = "cloud-vm";
  vm.price_per_hour_usd = Known(2);
  const Verdict cloud = Score(vm, t, TestModel());
  EXPECT_EQ(cloud.availability.domain, "fault domain");
  EXPECT_EQ(*cloud.availability.strips_per_domain, 4);
  EXPECT_EQ(CheckNamed(cloud, "rack_loss").status, Status::kFail);
  EXPECT_EQ(*LeverValue(cloud, "cloud_fault_domains"), 5) << "ceil(10 / 2): two strips in each of five";
}

TEST(Scorer, FullCostByPartAndItsBreakEven) {
  Shape s = TestShape();
  s.drive_price_usd = Known(1000);           // $10,000 of the $60,000 is drives
  s.network_ports = Known(3);
  s.frontend_nodes_per_node = Known(0.5);
  s.frontend_node_capex_usd = Known(6000);
  s.frontend_node_watts = Known(200);
  s.frontend_node_rack_units = Known(1);
  s.software_usd_per_tb_month = Known(1);
  Model m = TestModel();
  m.drive_lifetime_years = 4;
  m.usd_per_rack_month = 1000;
  m.usd_per_network_port_month = 10;
  const Verdict v = Score(s, TestTarget(1), m);
  // 16 nodes of 1,100 W with the front-end share: 9 a rack by power, 2 racks.
  EXPECT_EQ(v.nodes, 16);
  EXPECT_EQ(*v.racks, 2);
  EXPECT_DOUBLE_EQ(*v.kw, 17.6);
  EXPECT_NEAR(*v.cost.node_capex, 50000.0 / 60 * 16, 1e-6);
  EXPECT_NEAR(*v.cost.drive_capex, 10000.0 / 48 * 16, 1e-6);
  EXPECT_NEAR(*v.cost.power, 17.6 * 730 * 0.1, 1e-6);
  EXPECT_NEAR(*v.cost.space, 2 * 1000, 1e-9);
  EXPECT_NEAR(*v.cost.ports, 3 * 10 * 16, 1e-9);
  EXPECT_NEAR(*v.cost.frontend, 0.5 * 16 * 6000 / 60, 1e-9);
  EXPECT_NEAR(*v.cost.software, 100 * 0.8 * 16 * 1.0, 1e-9) << "per protected TB: raw x 8/10";
  EXPECT_FALSE(v.cost.rent);
  const double total = 50000.0 / 60 * 16 + 10000.0 / 48 * 16 + 17.6 * 73 + 2000 + 480 + 800 + 1280;
  EXPECT_NEAR(*v.usd_per_month, total, 1e-6);
  EXPECT_NEAR(*v.usd_per_pb_month, total, 1e-6);
  // The capex at which this deployment costs $20,000 per PB-month, re-scored.
  const auto capex = PriceFor(v, 20000, s, TestTarget(1), m);
  ASSERT_TRUE(capex);
  Shape cheaper = s;
  cheaper.capex_usd = Known(*capex);
  EXPECT_NEAR(*Score(cheaper, TestTarget(1), m).usd_per_pb_month, 20000, 1e-6);
}

TEST(Scorer, AReadWriteMixAndAPlatformsReduction) {
  Shape s = TestShape();
  s.write_iops = Known(0.5e6);
  Target t = TestTarget(1);
  t.iops_per_pb = 2e7;
  t.write_fraction = 0.2;
  const Verdict v = Score(s, t, TestModel());
  // 1 / (0.8 / 1M + 0.2 x 1.25 / 0.5M) = 769,231 operations a node: ceil(20M / 769,231) = 26.
  EXPECT_NEAR(*v.per_node.mixed_iops.value, 1 / (0.8 / 1e6 + 0.2 * 1.25 / 0.5e6), 1e-6);
  EXPECT_EQ(v.per_node.mixed_iops.bound, Bound::kDrives);
  EXPECT_EQ(v.nodes, 26);
  EXPECT_EQ(v.limiting, Need::kIops);
  // Writes unknown: the mix is unknown, and says so.
  Shape unknown_writes = TestShape();
  const Verdict open = Score(unknown_writes, t, TestModel());
  EXPECT_NE(std::find(open.unknowns.begin(), open.unknowns.end(), "write_iops"), open.unknowns.end());

  // A target's 3:1 reduction on a platform that stores data as written: none of it.
  Target reducible = TestTarget(1);
  reducible.data_reduction_ratio = 3;
  Shape as_written = TestShape();
  as_written.data_reduction_ratio = Known(1);
  EXPECT_EQ(Score(as_written, reducible, TestModel()).per_node.data_reduction_ratio, 1);
  EXPECT_EQ(Score(TestShape(), reducible, TestModel()).per_node.data_reduction_ratio, 3);
}

}  // namespace
}  // namespace shapeq

namespace shapeq {
namespace {

// LRC(12,2,2) as published (Huang et al., USENIX ATC 2012): 12 data strips in 2 local groups of 6,
// each with a local parity, and 2 global parities. A lost strip is rebuilt from its group's 6; any
// 3 losses are recovered, not any 4. A rack loss must leave at most 3 strips of a stripe lost:
// 16 strips spread over at least ceil(16 / 3) = 6 racks.
TEST(Protection, LrcRecoversAnyThreeAndRebuildsFromItsGroup) {
  const Catalog catalog = LoadCatalog(SHAPEQ_PROFILES);
  const ProtectionScheme& lrc = catalog.model.schemes.at("lrc-12+2+2");
  EXPECT_EQ(lrc.width(), 16u);
  EXPECT_EQ(lrc.tolerance(), 3u);
  EXPECT_EQ(lrc.reads_per_rebuilt_strip(), 6u);
  EXPECT_DOUBLE_EQ(lrc.efficiency(), 0.75);
  EXPECT_EQ(catalog.model.schemes.at("ec-146+4").tolerance(), 4u);
  EXPECT_EQ(catalog.model.schemes.at("ec-8+2").tolerance(), 2u);
  EXPECT_EQ(catalog.model.schemes.at("replica-3").tolerance(), 2u);

  Target small = *FindTarget(catalog.targets, "reference-1eb");
  ASSERT_EQ(small.must_survive, "rack");
  SetTargetField(small, "usable_pb", 5);  // 5 PB: a few racks by space, so the spread decides
  small.read_bytes_per_s.reset();
  small.max_racks.reset();
  const Verdict v = Score(*FindShape(catalog.shapes, "blob-hdd-4u90"), small, catalog.model);
  EXPECT_EQ(v.rack_bound, "domain");
  EXPECT_EQ(v.racks, std::optional<double>(6));
  EXPECT_EQ(v.availability.tolerates, 3u);
  EXPECT_LE(*v.availability.strips_per_domain, 3);
  EXPECT_TRUE(v.availability.survives_domain.value_or(false));
}

}  // namespace
}  // namespace shapeq
