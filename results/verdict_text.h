#pragma once
// A verdict's parts in words, for every reporter (the terminal tables, the shape report, the CSV,
// shapeq design): what a target asks for, what a deployment survives, what a failing verdict
// would take, and the price a shape without one could ask.
#include <string>
#include <vector>

#include "scoring/score_matrix.h"

namespace shapeq {

// "1,000 PB usable, read 20 TB/s, ...; at most 2,000 kW": what a target asks for.
std::string RequirementsText(const Target& target);
// The largest loss the verdict's deployment survives: "rack" (or "fault domain"), "node", "drive".
std::string SurvivesText(const Verdict& v);

// What a failing verdict would take, as re-scored: the changes that pass alone ("nic_gbps >= 280,
// or price_per_hour_usd <= 3.2"), then the set that passes only all together ("all together:
// drive_capacity_tb >= 140 and nic_gbps >= 274"); "" when re-scoring showed no pass. `csv`:
// separators and numbers a CSV cell can hold.
std::string WhatItWouldTakeText(const Verdict& v, bool csv = false);

// Why a verdict is uncertain: "fails at the values; passes with model.kw_per_rack >= 22.5
// (range 8-30), ..." for the first `most` inputs that flip it alone; "" when none does.
std::string FlipsText(const Verdict& v, size_t most = 3);

// For a shape without a price: "price_per_hour_usd <= 1.35 passes the $4,000/PB-month budget;
// 0.217 matches onprem-dense-1u-122tb's $207/PB-month"; "" when there is nothing to say.
std::string BreakEvenText(const Verdict& v);
// A price a shape must stay at or under, rounded down at three significant figures: "0.0179".
std::string AtMostPriceText(double value);
// "azure-l96s-v4 has no price: ..." for each pair with something to say (BreakEvenText).
std::vector<std::string> BreakEvenNotes(const std::vector<ScoredPair>& pairs);

}  // namespace shapeq
