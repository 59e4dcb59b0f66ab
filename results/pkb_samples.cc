#include "results/pkb_samples.h"

#include <chrono>
#include <ctime>
#include <iomanip>
#include <sstream>

#include "model/kernel_id.h"
#include "model/net_detail.h"
#include "model/storage_detail.h"

namespace shapeq {
namespace {

// "2026-11-27T10:20:00Z" as seconds since the epoch; now when it cannot be read.
double EpochSeconds(const std::string& utc) {
  std::tm tm{};
  std::istringstream in(utc);
  in >> std::get_time(&tm, "%Y-%m-%dT%H:%M:%S");
  if (in.fail()) return static_cast<double>(std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
  return static_cast<double>(timegm(&tm));
}

}  // namespace

std::string PkbSamples(const RunFiles& run, const FleetRuns& fleet) {
  const std::string& started = run.manifest.started_utc;
  const double timestamp = EpochSeconds(started);
  const std::string host = run.fingerprint.source.hostname;
  std::ostringstream out;
  size_t index = 0;
  auto sample = [&](const std::string& test, const std::string& metric, double value, const std::string& unit, nlohmann::json metadata) {
    metadata["hostname"] = host;
    metadata["shapeq_run"] = run.run_id;
    const nlohmann::json line = {{"metric", metric}, {"value", value}, {"unit", unit}, {"metadata", metadata}, {"timestamp", timestamp},
                                 {"test", test}, {"run_uri", run.run_id}, {"sample_uri", run.run_id + "-" + std::to_string(index++)},
                                 {"product_name", "shapeq"}, {"official", false}, {"owner", host}};
    out << line.dump() << "\n";
  };
  auto measured = [](const Measurement& m) {
    nlohmann::json meta = {{"kernel", m.kernel}, {"target", m.target}, {"repeats", m.repeats_bytes_per_s.size()}};
    if (m.spread_fraction) meta["spread_fraction"] = *m.spread_fraction;
    if (m.cpu_cores_busy) meta["cpu_cores_busy"] = *m.cpu_cores_busy;
    return meta;
  };
  for (const auto& m : run.storage) {
    if (m.status != MeasurementStatus::kOk) continue;
    const std::string name(KernelShortName(m.kernel));
    if (m.bytes_per_s) sample("shapeq_storage", name + ":bandwidth", *m.bytes_per_s / 1e6, "MB/s", measured(m));
    if (m.iops) sample("shapeq_storage", name + ":iops", *m.iops, "", measured(m));
    // The merged p99 of each direction fio reported, from the first repeat.
    const StorageDetail detail = StorageDetailOf(m);
    if (detail.repeats.empty()) continue;
    const StorageRepeat& first = detail.repeats.front();
    for (const std::string& direction : first.directions_reported) {
      if (const auto p99 = first.Named(direction)->Percentile("p99")) {
        sample("shapeq_storage", name + ":" + direction + "_p99_latency", *p99 * 1e6, "usec", measured(m));
      }
    }
  }
  if (run.network && run.network->status == MeasurementStatus::kOk && run.network->bytes_per_s) {
    sample("shapeq_network", "net.tcp:throughput", *run.network->bytes_per_s * 8 / 1e6, "Mbits/sec", measured(*run.network));
  }
  for (const auto& m : run.datapath) {
    if (m.status == MeasurementStatus::kOk && m.bytes_per_s) sample("shapeq_datapath", m.kernel + ":throughput_one_core", *m.bytes_per_s / 1e6, "MB/s", measured(m));
  }
  if (run.scores) {
    for (const auto& v : run.scores->verdicts) {
      if (v.shape.rfind("measured-", 0) != 0) continue;
      const nlohmann::json meta = {{"shape", v.shape}, {"target", v.target}, {"status", ShownStatus(v)}, {"limiting_factor", NeedName(v.limiting)}};
      sample("shapeq_score", v.target + ":nodes", v.nodes, "nodes", meta);
      if (v.racks) sample("shapeq_score", v.target + ":racks", *v.racks, "racks", meta);
      if (v.usd_per_pb_month) sample("shapeq_score", v.target + ":cost", *v.usd_per_pb_month, "$/PB-month", meta);
    }
  }
  // A fleet's runs: the fleet's sum per kernel (host "all") and each host's figures; each pair.
  for (const auto& m : fleet.storage) {
    if (m.status != MeasurementStatus::kOk) continue;
    const std::string name(KernelShortName(m.kernel));
    auto fleet_sample = [&](const std::string& fleet_host, std::optional<double> bytes_per_s, std::optional<double> iops, std::optional<double> p99_s) {
      nlohmann::json meta = measured(m);
      meta["fleet_host"] = fleet_host;
      if (bytes_per_s) sample("shapeq_fleet_storage", name + ":bandwidth", *bytes_per_s / 1e6, "MB/s", meta);
      if (iops) sample("shapeq_fleet_storage", name + ":iops", *iops, "", meta);
      if (p99_s) sample("shapeq_fleet_storage", name + ":p99_latency", *p99_s * 1e6, "usec", meta);
    };
    fleet_sample("all", m.bytes_per_s, m.iops, StorageLatencyPercentile(m, "p99"));
    for (const StorageHost& h : StorageDetailOf(m).hosts) {
      if (h.has_figures) fleet_sample(h.host, h.bytes_per_s, h.iops, h.p99_s);
    }
  }
  for (const auto& m : fleet.network) {
    if (m.status != MeasurementStatus::kOk || !m.bytes_per_s) continue;
    const NetPair pair = NetPairOf(m);
    nlohmann::json meta = measured(m);
    meta.update({{"from", pair.from}, {"to", pair.to}, {"pattern", pair.pattern}, {"round", pair.round}});
    sample("shapeq_fleet_network", "net.tcp:throughput", *m.bytes_per_s * 8 / 1e6, "Mbits/sec", meta);
  }
  return out.str();
}

}  // namespace shapeq
