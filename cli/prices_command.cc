// shapeq prices: the catalog's Azure VM sizes priced from Azure's Retail Prices API (Linux,
// on-demand, one region), into a price file that score, claims, design and qualify take with
// --prices FILE. AWS and GCP rows, and a team's negotiated or reserved prices, go into the same
// file by hand.
#include <cstdio>
#include <ctime>
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "common/error.h"
#include "results/azure_prices.h"
#include "results/number_text.h"
#include "scoring/catalog.h"
#include "scoring/price_file.h"

namespace shapeq::cli {
namespace {

std::string Today() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[16];
  std::strftime(text, sizeof text, "%Y-%m-%d", &utc);
  return text;
}

}  // namespace

Runner SetupPrices(CLI::App& app) {
  struct Args {
    std::string profiles_dir;
    std::vector<std::string> shapes;
    AzurePriceOptions azure;
    bool json = false;
    std::string out_path;
  };
  auto args = std::make_shared<Args>();
  app.add_option("--profiles", args->profiles_dir, "Catalog directory (default: the project's profiles/, or $SHAPEQ_PROFILES)");
  app.add_option("--shape", args->shapes, "Price only these catalog shapes (repeatable; default: every Azure shape with a cloud_sku)");
  app.add_option("--region", args->azure.region, "Azure region (armRegionName)")->capture_default_str();
  app.add_option("--api-url", args->azure.api_url, "The Retail Prices API")->capture_default_str();
  app.add_option("--timeout", args->azure.timeout_s, "Seconds a page may take")->capture_default_str()->check(CLI::Range(1.0, 600.0));
  AddOutputOptions(app, args->json, args->out_path, "Print the price file");
  return [args] {
    const Catalog catalog = LoadCatalog(ProfilesDir(args->profiles_dir));
    std::vector<std::pair<std::string, std::string>> shape_skus;
    for (const auto& shape : catalog.shapes) {
      const bool named = std::find(args->shapes.begin(), args->shapes.end(), shape.name) != args->shapes.end();
      const bool azure = shape.kind == "cloud-vm" && shape.cloud_sku.rfind("Standard_", 0) == 0;
      if (named && !azure) throw Error(ExitCode::kUsage, "--shape " + shape.name + ": not an Azure VM with a cloud_sku (Standard_...)");
      if (azure && (args->shapes.empty() || named)) shape_skus.emplace_back(shape.name, shape.cloud_sku);
    }
    for (const auto& name : args->shapes) {
      if (!FindShape(catalog.shapes, name)) throw Error(ExitCode::kUsage, "--shape " + name + ": no such shape in the catalog");
    }
    AzurePriceOptions azure = args->azure;
    azure.retrieved = Today();
    const std::vector<PriceRow> rows = FetchAzurePrices(shape_skus, azure);
    std::string text;
    for (const auto& row : rows) {
      text += row.shape + "  " + Printf("$%.4f/h", row.price_per_hour_usd) + "  " + row.terms + ", " + row.region + ", " + row.retrieved + "\n";
    }
    Emit(PriceFileJson(rows), args->json, args->out_path, text);
    return 0;
  };
}

}  // namespace shapeq::cli
