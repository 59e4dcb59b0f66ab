// The catalogs: the shipped profiles load and say where each figure came from; bad profiles
// get one line naming the file and the field; random mutations never crash the parsers.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "common/error.h"
#include "scoring/catalog.h"
#include "scoring/scorer.h"
#include "tests/test_support.h"

namespace shapeq {
namespace {

namespace fs = std::filesystem;

const std::string kProfiles = SHAPEQ_PROFILES;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class ProfileFiles : public ::testing::Test {
 protected:

  std::string Write(const std::string& name, const std::string& text) {
    const auto path = dir_ / name;
    std::ofstream(path) << text;
    return path.string();
  }

  // A shipped shape with one edit made to its JSON.
  std::string ShapeWith(const std::function<void(nlohmann::json&)>& edit) {
    nlohmann::json j = nlohmann::json::parse(ReadAll(kProfiles + "/shapes/onprem-dense-1u-122tb.json"), nullptr, true, true);
    edit(j);
    return Write("edited-shape.json", j.dump());
  }
  std::string TargetWith(const std::function<void(nlohmann::json&)>& edit) {
    nlohmann::json j = nlohmann::json::parse(ReadAll(kProfiles + "/targets/ai-lab-1eb.json"), nullptr, true, true);
    edit(j);
    return Write("edited-target.json", j.dump());
  }
  std::string ModelWith(const std::function<void(nlohmann::json&)>& edit) {
    nlohmann::json j = nlohmann::json::parse(ReadAll(kProfiles + "/models/default.json"), nullptr, true, true);
    edit(j);
    return Write("edited-model.json", j.dump());
  }

  test::TempDir temp_{"shapeq-profiles"};
  const fs::path& dir_ = temp_.path();
};

std::string ErrorOf(const std::function<void()>& load) {
  try {
    load();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::kBadInput) << e.what();
    const std::string message = e.what();
    EXPECT_EQ(message.find('\n'), std::string::npos) << "one line";
    return message;
  }
  ADD_FAILURE() << "expected a bad-input error";
  return "";
}

TEST(Catalog, ShippedProfilesLoadWithSources) {
  const Catalog catalog = LoadCatalog(kProfiles);
  EXPECT_EQ(catalog.shapes.size(), 13u);
  EXPECT_EQ(catalog.targets.size(), 6u);
  EXPECT_EQ(catalog.model.schemes.at("ec-146+4").width(), 150u);
  for (const auto& shape : catalog.shapes) {
    for (const auto& spec : ShapeFields()) {
      const Figure& f = shape.*spec.member;
      if (f.basis == Basis::kUnknown) {
        EXPECT_FALSE(f.note.empty()) << shape.name << "." << spec.name << ": an unknown figure says why";
      } else {
        EXPECT_TRUE(shape.sources.count(f.source)) << shape.name << "." << spec.name;
      }
    }
  }
  // Figures the catalog quotes, in SI after loading.
  const auto& l96 = *std::find_if(catalog.shapes.begin(), catalog.shapes.end(), [](const Shape& s) { return s.name == "azure-l96s-v4"; });
  EXPECT_DOUBLE_EQ(*l96.read_bytes_per_s.value, 36e9);
  EXPECT_DOUBLE_EQ(*l96.nic_gbps.value, 41);
  EXPECT_DOUBLE_EQ(*l96.drive_capacity_bytes.value, 1.92e12);
  EXPECT_EQ(l96.read_bytes_per_s.basis, Basis::kRated);
}

// What ships cites sources a user can follow: nothing in the catalog, the docs, the README or the
// scripts points at the team's own notes outside the repository, and every source key a shape
// uses is listed with its address on docs/sources.md.
TEST(Catalog, ShippedCitationsTravelWithTheProject) {
  const fs::path root = fs::path(kProfiles).parent_path();
  const std::string outside = std::string("public-shape") + "-facts", workspace = std::string("shared/") + "reference";
  size_t read = 0;
  for (const char* dir : {"profiles", "docs", "scripts", "README.md", "cli", "scoring", "results"}) {
    const fs::path start = root / dir;
    std::vector<fs::path> files;
    if (fs::is_regular_file(start)) files.push_back(start);
    if (fs::is_directory(start)) {
      for (const auto& entry : fs::recursive_directory_iterator(start)) {
        if (entry.is_regular_file()) files.push_back(entry.path());
      }
    }
    for (const auto& file : files) {
      const std::string text = test::ReadText(file);
      ++read;
      EXPECT_EQ(text.find(outside), std::string::npos) << file << " points outside the project";
      EXPECT_EQ(text.find(workspace), std::string::npos) << file << " points outside the project";
    }
  }
  EXPECT_GT(read, 40u);
  const std::string sources = test::ReadText(root / "docs" / "sources.md");
  for (const auto& shape : LoadCatalog(kProfiles).shapes) {
    for (const auto& [key, text] : shape.sources) {
      EXPECT_NE(sources.find("`" + key + "`"), std::string::npos) << shape.name << ": source " << key << " is not on docs/sources.md";
    }
  }
}

// Every estimate and every price ships with the span it may lie in and why; the model's
// estimates too (the loader refuses one without). What sensitivity and uncertainty move.
TEST(Catalog, EveryShippedEstimateAndPriceHasARange) {
  const Catalog catalog = LoadCatalog(kProfiles);
  size_t ranged = 0;
  for (const auto& shape : catalog.shapes) {
    EXPECT_EQ(FiguresWithoutRange(shape), std::vector<std::string>{}) << shape.name;
    for (const auto& spec : ShapeFields()) {
      const Figure& f = shape.*spec.member;
      if (!f.range) continue;
      ++ranged;
      EXPECT_LE(f.range->low, *f.value * (1 + 1e-9)) << shape.name << "." << spec.name;
      EXPECT_GE(f.range->high, *f.value * (1 - 1e-9)) << shape.name << "." << spec.name;
      EXPECT_FALSE(f.range->why.empty()) << shape.name << "." << spec.name;
    }
  }
  EXPECT_GT(ranged, 80u);
  for (const char* term : {"kw_per_rack", "usd_per_kwh", "usd_per_rack_month", "rebuild_share", "protocol_efficiency"}) {
    ASSERT_TRUE(catalog.model.sourced.count(term)) << term;
    EXPECT_TRUE(catalog.model.sourced.at(term).range) << term;
  }
  EXPECT_DOUBLE_EQ(catalog.model.kw_per_rack, catalog.model.sourced.at("kw_per_rack").value.value());
}

// A cloud VM's power and space are its share of the host, with the ranges multiplied through;
// setting a host figure re-derives them, and a drive's price moves the node's capex with it.
TEST(Catalog, CloudPowerAndSpaceAreTheVmsShareOfItsHost) {
  Catalog catalog = LoadCatalog(kProfiles);
  Shape l32 = *FindShape(catalog.shapes, "azure-l32aos-v4");
  EXPECT_NEAR(*l32.watts.value, 1000 * 0.333, 1e-9);
  EXPECT_NEAR(*l32.rack_units.value, 1 * 0.333, 1e-9);
  EXPECT_EQ(l32.watts.basis, Basis::kDerived);
  ASSERT_TRUE(l32.watts.range);
  EXPECT_NEAR(l32.watts.range->low, 700 * 0.167, 1e-9);
  EXPECT_NEAR(l32.watts.range->high, 1500 * 0.333, 1e-9);
  SetShapeFigure(l32, "host_share", 0.25);
  EXPECT_NEAR(*l32.watts.value, 250, 1e-9);
  EXPECT_THROW(SetShapeFigure(l32, "host_share", 1.5), Error);

  Shape dense = *FindShape(catalog.shapes, "onprem-dense-1u-122tb");
  const double capex = *dense.capex_usd.value;
  SetShapeFigure(dense, "drive_price_usd", 931.8 + 100);
  EXPECT_NEAR(*dense.capex_usd.value, capex + 22 * 100, 1e-6) << "22 dearer drives make a dearer node";
}

TEST_F(ProfileFiles, RangesAreCheckedOnLoad) {
  auto with = [&](const char* field, nlohmann::json range) {
    return ErrorOf([&] { LoadShape(ShapeWith([&](nlohmann::json& j) { j["figures"][field].update(range); })); });
  };
  EXPECT_NE(with("watts", {{"low", 990}, {"high", 1100}, {"range_note", "x"}}).find("field figures.watts.low: above the value"), std::string::npos);
  EXPECT_NE(with("watts", {{"low", 600}, {"high", 900}, {"range_note", "x"}}).find("field figures.watts.high: below the value"), std::string::npos);
  EXPECT_NE(with("rack_units", {{"low", 1}}).find("field figures.rack_units.high: a range needs both"), std::string::npos);
  EXPECT_NE(with("cores", {{"low", 32}, {"high", 128}, {"range_note", nullptr}}).find("figures.cores.range_note: missing"), std::string::npos);
  EXPECT_NE(with("read_iops", {{"low", 1}, {"high", 2}}).find("figures.read_iops.low: an unknown figure has no range"), std::string::npos);
  const std::string model = ErrorOf([&] {
    LoadModel(ModelWith([](nlohmann::json& j) { j["kw_per_rack"] = {{"value", 15}, {"basis", "estimated"}, {"source", "a guess"}}; }));
  });
  EXPECT_NE(model.find("field kw_per_rack.low: an estimate needs its range"), std::string::npos) << model;
}

TEST(Catalog, HeadlineComparisonOrdersDenseFlashFirst) {
  const Catalog catalog = LoadCatalog(kProfiles);
  const auto& reference = *std::find_if(catalog.targets.begin(), catalog.targets.end(), [](const Target& t) { return t.name == "reference-1eb"; });
  std::map<std::string, Verdict> verdicts;
  for (const auto& shape : catalog.shapes) verdicts.emplace(shape.name, Score(shape, reference, catalog.model));
  // 22 x 122.88 TB x 146/150 x 0.85 = 2,236.58 TB a node: 1 EB needs 448 nodes.
  EXPECT_EQ(verdicts.at("onprem-dense-1u-122tb").nodes, 448);
  // Every cloud VM needs more racks for an exabyte than the dense 1U server.
  for (const auto& [name, v] : verdicts) {
    if (name.rfind("azure", 0) == 0 || name.rfind("aws", 0) == 0 || name.rfind("gcp", 0) == 0) {
      EXPECT_GT(*v.racks, *verdicts.at("onprem-dense-1u-122tb").racks) << name;
    }
  }
}

TEST_F(ProfileFiles, CommentsAreAllowed) {
  const std::string text = "// a comment\n" + ReadAll(kProfiles + "/targets/reference-1eb.json") + "\n/* trailing */\n";
  EXPECT_EQ(*LoadTarget(Write("commented.json", text)).usable_bytes, 1e18);
}

TEST_F(ProfileFiles, BadShapesNameFileAndField) {
  EXPECT_NE(ErrorOf([&] { LoadShape(ShapeWith([](auto& j) { j["figures"]["colour"] = {{"value", 1}, {"basis", "rated"}, {"source", "ceres"}}; })); })
                .find("edited-shape.json: field figures.colour: unknown field"), std::string::npos);
  EXPECT_NE(ErrorOf([&] { LoadShape(ShapeWith([](auto& j) { j["figures"]["drive_count"]["value"] = "22"; })); })
                .find("field figures.drive_count.value: expected a number"), std::string::npos);
  EXPECT_NE(ErrorOf([&] { LoadShape(ShapeWith([](auto& j) { j["figures"]["drive_count"]["value"] = 2.5; })); })
                .find("figures.drive_count.value: expected a positive integer"), std::string::npos);
  EXPECT_NE(ErrorOf([&] { LoadShape(ShapeWith([](auto& j) { j["figures"]["drive_capacity_tb"]["value"] = -1; })); })
                .find("figures.drive_capacity_tb.value: expected a positive number"), std::string::npos);
  EXPECT_NE(ErrorOf([&] { LoadShape(ShapeWith([](auto& j) { j["figures"]["drive_capacity_tb"]["value"] = 0; })); })
                .find("figures.drive_capacity_tb.value: expected a positive number"), std::string::npos);
  EXPECT_NE(ErrorOf([&] { LoadShape(ShapeWith([](auto& j) { j["figures"]["watts"]["basis"] = "guessed"; })); })
                .find("figures.watts.basis: expected rated"), std::string::npos);
  EXPECT_NE(ErrorOf([&] { LoadShape(ShapeWith([](auto& j) { j["figures"]["watts"]["source"] = "nowhere"; })); })
                .find("figures.watts.source: \"nowhere\" is not a key of sources"), std::string::npos);
  EXPECT_NE(ErrorOf([&] { LoadShape(ShapeWith([](auto& j) { j["figures"]["watts"] = {{"value", 5}, {"basis", "unknown"}}; })); })
                .find("figures.watts.value: must be null when basis is unknown"), std::string::npos);
  EXPECT_NE(ErrorOf([&] { LoadShape(ShapeWith([](auto& j) { j["figures"].erase("nic_gbps"); })); })
                .find("figures.nic_gbps: missing"), std::string::npos);
  EXPECT_NE(ErrorOf([&] { LoadShape(ShapeWith([](auto& j) { j["figures"]["drive_count"] = {{"value", nullptr}, {"basis", "unknown"}, {"note", "?"}}; })); })
                .find("figures.drive_count: must be known"), std::string::npos);
  EXPECT_NE(ErrorOf([&] { LoadShape(ShapeWith([](auto& j) { j["schema_version"] = 9; })); }).find("field schema_version: expected 1"),
            std::string::npos);
  EXPECT_NE(ErrorOf([&] { LoadShape(ShapeWith([](auto& j) { j["kind"] = "mainframe"; })); }).find("field kind"), std::string::npos);
}

TEST_F(ProfileFiles, BadTargetsNameFileAndField) {
  EXPECT_NE(ErrorOf([&] { LoadTarget(TargetWith([](auto& j) { j["read_tpbs"] = 20; })); }).find("field read_tpbs: unknown field"),
            std::string::npos);
  EXPECT_NE(ErrorOf([&] { LoadTarget(TargetWith([](auto& j) { j.erase("usable_pb"); })); }).find("field usable_pb: missing"),
            std::string::npos);
  EXPECT_NE(ErrorOf([&] { LoadTarget(TargetWith([](auto& j) { j["read_tbps"] = -3; })); }).find("field read_tbps: expected a positive"),
            std::string::npos);
  EXPECT_NE(ErrorOf([&] { LoadTarget(TargetWith([](auto& j) { j["checkpoint_tb"] = 18; })); })
                .find("field checkpoint_window_s: checkpoint_tb and checkpoint_window_s go together"), std::string::npos);
  EXPECT_NE(ErrorOf([&] { LoadTarget(TargetWith([](auto& j) { j["sources"] = "one"; })); }).find("field sources"), std::string::npos);
}

// A GPU cluster's capacity from its scenario: isolation hours x GPUs x GB/s per GPU x duty, or
// PB per GPU; the largest of those and the stated usable_pb is what the scorer sizes for.
TEST_F(ProfileFiles, ScenarioInputsSizeTheCapacity) {
  const Target shipped = LoadTarget(kProfiles + "/targets/gpu-cluster-8k.json");
  EXPECT_NEAR(*shipped.usable_bytes, 72 * 3600 * 8000 * 0.0965e9, 1e6);
  EXPECT_EQ(*shipped.stated_usable_bytes, 200e15);
  const Target scenario_only = LoadTarget(TargetWith([](auto& j) {
    j.erase("usable_pb");
    j["gpus"] = 1000;
    j["isolation_hours"] = 10;
    j["gbytes_per_s_per_gpu"] = 1;
    j["duty"] = 0.5;
  }));
  EXPECT_DOUBLE_EQ(*scenario_only.usable_bytes, 10 * 3600 * 1000 * 1e9 * 0.5);
  EXPECT_NE(scenario_only.usable_basis.find("10 h of isolation x 1000 GPUs x 1 GB/s each x duty 0.5"), std::string::npos) << scenario_only.usable_basis;
  Target per_gpu = scenario_only;
  SetTargetField(per_gpu, "pb_per_gpu", 0.1);  // 100 PB: more than the isolation's 18 PB
  EXPECT_DOUBLE_EQ(*per_gpu.usable_bytes, 100e15);
  EXPECT_EQ(per_gpu.usable_basis, "1000 GPUs x 0.1 PB each");
  SetTargetField(per_gpu, "isolation_hours", 100);  // 180 PB now
  EXPECT_DOUBLE_EQ(*per_gpu.usable_bytes, 180e15);
  EXPECT_THROW(SetTargetField(per_gpu, "duty", 2), Error);
  EXPECT_NE(ErrorOf([&] { LoadTarget(TargetWith([](auto& j) { j["isolation_hours"] = 72; })); })
                .find("field gbytes_per_s_per_gpu: isolation_hours and gbytes_per_s_per_gpu go together"), std::string::npos);
  EXPECT_NE(ErrorOf([&] { LoadTarget(TargetWith([](auto& j) { j["pb_per_gpu"] = 0.02; j.erase("gpus"); })); }).find("field gpus: missing"),
            std::string::npos);
  EXPECT_NE(ErrorOf([&] { LoadTarget(TargetWith([](auto& j) { j["duty"] = 1.5; })); }).find("field duty: expected a fraction"), std::string::npos);
}

TEST_F(ProfileFiles, ProtectionSchemesThatMakeNoSense) {
  auto scheme = [&](nlohmann::json s) {
    return ErrorOf([&] { LoadModel(ModelWith([&](auto& j) { j["protection"]["odd"] = s; })); });
  };
  EXPECT_NE(scheme({{"data", 8}, {"parity", 0}}).find("field protection.odd.parity: must be at least 1"), std::string::npos);
  EXPECT_NE(scheme({{"data", 0}, {"parity", 2}}).find("field protection.odd.data: expected a positive"), std::string::npos);
  EXPECT_NE(scheme({{"data", 1000}, {"parity", 100}}).find("over 1024 strips"), std::string::npos);
  EXPECT_NE(scheme({{"copies", 1}}).find("field protection.odd.copies: expected 2 to 10"), std::string::npos);
  EXPECT_NE(scheme({{"copies", 3}, {"data", 2}}).find("not both"), std::string::npos);
  EXPECT_NE(scheme({{"data", 4}, {"parity", 2}, {"spread", "racks"}}).find("field protection.odd.spread"), std::string::npos);
  // An LRC keeps at least one global parity and splits its data evenly into its groups.
  EXPECT_NE(scheme({{"data", 12}, {"parity", 2}, {"local_groups", 2}}).find("field protection.odd.local_groups: one local parity"), std::string::npos);
  EXPECT_NE(scheme({{"data", 13}, {"parity", 4}, {"local_groups", 2}}).find("field protection.odd.local_groups: expected data to split"), std::string::npos);
  EXPECT_NE(scheme({{"copies", 3}, {"local_groups", 1}}).find("field protection.odd.local_groups"), std::string::npos);
  EXPECT_NE(ErrorOf([&] { LoadModel(ModelWith([](auto& j) { j["fill_fraction"] = 1.5; })); }).find("field fill_fraction"),
            std::string::npos);
  EXPECT_NE(ErrorOf([&] { LoadModel(ModelWith([](auto& j) { j["rack_overhead_units"] = 42; })); }).find("no room"),
            std::string::npos);
}

TEST_F(ProfileFiles, TargetsNoShapeCanExpress) {
  const Catalog catalog = LoadCatalog(kProfiles);
  std::vector<Shape> shapes = {catalog.shapes[0]};
  shapes[0].nic_gbps = {};
  shapes[0].read_iops = {};
  Target kv = *std::find_if(catalog.targets.begin(), catalog.targets.end(), [](const Target& t) { return t.name == "reference-1eb"; });
  kv.iops_per_pb = 1e6;
  EXPECT_NE(ErrorOf([&] { CheckCatalog(shapes, {kv}, catalog.model); }).find("field iops_per_pb: no shape given knows read_iops"),
            std::string::npos);
  Target wrong = catalog.targets[0];
  wrong.protection = "raid-5";
  EXPECT_NE(ErrorOf([&] { CheckCatalog(catalog.shapes, {wrong}, catalog.model); }).find("field protection: \"raid-5\""),
            std::string::npos);
}

TEST_F(ProfileFiles, NotJsonOrNotThere) {
  EXPECT_NE(ErrorOf([&] { LoadShape(Write("broken.json", "{\"schema\": ")); }).find("broken.json: not valid JSON: parse error at line 1"),
            std::string::npos);
  EXPECT_NE(ErrorOf([&] { LoadShape((dir_ / "absent.json").string()); }).find("absent.json: cannot read"), std::string::npos);
  EXPECT_NE(ErrorOf([&] { LoadShape(Write("list.json", "[1, 2]")); }).find("list.json: expected a JSON object"), std::string::npos);
  EXPECT_NE(ErrorOf([&] { LoadCatalog((dir_ / "nothing").string()); }).find("no such directory"), std::string::npos);
}

// Seeded random mutations of every shipped profile, as text and as JSON values: each load
// either succeeds (and then scores without trouble) or fails with a bad-input error.
class ProfileFuzz : public ProfileFiles {
 protected:
  template <typename Load>
  void Fuzz(const std::string& original_path, Load load, int rounds) {
    const std::string original = ReadAll(original_path);
    const nlohmann::json parsed = nlohmann::json::parse(original, nullptr, true, true);
    const std::vector<std::string> tokens = {"-1", "0", "null", "\"x\"", "{", "}", "[", "]", ",", ":", "1e400", "2.5",
                                             "\"unknown\"", "//", "/*", "\xff", "true", "1e-300", "9007199254740993"};
    std::mt19937 rng(20261125);
    int loaded = 0;
    for (int round = 0; round < rounds; ++round) {
      std::string text;
      if (round % 2 == 0) {  // text mutation
        text = original;
        std::uniform_int_distribution<size_t> pos(0, text.size() - 1);
        switch (rng() % 4) {
          case 0: text[pos(rng)] = static_cast<char>(rng() % 256); break;
          case 1: text.erase(pos(rng), rng() % 40); break;
          case 2: text.insert(pos(rng), tokens[rng() % tokens.size()]); break;
          case 3: { const size_t at = pos(rng); text.insert(pos(rng), text.substr(at, rng() % 60)); break; }
        }
      } else {  // value mutation: replace one leaf with a value of another type
        nlohmann::json j = parsed;
        std::vector<nlohmann::json::json_pointer> leaves;
        const nlohmann::json flat = j.flatten();
        for (const auto& [key, value] : flat.items()) leaves.emplace_back(key);
        const auto& leaf = leaves[rng() % leaves.size()];
        const nlohmann::json replacements[] = {-1, 0, nullptr, "x", nlohmann::json::array(), nlohmann::json::object(), 1e308, 0.5, true};
        j[leaf] = replacements[rng() % std::size(replacements)];
        text = j.dump();
      }
      const std::string path = Write("fuzz.json", text);
      try {
        load(path);
        ++loaded;
      } catch (const Error& e) {
        ASSERT_EQ(e.code(), ExitCode::kBadInput) << e.what();
      } catch (const std::exception& e) {
        FAIL() << "round " << round << ": escaped as " << typeid(e).name() << ": " << e.what() << "\n" << text;
      }
    }
    EXPECT_GT(loaded, 0) << "some mutations are harmless and must still load";
  }
};

TEST_F(ProfileFuzz, ShapesNeverCrash) {
  const Catalog catalog = LoadCatalog(kProfiles);
  for (const char* name : {"azure-l96s-v4", "onprem-dense-1u-122tb", "blob-hdd-4u90"}) {
    Fuzz(kProfiles + "/shapes/" + name + ".json",
         [&](const std::string& path) {
           const Shape shape = LoadShape(path);
           for (const auto& target : catalog.targets) {
             try {
               (void)Score(shape, target, catalog.model);
             } catch (const Error& e) {
               ASSERT_EQ(e.code(), ExitCode::kBadInput);  // e.g. a mutated protection name
             }
           }
         },
         700);
  }
}

TEST_F(ProfileFuzz, TargetsAndModelsNeverCrash) {
  const Catalog catalog = LoadCatalog(kProfiles);
  Fuzz(kProfiles + "/targets/gpu-cluster-8k.json",
       [&](const std::string& path) {
         const Target target = LoadTarget(path);
         for (const auto& shape : catalog.shapes) {
           try {
             (void)Score(shape, target, catalog.model);
           } catch (const Error& e) {
             ASSERT_EQ(e.code(), ExitCode::kBadInput);
           }
         }
       },
       700);
  Fuzz(kProfiles + "/models/default.json",
       [&](const std::string& path) {
         const Model model = LoadModel(path);
         for (const auto& shape : catalog.shapes) {
           try {
             (void)Score(shape, catalog.targets[0], model);
           } catch (const Error& e) {
             ASSERT_EQ(e.code(), ExitCode::kBadInput);
           }
         }
       },
       700);
}

}  // namespace
}  // namespace shapeq
