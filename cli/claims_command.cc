// shapeq claims: each claim of profiles/claims/ scored at the catalog's defaults (holds / does
// not hold), with the value of each stated input under which it would hold, solved by re-scoring.
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "common/error.h"
#include "results/score_report.h"
#include "scoring/catalog_input.h"
#include "scoring/claims.h"

namespace shapeq::cli {
namespace {

struct Args {
  CatalogOptions catalog;
  std::vector<std::string> claims;
  bool json = false;
  std::string out_path;
};

int Run(const Args& args) {
  const std::string profiles = args.catalog.Dir();
  const Catalog catalog = args.catalog.Load();
  std::vector<Claim> claims = LoadClaims(profiles, catalog);
  if (claims.empty()) throw BadInput(profiles + "/claims", "holds no claims");
  if (!args.claims.empty()) {
    std::vector<Claim> chosen;
    for (const auto& name : args.claims) {
      const auto it = std::find_if(claims.begin(), claims.end(), [&](const Claim& c) { return c.name == name; });
      if (it == claims.end()) throw Error(ExitCode::kUsage, "--claim " + name + ": no such claim in " + profiles + "/claims");
      chosen.push_back(*it);
    }
    claims = chosen;
  }
  std::vector<ClaimResult> results;
  for (const auto& claim : claims) results.push_back(EvaluateClaim(claim, catalog));
  Emit(nlohmann::json{{"schema", "shapeq.claims"}, {"schema_version", 1}, {"claims", results}}, args.json, args.out_path,
       FormatClaimsText(results));
  return 0;
}

}  // namespace

Runner SetupClaims(CLI::App& app) {
  auto args = std::make_shared<Args>();
  app.add_option("--claim", args->claims, "Evaluate only these claims (repeatable)");
  AddCatalogOptions(app, args->catalog);
  AddOutputOptions(app, args->json, args->out_path, "Versioned JSON (schema shapeq.claims)");
  return [args] { return Run(*args); };
}

}  // namespace shapeq::cli
