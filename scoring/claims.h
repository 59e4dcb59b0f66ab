#pragma once
// Claims from the product side, as data (profiles/claims/*.json), checked against the scorer: each
// names a figure of a verdict (or the ratio of two), the value claimed and how close counts, and
// the stated inputs that might make it hold. EvaluateClaim scores it at the catalog's defaults and,
// for each input, solves for the values under which it would hold (a scan over two decades each
// way, its edges refined by bisection and re-scored), so "it holds if" is computed, not guessed.
// Docs: docs/scoring.md ("Claims").
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "scoring/catalog.h"
#include "scoring/catalog_input.h"
#include "scoring/scorer.h"

namespace shapeq {

inline constexpr const char* kClaimSchema = "shapeq.claim";

// One figure of one shape's verdict for the claim's target.
struct ClaimFigure {
  std::string shape;
  std::string figure;  // one of ClaimFigureNames()
};

struct Claim {
  std::string name;  // file stem
  std::string file;
  std::string title;
  std::string said;  // the claim as it was made
  std::vector<std::string> sources;
  std::string target;
  std::string must_survive;  // overrides the target's, when the claim states one ("none" clears it)
  ClaimFigure figure;
  std::optional<ClaimFigure> over;  // a ratio: figure / over
  std::string comparison;           // within, at_least, at_most
  double value = 0;
  double tolerance = 0;             // within: |measured / value - 1| <= tolerance
  std::vector<std::string> solve_for;  // NAME.FIELD: a shape's, the target's, or model.FIELD
};

// What one input would have to be for the claim to hold.
struct SolvedInput {
  std::string input;              // NAME.FIELD
  std::optional<double> now;      // its value at the defaults, in the profile's unit
  std::optional<double> from, to; // the range nearest `now` in which the claim holds (empty end: beyond the scan)
  bool found = false;             // some value in the scan made it hold
  std::string text;               // "holds with model.kw_per_rack from 26.3 (now 15)"
};

struct ClaimResult {
  std::string name;
  std::string title;
  std::string said;
  std::string source;
  std::string target;
  std::vector<std::string> shapes;  // the shapes its figures are of
  std::string metric;   // "racks of onprem-dense-1u-122tb for reference-1eb"
  std::string claimed;  // "20 (within 25%)"
  std::optional<double> value;  // at the defaults
  Status holds = Status::kUnknown;
  std::vector<SolvedInput> solved;
  // The ranged inputs it turns on: "model.kw_per_rack at 30 (range 8-30) breaks it".
  std::vector<std::string> turns_on;
};

// The figures a claim may name: every verdict figure (verdict_figures.h), and cores_per_usable_pb.
const std::vector<std::string>& ClaimFigureNames();

// Throws BadInput naming the file and field; shapes, target and inputs are checked against `catalog`.
Claim LoadClaim(const std::string& path, const Catalog& catalog);
// Every profiles/claims/*.json; none when the directory is absent.
std::vector<Claim> LoadClaims(const std::string& profiles_dir, const Catalog& catalog);

ClaimResult EvaluateClaim(const Claim& claim, const Catalog& catalog);

void to_json(nlohmann::json& j, const ClaimResult& r);
void from_json(const nlohmann::json& j, ClaimResult& r);

}  // namespace shapeq
