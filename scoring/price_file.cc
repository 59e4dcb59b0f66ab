#include "scoring/price_file.h"

#include <cmath>

#include "common/error.h"
#include "common/json_read.h"
#include "scoring/catalog.h"
#include "scoring/profile_json.h"

namespace shapeq {
namespace {

constexpr double kMaxPricePerHourUsd = 10000;  // above any VM ever listed: a typo, not a price

}  // namespace

std::vector<PriceRow> ReadPriceFile(const std::string& path) {
  const nlohmann::json json = ReadJsonFile(path);
  if (!json.is_object()) throw BadInput(path, "not a JSON object");
  const FieldReader r(path, json);
  r.OnlyFields({"schema", "schema_version", "prices", "note"});
  r.Schema("shapeq.prices", 1);
  const auto prices = json.find("prices");
  if (prices == json.end() || !prices->is_array()) r.Fail("prices", "expected a list of prices");
  std::vector<PriceRow> rows;
  for (size_t i = 0; i < prices->size(); ++i) {
    const std::string field = "prices[" + std::to_string(i) + "]";
    if (!(*prices)[i].is_object()) r.Fail(field, "expected an object");
    const FieldReader row = r.Nested(field.c_str(), (*prices)[i]);
    row.OnlyFields({"shape", "price_per_hour_usd", "region", "terms", "source", "retrieved", "note"});
    PriceRow p{row.String("shape", true), 0, row.String("region", true), row.String("terms", true), row.String("source", true),
               row.String("retrieved", true)};
    const double price = *row.Number("price_per_hour_usd", true);
    if (!std::isfinite(price) || price > kMaxPricePerHourUsd) row.Fail("price_per_hour_usd", "expected a price per hour from 0 to 10,000 $");
    p.price_per_hour_usd = price;
    rows.push_back(p);
  }
  return rows;
}

nlohmann::json PriceFileJson(const std::vector<PriceRow>& rows) {
  nlohmann::json prices = nlohmann::json::array();
  for (const auto& p : rows) {
    prices.push_back({{"shape", p.shape}, {"price_per_hour_usd", p.price_per_hour_usd}, {"region", p.region}, {"terms", p.terms},
                      {"source", p.source}, {"retrieved", p.retrieved}});
  }
  return {{"schema", "shapeq.prices"}, {"schema_version", 1}, {"prices", prices}};
}

void ApplyPrices(std::vector<Shape>& shapes, const std::vector<PriceRow>& rows, const std::string& path) {
  for (size_t i = 0; i < rows.size(); ++i) {
    const PriceRow& p = rows[i];
    auto shape = std::find_if(shapes.begin(), shapes.end(), [&](const Shape& s) { return s.name == p.shape; });
    if (shape == shapes.end()) throw BadInput(path, "field prices[" + std::to_string(i) + "].shape: no shape named " + Quoted(p.shape) + " in the catalog");
    shape->price_per_hour_usd = {p.price_per_hour_usd, Basis::kRated, "prices", p.terms + ", " + p.region + ", read " + p.retrieved};
    shape->sources["prices"] = p.source + " (" + path + ")";
  }
}

}  // namespace shapeq
