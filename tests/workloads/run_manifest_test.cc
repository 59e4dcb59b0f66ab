// manifest.json read once into RunManifest: what run_record writes comes back, and a field of the
// wrong type reads as empty (run_dir refuses such a file first; the reader never throws).
#include "model/run_manifest.h"

#include <gtest/gtest.h>

namespace shapeq {
namespace {

using nlohmann::json;

TEST(RunManifest, WhatARunRecordsReadsBackStageByStage) {
  const json written = {{"schema", "shapeq.manifest"}, {"complete", false}, {"interrupted", true}, {"mode", "quick"},
                        {"started_utc", "2026-12-07T22:00:00Z"}, {"rated_shape", "onprem-dense-1u-122tb"}, {"results_digest", "ab12"},
                        {"files", {"manifest.json", "storage.json"}},
                        {"stages", {{{"name", "probe"}, {"status", "ok"}, {"summary", "2 threads"}, {"seconds", 0.5}},
                                    {{"name", "storage"}, {"status", "stopped"}, {"reason", "interrupted"}}}}};
  const RunManifest m = written.get<RunManifest>();
  EXPECT_FALSE(m.complete);
  EXPECT_TRUE(m.interrupted);
  EXPECT_EQ(m.mode, "quick");
  EXPECT_EQ(m.rated_shape, "onprem-dense-1u-122tb");
  ASSERT_TRUE(m.files);
  EXPECT_EQ(m.files->size(), 2u);
  ASSERT_NE(m.Stage("storage"), nullptr);
  EXPECT_EQ(m.Stage("storage")->reason, "interrupted");
  EXPECT_EQ(m.Stage("probe")->seconds, 0.5);
  EXPECT_EQ(m.Stage("score"), nullptr);
  // And back: the same fields.
  const RunManifest again = json(m).get<RunManifest>();
  EXPECT_EQ(json(again), json(m));
}

TEST(RunManifest, FieldsOfTheWrongTypeReadAsEmpty) {
  for (const json& j : {json(nullptr), json::array(), json{{"complete", "yes"}, {"mode", 3}, {"files", "all"}, {"stages", {1, "x", {{"name", 2}}}}}}) {
    RunManifest m;
    ASSERT_NO_THROW(m = j.get<RunManifest>()) << j.dump();
    EXPECT_FALSE(m.complete);
    EXPECT_TRUE(m.mode.empty());
    EXPECT_FALSE(m.files);
    for (const auto& stage : m.stages) EXPECT_TRUE(stage.name.empty());
  }
}

}  // namespace
}  // namespace shapeq
