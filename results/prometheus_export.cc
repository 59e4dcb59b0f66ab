#include "results/prometheus_export.h"

#include <functional>
#include <memory>

#include <prometheus/gauge.h>

#include "model/kernel_id.h"
#include "model/net_detail.h"
#include "model/storage_detail.h"
#include "model/served.h"
#include "scoring/scorer.h"
#include "scoring/verdict_figures.h"

namespace shapeq {
namespace {

// The peer without its port: a loopback run's listener has a new port every time, and a label
// that changes every run makes a new series every run.
std::string PeerHost(const std::string& target) {
  const size_t colon = target.rfind(':');
  // No port, or a bare IPv6 address (its colons are not a port's).
  if (colon == std::string::npos || (target.find(':') != colon && target.front() != '[')) return target;
  return target.substr(0, colon);
}


// The scored verdicts: each candidate shape against each target, labelled target and candidate
// ("shape" stays the node's own shape).
void AddVerdictMetrics(const std::vector<Verdict>& verdicts, const std::function<prometheus::Labels(prometheus::Labels)>& with,
                       prometheus::Registry& registry) {
  using prometheus::BuildGauge;
  auto& passes = BuildGauge().Name("shapeq_verdict_passes").Help("1 when the candidate shape meets the target, 0 when it fails (unknown: absent)").Register(registry);
  std::vector<std::pair<const VerdictFigure*, prometheus::Family<prometheus::Gauge>*>> gauges;
  for (const auto& figure : VerdictFigures()) {
    if (figure.metric) gauges.emplace_back(&figure, &BuildGauge().Name(figure.metric).Help(figure.help).Register(registry));
  }
  for (const auto& v : verdicts) {
    const prometheus::Labels labels = with({{"target", v.target}, {"candidate", v.shape}});
    if (v.status != Status::kUnknown) passes.Add(labels).Set(v.status == Status::kPass ? 1 : 0);
    for (const auto& [figure, gauge] : gauges) {
      if (const auto value = figure->InMetric(v)) gauge->Add(labels).Set(*value);
    }
  }
}

// A fleet's runs: each storage kernel's sum over the hosts (host "all") and each host's share, the
// same figures a node's kernel gives; each network pair's throughput. Hosts keep their port: a
// fleet's net-serve listens where it was told, and two on one machine are two hosts.
void AddFleetMetrics(const FleetRuns& fleet, const std::function<prometheus::Labels(prometheus::Labels)>& with,
                     prometheus::Registry& registry) {
  using prometheus::BuildGauge;
  if (!fleet.storage.empty()) {
    auto& bytes = BuildGauge().Name("shapeq_fleet_storage_bytes_per_second").Help("Fleet storage kernel throughput (host all: every host at once)")
                      .Register(registry);
    auto& ops = BuildGauge().Name("shapeq_fleet_storage_operations_per_second").Help("Fleet storage kernel IOPS (host all: every host at once)")
                    .Register(registry);
    auto& latency = BuildGauge().Name("shapeq_fleet_storage_completion_latency_seconds").Help("Fleet storage p99 completion latency, last repeat")
                        .Register(registry);
    for (const auto& m : fleet.storage) {
      if (m.status != MeasurementStatus::kOk) continue;
      const std::string kernel(KernelShortName(m.kernel));
      const prometheus::Labels all = with({{"kernel", kernel}, {"host", "all"}});
      if (m.bytes_per_s) bytes.Add(all).Set(*m.bytes_per_s);
      if (m.iops) ops.Add(all).Set(*m.iops);
      if (const auto p99 = StorageLatencyPercentile(m, "p99")) latency.Add(with({{"kernel", kernel}, {"host", "all"}, {"percentile", "99"}})).Set(*p99);
      for (const StorageHost& host : StorageDetailOf(m).hosts) {
        if (!host.has_figures) continue;
        const prometheus::Labels one = with({{"kernel", kernel}, {"host", host.host}});
        if (host.bytes_per_s) bytes.Add(one).Set(*host.bytes_per_s);
        if (host.iops) ops.Add(one).Set(*host.iops);
        if (host.p99_s) latency.Add(with({{"kernel", kernel}, {"host", host.host}, {"percentile", "99"}})).Set(*host.p99_s);
      }
    }
  }
  if (!fleet.network.empty()) {
    auto& pairs = BuildGauge().Name("shapeq_fleet_network_bytes_per_second").Help("TCP throughput of each fleet pair, median of repeats")
                      .Register(registry);
    for (const auto& m : fleet.network) {
      if (m.status != MeasurementStatus::kOk || !m.bytes_per_s) continue;
      const NetPair pair = NetPairOf(m);
      pairs.Add(with({{"from", pair.from}, {"to", pair.to}, {"pattern", pair.pattern}})).Set(*m.bytes_per_s);
    }
  }
}

}  // namespace


std::shared_ptr<prometheus::Registry> RunMetrics(const RunFiles& run, const FleetRuns& fleet) {
  using prometheus::BuildGauge;
  auto registry = std::make_shared<prometheus::Registry>();
  const Fingerprint& fp = run.fingerprint;
  const std::string shape = fp.cloud.instance_type_hint.empty() ? "unknown" : fp.cloud.instance_type_hint;
  const prometheus::Labels common = {{"shape", shape}, {"cloud", fp.cloud.vendor}, {"run", run.run_id}};
  auto with = [&common](prometheus::Labels extra) {
    extra.insert(common.begin(), common.end());
    return extra;
  };

  auto& info = BuildGauge().Name("shapeq_node_info").Help("The node as probed; value 1").Register(*registry);
  info.Add(with({{"cpu_model", fp.cpu.model}, {"hwloc_version", fp.source.hwloc_version}, {"kernel", fp.source.os_release}})).Set(1);
  BuildGauge().Name("shapeq_node_cpu_threads").Help("Hardware threads").Register(*registry).Add(common).Set(fp.cpu.hardware_threads);
  BuildGauge().Name("shapeq_node_memory_bytes").Help("Memory, bytes").Register(*registry).Add(common)
      .Set(static_cast<double>(fp.memory.os_total_bytes.value_or(fp.memory.total_bytes)));
  double raw_bytes = 0;
  for (const auto& d : fp.drives) raw_bytes += static_cast<double>(d.capacity_bytes);
  BuildGauge().Name("shapeq_node_drives").Help("Block devices probed").Register(*registry).Add(common).Set(static_cast<double>(fp.drives.size()));
  BuildGauge().Name("shapeq_node_drive_capacity_bytes").Help("Capacity of all drives, bytes").Register(*registry).Add(common).Set(raw_bytes);
  BuildGauge().Name("shapeq_run_complete").Help("1 when the run finished, 0 when it was interrupted").Register(*registry).Add(common)
      .Set(run.complete ? 1 : 0);

  auto& storage_bytes = BuildGauge().Name("shapeq_storage_bytes_per_second").Help("Storage kernel throughput, median of repeats").Register(*registry);
  auto& storage_ops = BuildGauge().Name("shapeq_storage_operations_per_second").Help("Storage kernel IOPS, median of repeats").Register(*registry);
  auto& storage_latency = BuildGauge().Name("shapeq_storage_completion_latency_seconds").Help("Completion latency percentile, last repeat").Register(*registry);
  auto& storage_cpu = BuildGauge().Name("shapeq_storage_cpu_cores_busy").Help("CPU cores busy in fio's threads during the kernel, last repeat")
                          .Register(*registry);
  for (const auto& m : run.storage) {
    if (m.status != MeasurementStatus::kOk) continue;
    const prometheus::Labels labels = with({{"kernel", std::string(KernelShortName(m.kernel))}, {"target", m.target}});
    if (m.bytes_per_s) storage_bytes.Add(labels).Set(*m.bytes_per_s);
    if (m.iops) storage_ops.Add(labels).Set(*m.iops);
    if (m.cpu_cores_busy) storage_cpu.Add(labels).Set(*m.cpu_cores_busy);
    // "percentile", not "quantile": Prometheus keeps that label for summaries (promtool says so).
    for (const auto& [key, percentile] : {std::pair{"p50", "50"}, {"p99", "99"}, {"p99.9", "99.9"}}) {
      if (const auto seconds = StorageLatencyPercentile(m, key)) {
        auto percentile_labels = labels;
        percentile_labels["percentile"] = percentile;
        storage_latency.Add(percentile_labels).Set(*seconds);
      }
    }
  }
  if (run.network && run.network->bytes_per_s) {
    BuildGauge().Name("shapeq_network_bytes_per_second").Help("TCP throughput to the peer, median of repeats").Register(*registry)
        .Add(with({{"peer", PeerHost(run.network->target)}})).Set(*run.network->bytes_per_s);
  }
  auto& datapath = BuildGauge().Name("shapeq_datapath_bytes_per_second").Help("Data-path kernel throughput on one core").Register(*registry);
  for (const auto& m : run.datapath) {
    if (m.bytes_per_s) datapath.Add(with({{"kernel", std::string(KernelShortName(m.kernel))}})).Set(*m.bytes_per_s);
  }
  // What the node serves against the drives alone and against its prediction (model/served.h).
  const auto served = CompareServed(run.storage, run.datapath, fp.cpu.hardware_threads);
  if (!served.empty()) {
    auto& per_core = BuildGauge().Name("shapeq_storage_served_bytes_per_busy_core").Help("Served throughput per CPU core busy in fio's threads")
                         .Register(*registry);
    auto& tax = BuildGauge().Name("shapeq_storage_datapath_tax_ratio").Help("1 - served / drives alone, on the same targets").Register(*registry);
    auto& predicted = BuildGauge().Name("shapeq_storage_served_predicted_bytes_per_second")
                          .Help("min(drives alone, cores x data path per core)").Register(*registry);
    for (const auto& c : served) {
      const prometheus::Labels labels = with({{"kernel", std::string(KernelShortName(c.kernel))}});
      if (const auto v = c.PerBusyCore()) per_core.Add(labels).Set(*v);
      if (const auto v = c.Tax()) tax.Add(labels).Set(*v);
      if (c.predicted_bytes_per_s) predicted.Add(labels).Set(*c.predicted_bytes_per_s);
    }
  }
  if (run.scores) AddVerdictMetrics(run.scores->verdicts, with, *registry);
  AddFleetMetrics(fleet, with, *registry);
  return registry;
}

}  // namespace shapeq
