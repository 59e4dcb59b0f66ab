// verdicts.json read back: every verdict of the catalog's score matrix survives the round trip
// unchanged, and a document that names what it does not hold is a one-line BadInput.
#include <gtest/gtest.h>

#include "common/error.h"
#include "scoring/catalog.h"
#include "scoring/score_document.h"

namespace shapeq {
namespace {

TEST(ScoreDocument, TheCatalogsMatrixReadsBackAsTheSameVerdicts) {
  const Catalog catalog = LoadCatalog(SHAPEQ_PROFILES);
  const auto pairs = ScoreAll(catalog.shapes, catalog.targets, catalog.model);
  ASSERT_GT(pairs.size(), 20u);
  const nlohmann::json written = WriteScoreDocument(pairs, catalog.model);
  const ScoreDocument read = ReadScoreDocument(written, "verdicts.json");
  ASSERT_EQ(read.verdicts.size(), pairs.size());
  for (size_t i = 0; i < pairs.size(); ++i) {
    EXPECT_EQ(nlohmann::json(read.verdicts[i]), nlohmann::json(pairs[i].verdict)) << pairs[i].verdict.shape << " / " << pairs[i].verdict.target;
  }
  // The inputs come back typed: figures in SI with their basis, requirements, the model's terms.
  const Shape* dense = read.FindShape("onprem-dense-1u-122tb");
  ASSERT_NE(dense, nullptr);
  EXPECT_DOUBLE_EQ(*dense->drive_capacity_bytes.value, 122.88e12);
  EXPECT_EQ(dense->drive_count.basis, Basis::kRated);
  EXPECT_EQ(read.model.schemes.at("ec-146+4").width(), 150u);
  EXPECT_EQ(read.model.fill_fraction, catalog.model.fill_fraction);
  // Written again, the document is the same document.
  EXPECT_EQ(WriteScoreDocument(read.Pairs(), read.model), written);
  for (const auto& p : read.Pairs()) {
    ASSERT_NE(p.shape, nullptr);
    ASSERT_NE(p.target, nullptr);
    EXPECT_EQ(p.shape->name, p.verdict.shape);
    EXPECT_EQ(p.target->name, p.verdict.target);
  }
}

void ExpectBadInput(const nlohmann::json& document, const std::string& expected) {
  try {
    ReadScoreDocument(document, "run/verdicts.json");
    ADD_FAILURE() << "accepted: " << expected;
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::kBadInput);
    const std::string message = e.what();
    EXPECT_NE(message.find("run/verdicts.json"), std::string::npos) << message;
    EXPECT_NE(message.find(expected), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
}

TEST(ScoreDocument, ADocumentThatDoesNotHoldWhatItNamesIsOneLineOfBadInput) {
  const Catalog catalog = LoadCatalog(SHAPEQ_PROFILES);
  const std::vector<Shape> shapes = {catalog.shapes.front()};  // pairs point into these
  const std::vector<Target> targets = {catalog.targets.front()};
  const auto pairs = ScoreAll(shapes, targets, catalog.model);
  const nlohmann::json good = WriteScoreDocument(pairs, catalog.model);
  ASSERT_NO_THROW(ReadScoreDocument(good, "run/verdicts.json"));

  ExpectBadInput({{"schema", "something.else"}}, "not a shapeq.verdicts document");
  nlohmann::json bad = good;
  bad["verdicts"][0]["status"] = "maybe";
  ExpectBadInput(bad, "maybe");
  bad = good;
  bad["verdicts"][0]["limiting_factor"] = "luck";
  ExpectBadInput(bad, "luck");
  bad = good;
  bad["verdicts"][0]["nodes"] = "many";
  ExpectBadInput(bad, "nodes");
  bad = good;
  bad["verdicts"][0]["shape"] = "nowhere";
  ExpectBadInput(bad, "shape nowhere");
  bad = good;
  bad["targets"] = nlohmann::json::object();
  ExpectBadInput(bad, "target");
  bad = good;
  bad["model"]["protection"]["ec-146+4"]["data"] = 0;
  ExpectBadInput(bad, "data");
  bad = good;
  bad["shapes"].begin()->at("figures")["watts"]["basis"] = "hearsay";
  ExpectBadInput(bad, "hearsay");
}

}  // namespace
}  // namespace shapeq
