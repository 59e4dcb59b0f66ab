// Claims: the shipped ones load and are judged by the scorer's own figures; every solved range is
// real (re-scored at its edge it holds, a little outside it does not); bad claim files are refused
// with one line naming the file and field.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "common/error.h"
#include "scoring/claims.h"
#include "tests/scoring/shipped_catalog.h"
#include "tests/test_support.h"

namespace shapeq {
namespace {

namespace fs = std::filesystem;

using test::Shipped;

const Claim& Named(const std::vector<Claim>& claims, const std::string& name) {
  const auto it = std::find_if(claims.begin(), claims.end(), [&](const Claim& c) { return c.name == name; });
  if (it == claims.end()) throw std::runtime_error("no claim " + name);
  return *it;
}

const Target& TargetNamed(const std::string& name) { return *FindTarget(Shipped().targets, name); }

TEST(Claims, TheShippedClaimsLoadWithSourcesAndInputs) {
  const auto claims = LoadClaims(SHAPEQ_PROFILES, Shipped());
  ASSERT_EQ(claims.size(), 6u);
  for (const auto& claim : claims) {
    EXPECT_FALSE(claim.said.empty()) << claim.name;
    EXPECT_FALSE(claim.sources.empty()) << claim.name;
    EXPECT_FALSE(claim.solve_for.empty()) << claim.name;
  }
}

TEST(Claims, TheFigureAtTheDefaultsIsTheScorersOwn) {
  const auto claims = LoadClaims(SHAPEQ_PROFILES, Shipped());
  // Blob racks for the AI lab: the verdict's racks, and 89 is far from 240 +-25%.
  const ClaimResult blob = EvaluateClaim(Named(claims, "blob-240-racks"), Shipped());
  const Verdict v = Score(*FindShape(Shipped().shapes, "blob-hdd-4u90"), TargetNamed("ai-lab-1eb"), Shipped().model);
  EXPECT_EQ(*blob.value, *v.racks);
  EXPECT_EQ(blob.holds, *v.racks >= 180 && *v.racks <= 300 ? Status::kPass : Status::kFail);
  // A ratio: dense kW over blob kW for the same target.
  const ClaimResult power = EvaluateClaim(Named(claims, "dense-one-fifth-power"), Shipped());
  const Verdict dense = Score(*FindShape(Shipped().shapes, "onprem-dense-1u-122tb"), TargetNamed("ai-lab-1eb"), Shipped().model);
  EXPECT_DOUBLE_EQ(*power.value, *dense.kw / *v.kw);
  // The claim's own availability: dense racks surviving a node loss, not the target's rack loss.
  const ClaimResult racks = EvaluateClaim(Named(claims, "dense-flash-20-racks"), Shipped());
  Target node_loss = TargetNamed("reference-1eb");
  node_loss.must_survive = "node";
  EXPECT_EQ(*racks.value, *Score(*FindShape(Shipped().shapes, "onprem-dense-1u-122tb"), node_loss, Shipped().model).racks);
}

// Each claim states the ranged inputs it turns on, and each stated turn is real: re-scored with
// that one input at that end, the claim holds where it did not (or the other way).
TEST(Claims, EachStatesTheRangedInputsItTurnsOn) {
  const auto claims = LoadClaims(SHAPEQ_PROFILES, Shipped());
  const ClaimResult racks = EvaluateClaim(Named(claims, "dense-flash-20-racks"), Shipped());
  ASSERT_EQ(racks.holds, Status::kFail);
  const auto turns = std::find_if(racks.turns_on.begin(), racks.turns_on.end(),
                                  [](const std::string& t) { return t.rfind("model.kw_per_rack at 30 ", 0) == 0; });
  ASSERT_NE(turns, racks.turns_on.end()) << "at 30 kW a rack the dense node's 1 EB fits in about 20 racks";
  EXPECT_NE(turns->find("makes it hold"), std::string::npos) << *turns;
  Catalog at30 = Shipped();
  SetModelField(at30.model, "kw_per_rack", 30);
  EXPECT_EQ(EvaluateClaim(Named(claims, "dense-flash-20-racks"), at30).holds, Status::kPass);
  const ClaimResult cores = EvaluateClaim(Named(claims, "vms-too-many-cores-per-tb"), Shipped());
  EXPECT_EQ(cores.holds, Status::kPass);
  EXPECT_TRUE(cores.turns_on.empty()) << "176x the cores per PB holds across every range";
}

TEST(Claims, EverySolvedEdgeHoldsAndJustOutsideItDoesNot) {
  size_t edges = 0;
  for (const auto& claim : LoadClaims(SHAPEQ_PROFILES, Shipped())) {
    const ClaimResult result = EvaluateClaim(claim, Shipped());
    Claim unsolved = claim;  // judged only, at each edge
    unsolved.solve_for.clear();
    ASSERT_EQ(result.solved.size(), claim.solve_for.size());
    for (const auto& solved : result.solved) {
      auto holds_at = [&](double value) {
        Catalog changed = Shipped();
        SetInput(changed, solved.input, value);
        return EvaluateClaim(unsolved, changed).holds;
      };
      const bool whole = solved.input.find(".cores") != std::string::npos || solved.input.find(".drive_count") != std::string::npos;
      if (solved.from) {
        EXPECT_EQ(holds_at(*solved.from), Status::kPass) << solved.text;
        if (!whole) {
          EXPECT_EQ(holds_at(*solved.from * 0.98), Status::kFail) << solved.text;
        }
        ++edges;
      }
      if (solved.to) {
        EXPECT_EQ(holds_at(*solved.to), Status::kPass) << solved.text;
        if (!whole) {
          EXPECT_EQ(holds_at(*solved.to * 1.02), Status::kFail) << solved.text;
        }
        ++edges;
      }
      EXPECT_EQ(solved.found, solved.text.rfind("holds", 0) == 0) << solved.text;
    }
  }
  EXPECT_GE(edges, 12u) << "most inputs have a range with two edges";
}

TEST(Claims, SolvingFindsTheReadRateThatSizesBlobAt240Racks) {
  const auto claims = LoadClaims(SHAPEQ_PROFILES, Shipped());
  const ClaimResult blob = EvaluateClaim(Named(claims, "blob-240-racks"), Shipped());
  const SolvedInput& read = blob.solved[0];
  ASSERT_EQ(read.input, "ai-lab-1eb.read_tbps");
  // By hand: a blob node reads 22.5 GB/s (its drives; the NIC's 200 Gbit/s x 0.9 is the same), 10
  // nodes to a 40U rack: 180 racks (240 - 25%) need 1,800 nodes, 40.5 TB/s; 300 racks 67.5 TB/s.
  ASSERT_TRUE(read.from && read.to);
  EXPECT_NEAR(*read.from, 1791 * 0.0225, 0.1) << read.text;  // 1,791 nodes still round up to 180 racks
  EXPECT_NEAR(*read.to, 67.5, 0.1) << read.text;
}

class BadClaims : public ::testing::Test {
 protected:
  test::TempDir dir_{"shapeq-claims"};
  std::string Write(const std::string& text) {
    const std::string path = (dir_.path() / "claim.json").string();
    std::ofstream(path) << text;
    return path;
  }
  void ExpectRefused(const std::string& text, const std::string& field) {
    try {
      LoadClaim(Write(text), Shipped());
      FAIL() << "accepted: " << text;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ExitCode::kBadInput) << e.what();
      const std::string message = e.what();
      EXPECT_NE(message.find("claim.json"), std::string::npos) << message;
      EXPECT_NE(message.find(field), std::string::npos) << message;
      EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    }
  }
};

TEST_F(BadClaims, AreRefusedNamingTheFileAndField) {
  const std::string head = R"({"schema": "shapeq.claim", "schema_version": 1, "title": "t", "said": "s", "sources": ["x"], )";
  const std::string figure = R"("figure": {"shape": "blob-hdd-4u90", "figure": "racks"}, )";
  ExpectRefused(head + R"("target": "nope", )" + figure + R"("claimed": {"at_least": 1}})", "target");
  ExpectRefused(head + R"("target": "ai-lab-1eb", "figure": {"shape": "nope", "figure": "racks"}, "claimed": {"at_least": 1}})", "shape");
  ExpectRefused(head + R"("target": "ai-lab-1eb", "figure": {"shape": "blob-hdd-4u90", "figure": "rm -rf"}, "claimed": {"at_least": 1}})", "figure");
  ExpectRefused(head + R"("target": "ai-lab-1eb", )" + figure + R"("claimed": {"value": 2, "within": 1.5}})", "within");
  ExpectRefused(head + R"("target": "ai-lab-1eb", )" + figure + R"("claimed": {"value": 2}})", "within");
  ExpectRefused(head + R"("target": "ai-lab-1eb", )" + figure + R"("claimed": {"at_least": 1}, "solve_for": ["model.nope"]})", "solve_for");
  ExpectRefused(head + R"("target": "ai-lab-1eb", )" + figure + R"("claimed": {"at_least": 1}, "extra": 1})", "extra");
  ExpectRefused(head + R"("target": "ai-lab-1eb", "must_survive": "meteor", )" + figure + R"("claimed": {"at_least": 1}})", "must_survive");
  ExpectRefused(R"({"schema": "shapeq.claim", "schema_version": 1, "title": "t", "said": "s", "sources": [], "target": "ai-lab-1eb", )" + figure +
                    R"("claimed": {"at_least": 1}})",
                "sources");
}

TEST(Claims, InputsAreReadAndSetInTheProfilesUnits) {
  Catalog catalog = Shipped();
  EXPECT_EQ(*InputValue(catalog, "model.kw_per_rack"), 15);
  EXPECT_EQ(*InputValue(catalog, "ai-lab-1eb.read_tbps"), 20);
  EXPECT_EQ(*InputValue(catalog, "blob-hdd-4u90.read_gbytes_per_s"), 22.5);
  SetInput(catalog, "blob-hdd-4u90.read_gbytes_per_s", 10);
  EXPECT_EQ(*FindShape(catalog.shapes, "blob-hdd-4u90")->read_bytes_per_s.value, 10e9);
  EXPECT_THROW(InputValue(catalog, "nobody.read_tbps"), Error);
  EXPECT_THROW(SetInput(catalog, "model.fill_fraction", 2), Error);
  EXPECT_THROW(SetInput(catalog, "noperiod", 2), Error);
}

}  // namespace
}  // namespace shapeq
