#pragma once
// Azure's list prices, read from its unauthenticated Retail Prices API
// (https://prices.azure.com/api/retail/prices): one query per VM size, filtered to the Virtual
// Machines service, the region, the size's armSkuName and priceType Consumption, paged through
// NextPageLink. Of the meters that answers, only Linux on-demand ones count: a productName with
// "Windows", or a skuName or meterName with "Spot" or "Low Priority", is another price.
#include <string>
#include <vector>

#include "scoring/price_file.h"

namespace shapeq {

struct AzurePriceOptions {
  std::string api_url = "https://prices.azure.com/api/retail/prices";
  std::string region = "eastus";      // armRegionName
  double timeout_s = 30;              // per page
  size_t max_pages = 20;              // per size: the API pages by 100 items
  size_t max_page_bytes = 8u << 20;   // a page is tens of KiB; more is not an answer
  std::string retrieved;              // today (YYYY-MM-DD), recorded on each row
};

// The Linux on-demand price of each (shape name, armSkuName). Error(kEnvironment) naming the size
// and the reason when the service cannot be reached, answers with something other than its JSON
// (HTML, too large, a page link to another host), or gives no Linux on-demand price; BadInput
// naming the answer's field for a price that is not a positive number.
std::vector<PriceRow> FetchAzurePrices(const std::vector<std::pair<std::string, std::string>>& shape_skus, const AzurePriceOptions& options);

// The OData $filter for one size, as the API takes it (not URL-encoded).
std::string AzurePriceFilter(const std::string& region, const std::string& arm_sku);

}  // namespace shapeq
