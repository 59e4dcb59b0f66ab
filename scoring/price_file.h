#pragma once
// Prices with provenance: a file of cloud shapes' prices per hour, each with where, on what terms
// and when it was read. `shapeq prices` writes one from Azure's Retail Prices API; a team writes
// its own negotiated or reserved prices (AWS, GCP rows by hand or exported) in the same format.
// score, claims, design and qualify take it with --prices FILE.
//
//   {"schema": "shapeq.prices", "schema_version": 1,
//    "prices": [{"shape": "azure-l96s-v4", "price_per_hour_usd": 7.488, "region": "eastus",
//                "terms": "linux on-demand", "source": "Azure Retail Prices API, meter ...",
//                "retrieved": "2026-12-07"}]}
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "scoring/shape_profile.h"

namespace shapeq {

struct PriceRow {
  std::string shape;                // a catalog shape's name
  double price_per_hour_usd = 0;
  std::string region;               // eastus, us-east-1, ...
  std::string terms;                // linux on-demand, 1-year reserved, negotiated ...
  std::string source;               // where the price was read: an API and its meter, a quote, a URL
  std::string retrieved;            // when (YYYY-MM-DD)
};

// Strict: BadInput naming the file and the field (prices[2].price_per_hour_usd) for malformed
// JSON, an unknown field, a missing one, or a price that is not a positive number under $10,000/h.
std::vector<PriceRow> ReadPriceFile(const std::string& path);
nlohmann::json PriceFileJson(const std::vector<PriceRow>& rows);

// Each row's price on its shape: basis rated, its source "prices" saying the file, terms, region
// and date. A row naming no shape in `shapes` is BadInput naming the file and the row.
void ApplyPrices(std::vector<Shape>& shapes, const std::vector<PriceRow>& rows, const std::string& path);

}  // namespace shapeq
