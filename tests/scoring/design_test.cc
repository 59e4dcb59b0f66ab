// shapeq design: the Pareto front against a brute-force enumeration, designs as ordinary shapes,
// the chassis' limits, and parts files refused with one line naming the file and field.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>

#include "common/error.h"
#include "scoring/catalog.h"
#include "scoring/design.h"
#include "tests/scoring/shipped_catalog.h"
#include "tests/test_support.h"

namespace shapeq {
namespace {

namespace fs = std::filesystem;

using test::Shipped;

std::vector<Target> Targets(const std::vector<std::string>& names) {
  std::vector<Target> out;
  for (const auto& name : names) {
    out.push_back(*FindTarget(Shipped().targets, name));
  }
  return out;
}

// By definition, in O(n^2): every passing design that no other passing design dominates.
std::set<size_t> BruteForceFront(const std::vector<Design>& designs) {
  std::set<size_t> front;
  for (size_t i = 0; i < designs.size(); ++i) {
    if (!designs[i].passes) continue;
    bool dominated = false;
    for (size_t j = 0; j < designs.size() && !dominated; ++j) {
      if (j == i || !designs[j].passes) continue;
      const Design &a = designs[j], &b = designs[i];
      dominated = a.usd_per_month <= b.usd_per_month && a.racks <= b.racks && a.kw <= b.kw &&
                  (a.usd_per_month < b.usd_per_month || a.racks < b.racks || a.kw < b.kw);
    }
    if (!dominated) front.insert(i);
  }
  return front;
}

TEST(Design, TheFrontIsTheBruteForceOneForEveryTargetSet) {
  const PartsCatalog parts = LoadParts(std::string(SHAPEQ_PROFILES) + "/parts", Shipped().model);
  for (const auto& names : std::vector<std::vector<std::string>>{
           {"ai-lab-1eb"}, {"ai-lab-1eb", "gpu-cluster-8k"}, {"weather-hpc-archive"}, {"checkpoint-burst"}, {"reference-1eb"}}) {
    const auto designs = EvaluateDesigns(parts, Targets(names), Shipped().model);
    const auto front = ParetoFront(designs);
    EXPECT_EQ(std::set<size_t>(front.begin(), front.end()), BruteForceFront(designs)) << names[0];
    for (size_t i = 1; i < front.size(); ++i) {
      EXPECT_LE(designs[front[i - 1]].usd_per_month, designs[front[i]].usd_per_month) << "cheapest first";
    }
  }
}

TEST(Design, HddsMuchCheaperThanFlashMakeATradeOffFront) {
  // The shipped parts price a TB of HDD and QLC alike (one source), so dense flash wins on every
  // axis. At a tenth of the price per TB, HDD servers are cheaper but take more racks and power:
  // the front then holds designs of both, none dominating another.
  test::TempDir dir("shapeq-parts-tradeoff");
  fs::copy(std::string(SHAPEQ_PROFILES) + "/parts", dir.path(), fs::copy_options::recursive);
  std::ifstream in(dir.path() / "drives.json");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string hdd_price = "\"price_usd\": 223.3, \"price_low_usd\": 223.3";
  const size_t at = text.find(hdd_price);
  ASSERT_NE(at, std::string::npos);
  text.replace(at, hdd_price.size(), "\"price_usd\": 22.3, \"price_low_usd\": 22.3");
  std::ofstream(dir.path() / "drives.json") << text;
  const PartsCatalog parts = LoadParts(dir.path().string(), Shipped().model);
  const auto designs = EvaluateDesigns(parts, Targets({"reference-1eb"}), Shipped().model);
  const auto front = ParetoFront(designs);
  EXPECT_EQ(std::set<size_t>(front.begin(), front.end()), BruteForceFront(designs));
  ASSERT_GE(front.size(), 2u);
  EXPECT_EQ(designs[front.front()].drive->name, "hdd-30tb") << "the cheapest";
  EXPECT_LT(designs[front.back()].racks, designs[front.front()].racks) << "the flash end of the front takes fewer racks";
  for (size_t i : front) {
    for (size_t j = 0; j < designs.size(); ++j) {
      if (designs[j].passes) {
        EXPECT_FALSE(Dominates(designs[j], designs[i])) << designs[j].name << " dominates " << designs[i].name;
      }
    }
  }
}

TEST(Design, DesignsAreShapesWithinTheirChassis) {
  const PartsCatalog parts = LoadParts(std::string(SHAPEQ_PROFILES) + "/parts", Shipped().model);
  const auto designs = EvaluateDesigns(parts, Targets({"ai-lab-1eb"}), Shipped().model);
  ASSERT_FALSE(designs.empty());
  for (const auto& d : designs) {
    EXPECT_EQ(d.drive->form_factor, d.chassis->form_factor) << d.name;
    EXPECT_LE(d.drive_count, d.chassis->Get("bays")) << d.name;
    EXPECT_LE(*d.shape.watts.value, d.chassis->Get("power_budget_watts")) << d.name;
    // The node's price is its parts', and the drives are the part of it refreshed on their own.
    EXPECT_DOUBLE_EQ(*d.shape.capex_usd.value, d.chassis->Get("price_usd") + d.drive_count * d.drive->Get("price_usd") +
                                                   d.nic->Get("price_usd") + d.cpu->Get("price_usd"));
    EXPECT_EQ(d.verdicts.size(), 1u);
    // Its prices carry their parts' ranges: what the sensitivity and sampling move.
    ASSERT_TRUE(d.shape.drive_price_usd.range && d.shape.capex_usd.range) << d.name;
    EXPECT_DOUBLE_EQ(d.shape.drive_price_usd.range->high, d.drive->price_range.high);
    EXPECT_LT(d.shape.capex_usd.range->low, *d.shape.capex_usd.value);
    EXPECT_GT(d.shape.capex_usd.range->high, *d.shape.capex_usd.value);
  }
  // A 4U 90-bay chassis with 2,000 W cannot hold 90 x 25 W flash: only HDDs go there.
  EXPECT_TRUE(std::none_of(designs.begin(), designs.end(), [](const Design& d) { return d.chassis->name == "4u-90-hdd" && d.drive->form_factor != "3.5in"; }));
}

class BadParts : public ::testing::Test {
 protected:
  test::TempDir dir_{"shapeq-parts"};
  void ExpectRefused(const std::string& text, const std::string& field) {
    for (const auto& [name, good] : std::vector<std::pair<std::string, std::string>>{{"drives", "drives"}, {"nics", "nics"}, {"cpus", "cpus"}, {"chassis", "chassis"}}) {
      fs::copy_file(std::string(SHAPEQ_PROFILES) + "/parts/" + good + ".json", dir_.path() / (name + ".json"), fs::copy_options::overwrite_existing);
    }
    std::ofstream(dir_.path() / "drives.json") << text;
    try {
      LoadParts(dir_.path().string(), Shipped().model);
      FAIL() << "accepted: " << text;
    } catch (const Error& e) {
      const std::string message = e.what();
      EXPECT_EQ(e.code(), ExitCode::kBadInput) << message;
      EXPECT_NE(message.find("drives.json"), std::string::npos) << message;
      EXPECT_NE(message.find(field), std::string::npos) << message;
      EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    }
  }
};

TEST_F(BadParts, AreRefusedNamingTheFileAndField) {
  const std::string head = R"({"schema": "shapeq.parts", "schema_version": 1, "kind": "drive", "sources": {"s": "a datasheet"}, "parts": [)";
  const std::string good = R"("form_factor": "U.2", "capacity_tb": 30, "read_gbytes_per_s": 7, "write_gbytes_per_s": 3, "watts": 25, "price_usd": 200, "price_low_usd": 150, "price_high_usd": 400, "price_range_note": "quotes", "basis": "rated", "source": "s")";
  ExpectRefused(head + R"({"name": "d", )" + good + R"(, "speed": 9}]})", "speed");
  ExpectRefused(head + R"({"name": "../../etc/x", )" + good + "}]}", "name");
  ExpectRefused(head + R"({"name": "d", "form_factor": "U.2", "capacity_tb": -30, "read_gbytes_per_s": 7, "write_gbytes_per_s": 3, "watts": 25, "price_usd": 200, "basis": "rated", "source": "s"}]})", "capacity_tb");
  ExpectRefused(head + R"({"name": "d", "form_factor": "U.2", "capacity_tb": 30, "read_gbytes_per_s": 7, "write_gbytes_per_s": 3, "watts": 25, "price_usd": 200, "basis": "rated", "source": "nowhere"}]})", "source");
  ExpectRefused(head + R"({"name": "d", )" + good + R"(}, {"name": "d", )" + good + "}]}", "twice");
  ExpectRefused(R"({"schema": "shapeq.parts", "schema_version": 1, "kind": "gpu", "sources": {}, "parts": []})", "kind");
  ExpectRefused(head + "]}", "parts");
  // Every price has its range, bracketing it.
  ExpectRefused(head + R"({"name": "d", "form_factor": "U.2", "capacity_tb": 30, "read_gbytes_per_s": 7, "write_gbytes_per_s": 3, "watts": 25, "price_usd": 200, "basis": "rated", "source": "s"}]})", "price_low_usd");
  ExpectRefused(head + R"({"name": "d", "form_factor": "U.2", "capacity_tb": 30, "read_gbytes_per_s": 7, "write_gbytes_per_s": 3, "watts": 25, "price_usd": 200, "price_low_usd": 250, "price_high_usd": 400, "price_range_note": "q", "basis": "rated", "source": "s"}]})", "price_low_usd: above price_usd");
  // A chassis with more bays than an int holds: refused, not composed.
  const std::string chassis = R"({"schema": "shapeq.parts", "schema_version": 1, "kind": "chassis", "sources": {"s": "x"}, "parts": [)"
                              R"({"name": "c", "form_factor": "U.2", "bays": 1e12, "rack_units": 2, "power_budget_watts": 2000, "base_watts": 100,)"
                              R"( "price_usd": 1, "protection": "ec-8+2", "basis": "rated", "source": "s"}]})";
  ExpectRefused(chassis, "bays");
}

}  // namespace
}  // namespace shapeq
