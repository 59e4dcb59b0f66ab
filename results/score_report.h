#pragma once
// Reporters for verdicts: a terminal table per target, the 1 EB comparison table, the
// derivation of each number (--explain) and CSV (the JSON document: scoring/score_document.h). They take
// finished verdicts and the inputs that made them; they compute nothing the scorer did not.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "scoring/claims.h"
#include "scoring/score_matrix.h"
#include "scoring/sweep.h"

namespace shapeq {

// "1,000 PB usable, read 20 TB/s, ...; at most 2,000 kW": what a target asks for.
std::string RequirementsText(const Target& target);
// Each claim: what was said, the figure at the defaults against the claim, holds or not, and the
// inputs solved for (shapeq claims).
std::string FormatClaimsText(const std::vector<ClaimResult>& claims);

// The largest loss the verdict's deployment survives: "rack" (or "fault domain"), "node", "drive".
std::string SurvivesText(const Verdict& v);

// What a failing verdict would take, as re-scored: the changes that pass alone ("nic_gbps >= 280,
// or price_per_hour_usd <= 3.2"), then the set that passes only all together ("all together:
// drive_capacity_tb >= 140 and nic_gbps >= 274"); "" when re-scoring showed no pass. `csv`:
// separators and numbers a CSV cell can hold.
std::string WhatItWouldTakeText(const Verdict& v, bool csv = false);

// For a shape without a price: "price_per_hour_usd <= 1.35 passes the $4,000/PB-month budget;
// 0.217 matches onprem-dense-1u-122tb's $207/PB-month"; "" when there is nothing to say.
std::string BreakEvenText(const Verdict& v);
// A price a shape must stay at or under, rounded down at three significant figures: "0.0179".
std::string AtMostPriceText(double value);
// "azure-l96s-v4 has no price: ..." for each pair with something to say (BreakEvenText).
std::vector<std::string> BreakEvenNotes(const std::vector<ScoredPair>& pairs);

std::string FormatScoreTable(const std::vector<ScoredPair>& pairs, const Model& model, bool explain);
std::string FormatCompareTable(const std::vector<ScoredPair>& pairs, const Model& model);
std::string FormatScoreCsv(const std::vector<ScoredPair>& pairs);

// Each figure of a measured shape beside the catalog's rated one, with measured / rated.
std::string FormatRatedVsMeasured(const Shape& measured, const Shape* rated);

// A sweep: the same target with one field stepped, one row per step and shape.
std::string FormatSweepTable(const std::string& field, const std::vector<SweepStep>& steps);

}  // namespace shapeq
