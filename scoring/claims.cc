#include "scoring/claims.h"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "common/error.h"
#include "common/json_optional.h"
#include "scoring/catalog_input.h"
#include "scoring/profile_json.h"
#include "scoring/ranged_inputs.h"
#include "scoring/verdict_figures.h"

namespace shapeq {
namespace {

// Cores of the deployment per usable PB asked for: the one claim figure that is the shape's too.
constexpr const char* kCoresPerUsablePb = "cores_per_usable_pb";

// A verdict figure in its unit, or the one figure a claim may name that needs the shape too.
std::optional<double> FigureOf(const Verdict& v, const Shape& shape, const Target& target, const std::string& figure) {
  if (figure == kCoresPerUsablePb) {
    return shape.cores.known() ? std::optional(*shape.cores.value * v.nodes / (*target.usable_bytes / kPB)) : std::nullopt;
  }
  const VerdictFigure* row = FindVerdictFigure(figure);
  return row ? row->InUnit(v) : std::nullopt;
}

Target ClaimTarget(const Claim& claim, const Catalog& catalog) {
  Target target = *FindTarget(catalog.targets, claim.target);  // LoadClaim checked it is there
  if (!claim.must_survive.empty()) target.must_survive = claim.must_survive == "none" ? "" : claim.must_survive;
  return target;
}

std::optional<double> Measure(const Claim& claim, const Catalog& catalog) {
  const Target target = ClaimTarget(claim, catalog);
  auto figure = [&](const ClaimFigure& f) {
    const Shape& shape = *FindShape(catalog.shapes, f.shape);
    return FigureOf(Score(shape, target, catalog.model), shape, target, f.figure);
  };
  const auto value = figure(claim.figure);
  if (!claim.over) return value;
  const auto over = figure(*claim.over);
  if (!value || !over || *over == 0) return std::nullopt;
  return *value / *over;
}

Status Holds(const Claim& claim, std::optional<double> value) {
  if (!value) return Status::kUnknown;
  bool holds = false;
  if (claim.comparison == "within") holds = std::abs(*value / claim.value - 1) <= claim.tolerance + 1e-12;
  if (claim.comparison == "at_least") holds = *value >= claim.value * (1 - 1e-12);
  if (claim.comparison == "at_most") holds = *value <= claim.value * (1 + 1e-12);
  return holds ? Status::kPass : Status::kFail;
}

// Three significant figures, without an exponent below 1e9 (2270, not 2.27e+03).
std::string Figure3(double value) {
  char text[48];
  if (std::abs(value) >= 1000 && std::abs(value) < 1e9) {
    const double scale = std::pow(10.0, std::floor(std::log10(std::abs(value))) - 2);
    std::snprintf(text, sizeof text, "%.0f", std::round(value / scale) * scale);
  } else {
    std::snprintf(text, sizeof text, "%.3g", value);
  }
  return text;
}

// Scans `input` over two decades each way from its value (161 points, evenly in log), takes the
// run of values that hold nearest the default, and refines its edges by bisection; each edge is
// then rounded inward at three figures and checked again.
SolvedInput Solve(const Claim& claim, const Catalog& catalog, const std::string& input) {
  SolvedInput s;
  s.input = input;
  s.now = InputValue(catalog, input);
  if (!s.now || *s.now <= 0) {
    s.text = input + " is unknown or 0 at the defaults: nothing to solve from";
    return s;
  }
  const std::string field = input.substr(input.rfind('.') + 1);  // LoadClaim checked NAME.FIELD
  const bool whole = field == "cores" || field == "drive_count";
  auto holds_at = [&](double x) {
    Catalog changed = catalog;
    try {
      SetInput(changed, input, whole ? std::max(1.0, std::round(x)) : x);
    } catch (const Error&) {
      return false;  // a value the field cannot hold (a fraction over 1)
    }
    return Holds(claim, Measure(claim, changed)) == Status::kPass;
  };
  constexpr int kSteps = 160;
  const double low = *s.now / 100, ratio = 1e4;
  auto at = [&](int i) { return low * std::pow(ratio, static_cast<double>(i) / kSteps); };
  std::vector<bool> holds(kSteps + 1);
  for (int i = 0; i <= kSteps; ++i) holds[i] = holds_at(at(i));
  // The run of holding points nearest the default (index kSteps / 2).
  int best_first = -1, best_last = -1, best_distance = kSteps + 1;
  for (int i = 0; i <= kSteps;) {
    if (!holds[i]) {
      ++i;
      continue;
    }
    int j = i;
    while (j + 1 <= kSteps && holds[j + 1]) ++j;
    const int middle = kSteps / 2;
    const int distance = middle < i ? i - middle : middle > j ? middle - j : 0;
    if (distance < best_distance) best_first = i, best_last = j, best_distance = distance;
    i = j + 1;
  }
  if (best_first < 0) {
    s.text = "no value of " + input + " from " + Figure3(at(0)) + " to " + Figure3(at(kSteps)) + " makes it hold (now " + Figure3(*s.now) + ")";
    return s;
  }
  s.found = true;
  // The edge between a failing `out` and a holding `in`, found in log space.
  auto edge = [&](double out, double in) {
    for (int k = 0; k < 30; ++k) {
      const double mid = std::sqrt(out * in);
      (holds_at(mid) ? in : out) = mid;
    }
    return in;
  };
  auto inward = [&](double value, bool up) {
    const double rounded = whole ? (up ? std::ceil(value) : std::floor(value)) : RoundToThreeFigures(value, up);
    return holds_at(rounded) ? rounded : value;
  };
  if (best_first > 0) s.from = inward(edge(at(best_first - 1), at(best_first)), true);
  if (best_last < kSteps) s.to = inward(edge(at(best_last + 1), at(best_last)), false);
  const std::string now = " (now " + Figure3(*s.now) + ")";
  if (s.from && s.to) {
    s.text = "holds with " + input + " from " + Figure3(*s.from) + " to " + Figure3(*s.to) + now;
  } else if (s.from) {
    s.text = "holds with " + input + " >= " + Figure3(*s.from) + now;
  } else if (s.to) {
    s.text = "holds with " + input + " <= " + Figure3(*s.to) + now;
  } else {
    s.text = "holds whatever " + input + " from " + Figure3(at(0)) + " to " + Figure3(at(kSteps)) + now;
  }
  return s;
}

ClaimFigure ReadFigure(const FieldReader& r, const char* field, const Catalog& catalog) {
  const FieldReader f = r.Nested(field, *r.Object(field, true));
  f.OnlyFields({"shape", "figure"});
  ClaimFigure figure{f.String("shape", true), f.String("figure", true)};
  if (!FindShape(catalog.shapes, figure.shape)) f.Fail("shape", "no shape named \"" + figure.shape + "\" in the catalog");
  const auto& names = ClaimFigureNames();
  if (std::find(names.begin(), names.end(), figure.figure) == names.end()) {
    std::string known;
    for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
    f.Fail("figure", "\"" + figure.figure + "\" is not a claim figure (have: " + known + ")");
  }
  return figure;
}

// The ranged inputs of the claim's shapes and of the model that, moved alone to an end of their
// range, make it hold or not where it does not or does at the values.
std::vector<std::string> TurnsOn(const Claim& claim, const Catalog& catalog, Status holds) {
  std::vector<std::string> turns;
  if (holds == Status::kUnknown) return turns;
  std::vector<std::string> shapes = {claim.figure.shape};
  if (claim.over && claim.over->shape != claim.figure.shape) shapes.push_back(claim.over->shape);
  std::vector<RangedInput> inputs = RangedModelTerms(catalog.model);
  for (const auto& name : shapes) {
    for (auto& input : RangedInputs(*FindShape(catalog.shapes, name), catalog.model)) {
      if (!input.model_term) inputs.push_back(std::move(input));
    }
  }
  for (const auto& input : inputs) {
    std::string ends;
    for (const double end : {input.low, input.high}) {
      Catalog moved = catalog;
      Shape unused;
      const std::string owner = input.name.substr(0, input.name.find('.'));
      const auto it = std::find_if(moved.shapes.begin(), moved.shapes.end(), [&](const Shape& s) { return s.name == owner; });
      SetRanged(input.model_term || it == moved.shapes.end() ? unused : *it, moved.model, input, end);
      const Status at = Holds(claim, Measure(claim, moved));
      if (at != Status::kUnknown && at != holds) ends += (ends.empty() ? "" : " and ") + Figure3(end);
    }
    if (!ends.empty()) {
      turns.push_back(input.name + " at " + ends + " (range " + Figure3(input.low) + "-" + Figure3(input.high) + ") " +
                      (holds == Status::kPass ? "breaks it" : "makes it hold"));
    }
  }
  return turns;
}

}  // namespace

const std::vector<std::string>& ClaimFigureNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> all;
    for (const auto& figure : VerdictFigures()) all.push_back(figure.name);
    all.push_back(kCoresPerUsablePb);
    return all;
  }();
  return names;
}

Claim LoadClaim(const std::string& path, const Catalog& catalog) {
  const nlohmann::json json = ParseProfileFile(path);
  const FieldReader r(path, json);
  r.OnlyFields({"schema", "schema_version", "title", "said", "sources", "target", "must_survive", "figure", "over", "claimed", "solve_for", "note"});
  r.Schema(kClaimSchema, 1);
  Claim claim;
  ReadProfileHead(r, path, claim);
  claim.said = r.String("said", true);
  const auto sources = json.find("sources");
  if (sources == json.end() || !sources->is_array() || sources->empty()) r.Fail("sources", "expected a list of where the claim was made");
  for (const auto& source : *sources) {
    if (!source.is_string()) r.Fail("sources", "expected a list of strings");
    claim.sources.push_back(source.get<std::string>());
  }
  claim.target = r.String("target", true);
  if (!FindTarget(catalog.targets, claim.target)) {
    r.Fail("target", "no target named \"" + claim.target + "\" in the catalog");
  }
  claim.must_survive = r.String("must_survive", false);
  if (!claim.must_survive.empty() && claim.must_survive != "none" && claim.must_survive != "drive" && claim.must_survive != "node" &&
      claim.must_survive != "rack") {
    r.Fail("must_survive", "expected \"none\", \"drive\", \"node\" or \"rack\"");
  }
  claim.figure = ReadFigure(r, "figure", catalog);
  if (json.contains("over")) claim.over = ReadFigure(r, "over", catalog);
  const FieldReader claimed = r.Nested("claimed", *r.Object("claimed", true));
  claimed.OnlyFields({"value", "within", "at_least", "at_most"});
  if (json["claimed"].contains("within")) {
    claim.comparison = "within";
    claim.value = *claimed.Number("value", true);
    claim.tolerance = *claimed.Number("within", true);
    if (claim.tolerance >= 1) claimed.Fail("within", "expected a fraction under 1 (0.25: within 25%)");
  } else if (json["claimed"].contains("at_least") || json["claimed"].contains("at_most")) {
    if (json["claimed"].contains("value")) claimed.Fail("value", "give at_least or at_most alone, or value with within");
    claim.comparison = json["claimed"].contains("at_least") ? "at_least" : "at_most";
    claim.value = *claimed.Number(claim.comparison.c_str(), true);
  } else {
    claimed.Fail("within", "expected value with within, at_least, or at_most");
  }
  if (const auto solve = json.find("solve_for"); solve != json.end()) {
    if (!solve->is_array()) r.Fail("solve_for", "expected a list of NAME.FIELD");
    for (const auto& item : *solve) {
      if (!item.is_string()) r.Fail("solve_for", "expected a list of NAME.FIELD");
      try {
        InputValue(catalog, item.get<std::string>());
      } catch (const Error& e) {
        r.Fail("solve_for", e.what());
      }
      claim.solve_for.push_back(item.get<std::string>());
    }
  }
  return claim;
}

std::vector<Claim> LoadClaims(const std::string& profiles_dir, const Catalog& catalog) {
  std::vector<Claim> claims;
  const std::string dir = profiles_dir + "/claims";
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return claims;
  for (const auto& file : ProfileFiles(dir)) claims.push_back(LoadClaim(file, catalog));
  return claims;
}

ClaimResult EvaluateClaim(const Claim& claim, const Catalog& catalog) {
  ClaimResult r;
  r.name = claim.name;
  r.title = claim.title;
  r.said = claim.said;
  for (const auto& source : claim.sources) r.source += (r.source.empty() ? "" : "; ") + source;
  r.target = claim.target;
  r.shapes = {claim.figure.shape};
  if (claim.over && claim.over->shape != claim.figure.shape) r.shapes.push_back(claim.over->shape);
  auto figure_text = [&](const ClaimFigure& f) { return f.figure + " of " + f.shape; };
  r.metric = figure_text(claim.figure) + (claim.over ? " / " + figure_text(*claim.over) : "") + " for " + claim.target;
  if (!claim.must_survive.empty()) r.metric += claim.must_survive == "none" ? " (no loss survived)" : " (surviving a " + claim.must_survive + " loss)";
  r.claimed = claim.comparison == "within" ? Figure3(claim.value) + " (within " + Figure3(claim.tolerance * 100) + "%)"
                                           : (claim.comparison == "at_least" ? ">= " : "<= ") + Figure3(claim.value);
  r.value = Measure(claim, catalog);
  r.holds = Holds(claim, r.value);
  for (const auto& input : claim.solve_for) r.solved.push_back(Solve(claim, catalog, input));
  r.turns_on = TurnsOn(claim, catalog, r.holds);
  return r;
}

void to_json(nlohmann::json& j, const ClaimResult& r) {
  nlohmann::json solved = nlohmann::json::array();
  for (const auto& s : r.solved) {
    solved.push_back({{"input", s.input}, {"now", s.now}, {"from", s.from}, {"to", s.to}, {"found", s.found}, {"text", s.text}});
  }
  j = {{"name", r.name}, {"title", r.title}, {"said", r.said}, {"source", r.source}, {"target", r.target}, {"metric", r.metric},
       {"claimed", r.claimed}, {"value", r.value}, {"holds", StatusName(r.holds)}, {"solved", solved}, {"turns_on", r.turns_on}, {"shapes", r.shapes}};
}

void from_json(const nlohmann::json& j, ClaimResult& r) {
  auto number = [](const nlohmann::json& o, const char* key) {
    return o.contains(key) && o[key].is_number() ? std::optional(o[key].get<double>()) : std::nullopt;
  };
  r.name = j.value("name", "");
  r.title = j.value("title", "");
  r.said = j.value("said", "");
  r.source = j.value("source", "");
  r.target = j.value("target", "");
  r.metric = j.value("metric", "");
  r.claimed = j.value("claimed", "");
  r.value = number(j, "value");
  const std::string holds = j.value("holds", "unknown");
  r.holds = holds == "pass" ? Status::kPass : holds == "fail" ? Status::kFail : Status::kUnknown;
  r.shapes.clear();
  if (const auto s = j.find("shapes"); s != j.end() && s->is_array()) {
    for (const auto& item : *s) {
      if (item.is_string()) r.shapes.push_back(item.get<std::string>());
    }
  }
  r.turns_on.clear();
  if (const auto t = j.find("turns_on"); t != j.end() && t->is_array()) {
    for (const auto& item : *t) {
      if (item.is_string()) r.turns_on.push_back(item.get<std::string>());
    }
  }
  r.solved.clear();
  for (const auto& s : j.value("solved", nlohmann::json::array())) {
    r.solved.push_back({s.value("input", ""), number(s, "now"), number(s, "from"), number(s, "to"), s.value("found", false), s.value("text", "")});
  }
}

}  // namespace shapeq
