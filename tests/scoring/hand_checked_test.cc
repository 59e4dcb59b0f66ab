// Three catalog verdicts recomputed by hand from the profile files themselves (read here with
// plain JSON, not the loader), formula by formula as docs/scoring.md states them: the dense 1U
// node and the blob HDD server for the 1 EB comparison, and AWS i7ie for the weather archive.
// If the scorer, the loader or a profile drifts from the documented arithmetic, these disagree.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "scoring/catalog.h"
#include "scoring/scorer.h"

namespace shapeq {
namespace {

// A profile without its // comment lines, as plain JSON.
nlohmann::json Profile(const std::string& relative) {
  std::ifstream in(std::string(SHAPEQ_PROFILES) + "/" + relative);
  std::string line, text;
  while (std::getline(in, line)) {
    const size_t first = line.find_first_not_of(' ');
    if (first != std::string::npos && line.compare(first, 2, "//") == 0) continue;
    text += line + "\n";
  }
  return nlohmann::json::parse(text);
}

// A model term as written: a bare number, or {"value": ..., "basis": ..., "low": ...}.
double Term(const nlohmann::json& model, const char* name) {
  const auto& term = model[name];
  return term.is_object() ? term["value"].get<double>() : term.get<double>();
}

double Fig(const nlohmann::json& shape, const char* name) { return shape["figures"][name]["value"].get<double>(); }
double FigOr(const nlohmann::json& shape, const char* name, double otherwise) {
  const auto& f = shape["figures"];
  return f.contains(name) && f[name]["value"].is_number() ? f[name]["value"].get<double>() : otherwise;
}

struct Expected {
  double nodes, racks, kw, usd_per_month;
};

// The on-prem arithmetic of docs/scoring.md, from the files.
Expected OnPrem(const nlohmann::json& s, const nlohmann::json& m, const nlohmann::json& scheme, double usable_pb, bool survive_rack) {
  const double k = scheme["data"], p = scheme["parity"], width = k + p;
  const double drives = Fig(s, "drive_count");
  const double usable = drives * Fig(s, "drive_capacity_tb") * 1e12 * k / width * Term(m, "fill_fraction");
  double nodes = std::ceil(usable_pb * 1e15 / usable);
  const bool over_drives = scheme.value("spread", "nodes") == "drives";
  double width_nodes = over_drives ? std::ceil(width / drives) : width;
  if (survive_rack) width_nodes = std::max(width_nodes, std::ceil(width / p));
  nodes = std::max(nodes, width_nodes);
  const double frontends = FigOr(s, "frontend_nodes_per_node", 0);
  const double watts = Fig(s, "watts") + frontends * FigOr(s, "frontend_node_watts", 0);
  const double units = Fig(s, "rack_units") + frontends * FigOr(s, "frontend_node_rack_units", 0);
  const double per_rack = std::min(std::floor((Term(m, "rack_units") - Term(m, "rack_overhead_units")) / units),
                                   std::floor(Term(m, "kw_per_rack") * 1000 / watts));
  double racks = std::ceil(nodes / per_rack);
  if (survive_rack) racks = std::max(racks, std::ceil(width / p));
  const double kw = nodes * watts / 1000;
  const double drive_part = drives * FigOr(s, "drive_price_usd", 0);
  const double months = Term(m, "amortization_years") * 12;
  const double usd = nodes * (Fig(s, "capex_usd") - drive_part) / months + nodes * drive_part / (Term(m, "drive_lifetime_years") * 12) +
                     kw * Term(m, "hours_per_month") * Term(m, "usd_per_kwh") + racks * Term(m, "usd_per_rack_month") +
                     nodes * FigOr(s, "network_ports", Term(m, "network_ports_per_node")) * Term(m, "usd_per_network_port_month") +
                     nodes * frontends * FigOr(s, "frontend_node_capex_usd", 0) / months;
  return {nodes, racks, kw, usd};
}


void ExpectVerdict(const Verdict& v, const Expected& e) {
  EXPECT_EQ(v.nodes, e.nodes) << v.shape;
  EXPECT_EQ(*v.racks, e.racks) << v.shape;
  EXPECT_NEAR(*v.kw, e.kw, 1e-9 * e.kw) << v.shape;
  EXPECT_NEAR(*v.usd_per_month, e.usd_per_month, 1e-9 * e.usd_per_month) << v.shape;
}

TEST(HandChecked, DenseNodeAndBlobHddForTheOneExabyteComparison) {
  const Catalog catalog = LoadCatalog(SHAPEQ_PROFILES);
  const nlohmann::json model = Profile("models/default.json");
  const nlohmann::json target = Profile("targets/reference-1eb.json");
  ASSERT_EQ(target["must_survive"], "rack");
  const double pb = target["usable_pb"];
  for (const char* name : {"onprem-dense-1u-122tb", "blob-hdd-4u90"}) {
    const nlohmann::json shape = Profile(std::string("shapes/") + name + ".json");
    const Expected e = OnPrem(shape, model, model["protection"][shape["protection"].get<std::string>()], pb, true);
    const Verdict v = Score(*FindShape(catalog.shapes, name), *FindTarget(catalog.targets, "reference-1eb"), catalog.model);
    ExpectVerdict(v, e);
    EXPECT_NEAR(*v.usd_per_pb_month, e.usd_per_month / pb, 1e-9 * e.usd_per_month) << name;
    EXPECT_EQ(v.status, Status::kPass) << name;
  }
  // The figures these come to, for the reader: 448 dense nodes in 38 racks (a 150-wide stripe
  // spread so no rack holds more than 4 strips) at 504 kW; 581 blob nodes in 59 racks at 678 kW.
  const Verdict dense = Score(*FindShape(catalog.shapes, "onprem-dense-1u-122tb"), *FindTarget(catalog.targets, "reference-1eb"), catalog.model);
  EXPECT_EQ(dense.nodes, 448);
  EXPECT_EQ(*dense.racks, 38);
  const Verdict blob = Score(*FindShape(catalog.shapes, "blob-hdd-4u90"), *FindTarget(catalog.targets, "reference-1eb"), catalog.model);
  EXPECT_EQ(blob.nodes, 581);
  EXPECT_EQ(*blob.racks, 59);
}

TEST(HandChecked, AwsI7ieForTheWeatherArchive) {
  const Catalog catalog = LoadCatalog(SHAPEQ_PROFILES);
  const nlohmann::json m = Profile("models/default.json");
  const nlohmann::json t = Profile("targets/weather-hpc-archive.json");
  const nlohmann::json s = Profile("shapes/aws-i7ie-48xlarge.json");
  const nlohmann::json scheme = m["protection"][s["protection"].get<std::string>()];
  const double k = scheme["data"], p = scheme["parity"];
  const double drives = Fig(s, "drive_count");
  // Capacity with the archive's 2.5:1 reduction (a VM stores what its software writes).
  const double usable = drives * Fig(s, "drive_capacity_tb") * 1e12 * k / (k + p) * Term(m, "fill_fraction") *
                        t["data_reduction_ratio"].get<double>();
  const double for_capacity = std::ceil(t["usable_pb"].get<double>() * 1e15 / usable);
  const double nic = Fig(s, "nic_gbps") * 1e9 / 8 * Term(m, "protocol_efficiency");
  // The drives' read is not published for i7ie: the NIC alone bounds it (the term drops out).
  ASSERT_TRUE(s["figures"]["read_gbytes_per_s"]["value"].is_null());
  const double read = nic;
  const double for_read = std::ceil(t["read_tbps"].get<double>() * 1e12 / read);
  const double nodes = std::max({for_capacity, for_read, std::ceil((k + p) / drives)});
  const double usd = nodes * Fig(s, "price_per_hour_usd") * Term(m, "hours_per_month");
  const double per_pb = usd / t["usable_pb"].get<double>();

  const Verdict v = Score(*FindShape(catalog.shapes, "aws-i7ie-48xlarge"), *FindTarget(catalog.targets, "weather-hpc-archive"), catalog.model);
  EXPECT_EQ(v.nodes, nodes);
  EXPECT_NEAR(*v.usd_per_month, usd, 1e-9 * usd);
  EXPECT_NEAR(*v.usd_per_pb_month, per_pb, 1e-9 * per_pb);
  EXPECT_EQ(v.status, per_pb <= t["budget_usd_per_pb_month"].get<double>() ? Status::kPass : Status::kFail);
  EXPECT_EQ(v.status, Status::kFail) << "$" << per_pb << "/PB-month against the $4,000 cap";
}

}  // namespace
}  // namespace shapeq
