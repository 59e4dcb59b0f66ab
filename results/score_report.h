#pragma once
// `shapeq score`'s words: a terminal table per target, the 1 EB comparison table, the derivation
// of each number (--explain), the sweep and CSV, each a verdict_tables.h table rendered by
// report_render (the JSON document: scoring/score_document.h). They compute nothing the scorer did not.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "scoring/claims.h"
#include "scoring/score_matrix.h"
#include "scoring/sweep.h"
#include "scoring/uncertainty.h"
#include "results/verdict_text.h"

namespace shapeq {

// Each claim: what was said, the figure at the defaults against the claim, holds or not, and the
// inputs solved for (shapeq claims).
std::string FormatClaimsText(const std::vector<ClaimResult>& claims);

// One screen first: per target the cheapest passing shape and each seed shape (the measured node,
// the shapes `claimed` names) with verdict, P(pass), limiting factor, deciding input.
std::string FormatAnswerFirst(const std::vector<ScoredPair>& pairs, const std::vector<std::string>& claimed);

std::string FormatScoreTable(const std::vector<ScoredPair>& pairs, const Model& model, bool explain);
std::string FormatCompareTable(const std::vector<ScoredPair>& pairs, const Model& model);
std::string FormatScoreCsv(const std::vector<ScoredPair>& pairs);

// What decides each verdict (score --sensitivity): per target, each shape's inputs that move it
// (at most `per_shape`), with the verdict at each end of the range and where it turns.
std::string FormatSensitivity(const std::vector<ScoredPair>& pairs, size_t per_shape = 8);
// Each verdict sampled with every range at once (score --uncertainty N).
std::string FormatUncertainty(const std::vector<ScoredPair>& pairs, const UncertaintyRun& run);

// Each figure of a measured shape beside the catalog's rated one, with measured / rated.
std::string FormatRatedVsMeasured(const Shape& measured, const Shape* rated);

// A sweep: the same target with one field stepped, one row per step and shape; as CSV, every
// verdict column after the stepped value.
std::string FormatSweepTable(const std::string& field, const std::vector<SweepStep>& steps);
std::string FormatSweepCsv(const std::string& field, const std::vector<SweepStep>& steps);

}  // namespace shapeq
