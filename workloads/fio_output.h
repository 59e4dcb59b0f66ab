#pragma once
// fio's --output-format=json+ read into Measurements, one per job (or per reporting group).
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/measurement.h"

namespace shapeq {

// The figures of one fio job as a Measurement: bytes/s and IOPS (read + write), completion
// latency percentiles (p50, p99, p99.9, p99.99, in seconds), the raw latency histogram bins
// (json+, so runs can be merged exactly), CPU use, steady state, fio's error, fio's version.
// fio writes bare nan/-nan/inf into some fields (steady-state slope); they read as null.
// Throws Error(kRunFailed) naming `source` when the text is not fio's JSON (garbage, truncated).
std::vector<Measurement> ParseFioJson(const std::string& text, const std::string& source);

// `fio --client` output: every host's jobs in client_stats, each with "hostname" as the client
// named it (for --client=sock:PATH, the path), and fio's "All clients" sums. One fio JSON
// document per client name, {"fio version", "jobs": its jobs}, to read with ParseFioJson; the
// sums are left out (CombineFioGroups makes them from the histograms). Throws
// Error(kRunFailed) naming `source` when the text is not fio's client JSON.
std::map<std::string, std::string> FioClientDocuments(const std::string& text, const std::string& source);

// One run over several targets (one reporting group per target) as the node's figure: bytes/s,
// IOPS and CPU summed, the latency histograms merged and their percentiles read from the merge
// (the worst group's percentile where a group has no histogram), steady only when every group
// was, failed when any group failed. detail.per_target lists each group's figures, so a slow
// drive stands out. One group comes back as it is.
Measurement CombineFioGroups(const std::vector<Measurement>& groups);

// The p99 completion latency (s) of the direction (read or write) with more IOPS: a run's
// headline latency. null when fio gave none.
nlohmann::json BusierP99(const Measurement& run);

// fio's status line (--eta=always), e.g.
//   Jobs: 1 (f=1): [m(1)][45.0%][r=93.4MiB/s,w=40.1MiB/s][r=23.9k,w=10.3k IOPS][eta 00m:06s]
// as the rate right now (read + write) and fio's own estimate of the time left. nullopt for a
// line without rates (fio's first lines, "Jobs: 1 (f=1)").
struct FioStatus {
  double bytes_per_s = 0;
  double iops = 0;
  double seconds_left = 0;
};
std::optional<FioStatus> ParseFioStatusLine(std::string_view line);

}  // namespace shapeq
