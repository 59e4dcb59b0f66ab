#include "results/azure_prices.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <memory>
#include <optional>

#include "common/error.h"
#include "common/json_read.h"
#include "results/lazy_curl.h"

namespace shapeq {
namespace {

// Only names the API itself uses: a region or size is letters, digits and '_'.
void CheckOdataValue(const std::string& field, const std::string& value) {
  const bool ok = !value.empty() && value.size() <= 64 &&
                  std::all_of(value.begin(), value.end(), [](unsigned char c) { return std::isalnum(c) || c == '_'; });
  if (!ok) throw Error(ExitCode::kUsage, field + " " + Quoted(value) + ": expected letters, digits and _ (an Azure name)");
}

// Percent-encoded as a query value, by libcurl (every byte but A-Z a-z 0-9 - . _ ~).
std::string UrlEncode(const std::string& text) {
  const LazyCurl& c = Curl();
  std::unique_ptr<char, void (*)(void*)> encoded(c.easy_escape(nullptr, text.c_str(), static_cast<int>(text.size())), c.free);
  if (!encoded) throw Error(ExitCode::kEnvironment, "libcurl could not encode a query");
  return encoded.get();
}

// "https://prices.azure.com" of a URL: a page link must stay on the service asked.
std::string Origin(const std::string& url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string::npos) return "";
  const size_t path = url.find('/', scheme + 3);
  return url.substr(0, path);
}

// One page: its body, or Error(kEnvironment) saying why there is none.
std::string GetPage(const std::string& url, const AzurePriceOptions& o, const std::string& what) {
  const LazyCurl& c = Curl();
  std::unique_ptr<CURL, void (*)(CURL*)> curl(c.easy_init(), c.easy_cleanup);
  if (!curl) throw Error(ExitCode::kEnvironment, "libcurl could not start");
  struct Body {
    std::string text;
    size_t limit;
    bool too_large = false;
  } body{"", o.max_page_bytes};
  char error[CURL_ERROR_SIZE] = {};
  c.easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  c.easy_setopt(curl.get(), CURLOPT_ERRORBUFFER, error);
  c.easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  c.easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS, static_cast<long>(o.timeout_s * 1000));
  c.easy_setopt(curl.get(), CURLOPT_PROTOCOLS_STR, "http,https");
  c.easy_setopt(curl.get(), CURLOPT_WRITEDATA, &body);
  c.easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, +[](char* data, size_t size, size_t n, void* user) -> size_t {
    auto* b = static_cast<Body*>(user);
    if (b->text.size() + size * n > b->limit) {
      b->too_large = true;
      return 0;  // stops the transfer: more than any page of prices
    }
    b->text.append(data, size * n);
    return size * n;
  });
  const CURLcode code = c.easy_perform(curl.get());
  if (body.too_large) {
    throw Error(ExitCode::kEnvironment, what + ": the answer is larger than " + std::to_string(o.max_page_bytes >> 20) + " MiB, not a page of prices");
  }
  if (code != CURLE_OK) {
    throw Error(ExitCode::kEnvironment, what + ": cannot reach " + Origin(url) + " (" + (error[0] ? error : c.easy_strerror(code)) +
                                            "); offline? a price file can be written by hand (docs/profiles.md)");
  }
  long status = 0;
  c.easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
  if (status != 200) throw Error(ExitCode::kEnvironment, what + ": " + Origin(url) + " answered HTTP " + std::to_string(status));
  return body.text;
}

bool Contains(const nlohmann::json& item, const char* field, const char* word) {
  const auto it = item.find(field);
  return it != item.end() && it->is_string() && it->get<std::string>().find(word) != std::string::npos;
}

std::string TextOf(const nlohmann::json& item, const char* field) {
  const auto it = item.find(field);
  return it != item.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

std::string AzurePriceFilter(const std::string& region, const std::string& arm_sku) {
  return "serviceName eq 'Virtual Machines' and armRegionName eq '" + region + "' and armSkuName eq '" + arm_sku + "' and priceType eq 'Consumption'";
}

std::vector<PriceRow> FetchAzurePrices(const std::vector<std::pair<std::string, std::string>>& shape_skus, const AzurePriceOptions& o) {
  CheckOdataValue("--region", o.region);
  const std::string origin = Origin(o.api_url);
  if (origin.empty() || (o.api_url.rfind("https://", 0) != 0 && o.api_url.rfind("http://", 0) != 0)) {
    throw Error(ExitCode::kUsage, "--api-url " + Quoted(o.api_url) + ": expected an http(s) URL");
  }
  std::vector<PriceRow> rows;
  for (const auto& [shape, sku] : shape_skus) {
    CheckOdataValue(shape + "'s cloud_sku", sku);
    const std::string what = "prices of " + sku + " in " + o.region;
    std::string url = o.api_url + "?$filter=" + UrlEncode(AzurePriceFilter(o.region, sku));
    std::optional<PriceRow> found;
    size_t other_meters = 0;
    for (size_t page = 0; !url.empty(); ++page) {
      if (page == o.max_pages) throw Error(ExitCode::kEnvironment, what + ": more than " + std::to_string(o.max_pages) + " pages");
      const std::string where = o.api_url + " (" + sku + ", page " + std::to_string(page + 1) + ")";
      nlohmann::json answer;
      try {
        answer = ParseJson(GetPage(url, o, what), where);
      } catch (const Error& e) {
        if (e.code() != ExitCode::kBadInput) throw;
        throw Error(ExitCode::kEnvironment, what + ": the answer is not the API's JSON (" + e.what() + ")");
      }
      if (!answer.is_object() || !answer.contains("Items") || !answer["Items"].is_array()) {
        throw Error(ExitCode::kEnvironment, what + ": the answer has no Items list");
      }
      const nlohmann::json& items = answer["Items"];
      for (size_t i = 0; i < items.size(); ++i) {
        const nlohmann::json& item = items[i];
        if (!item.is_object()) continue;
        // Another price of the same size: Windows licences, Spot and Low Priority capacity.
        if (Contains(item, "productName", "Windows") || Contains(item, "skuName", "Spot") || Contains(item, "meterName", "Spot") ||
            Contains(item, "skuName", "Low Priority") || Contains(item, "meterName", "Low Priority") || TextOf(item, "type") != "Consumption" ||
            TextOf(item, "armSkuName") != sku || TextOf(item, "armRegionName") != o.region) {
          ++other_meters;
          continue;
        }
        const std::string field = "Items[" + std::to_string(i) + "]";
        if (TextOf(item, "currencyCode") != "USD") throw BadInput(where, "field " + field + ".currencyCode: expected USD");
        if (TextOf(item, "unitOfMeasure") != "1 Hour") throw BadInput(where, "field " + field + ".unitOfMeasure: expected \"1 Hour\"");
        const auto price = item.find("retailPrice");
        if (price == item.end() || !price->is_number() || !std::isfinite(price->get<double>()) || price->get<double>() <= 0) {
          throw BadInput(where, "field " + field + ".retailPrice: " + (price == item.end() ? std::string("missing") : price->dump()) +
                                    " is not a positive number");
        }
        if (!found) {
          found = PriceRow{shape, price->get<double>(), o.region, "linux on-demand",
                           "Azure Retail Prices API, " + Origin(o.api_url) + ", meter " + TextOf(item, "meterId") + " (" + TextOf(item, "skuName") + ")",
                           o.retrieved};
        }
      }
      const auto next = answer.find("NextPageLink");
      url = next != answer.end() && next->is_string() ? next->get<std::string>() : "";
      if (!url.empty() && Origin(url) != origin) {
        throw Error(ExitCode::kEnvironment, what + ": the next page is on another host (" + Quoted(Origin(url)) + "), not followed");
      }
    }
    if (!found) {
      throw Error(ExitCode::kEnvironment, what + ": no Linux on-demand price (" + std::to_string(other_meters) + " other meters): not sold there?");
    }
    rows.push_back(*found);
  }
  return rows;
}

}  // namespace shapeq
