#pragma once
// The answer first: one screen an engineer can paste into a deck. Per target, the cheapest
// passing shape, then each seed shape (the shapes the claims are about, and the node this run
// measured) with its verdict, probability of pass, limiting factor and the input that decides it
// most. It opens the shape report and `shapeq score`'s terminal output.
#include <string>
#include <vector>

#include "results/report_model.h"
#include "scoring/claims.h"
#include "scoring/score_matrix.h"

namespace shapeq::report {

// The seed shapes: the measured node (a shape with a measured figure) first, then the shapes the
// claims name, each once, in the order met.
std::vector<std::string> SeedShapes(const std::vector<ScoredPair>& pairs, const std::vector<std::string>& claimed);

// The shapes the claims' figures are of.
std::vector<std::string> ClaimedShapes(const std::vector<ClaimResult>& claims);

Table AnswerFirstTable(const std::vector<ScoredPair>& pairs, const std::vector<std::string>& seeds);

}  // namespace shapeq::report
