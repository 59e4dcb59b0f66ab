#pragma once
// What `shapeq serve` exposes on /metrics: the figures of the newest finished run under a
// results root (or of one results directory), re-read when a newer run finishes, so a
// Prometheus scraping a qualification host always sees its latest results.
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

namespace shapeq {

class LatestRunMetrics : public prometheus::Collectable {
 public:
  // `path`: a results root holding run directories, or one run directory.
  explicit LatestRunMetrics(std::filesystem::path path);

  // The run's families plus shapeq_serve_* families saying which run and whether it could be read.
  std::vector<prometheus::MetricFamily> Collect() const override;

  // The run directory served now (empty when none has finished yet).
  std::filesystem::path LatestRunDir() const;

 private:
  std::filesystem::path path_;
  mutable std::mutex mutex_;
  // What was read last, and from which manifest state: re-read only when that changes.
  mutable std::filesystem::path loaded_dir_;
  mutable std::filesystem::file_time_type loaded_manifest_time_;
  mutable std::vector<prometheus::MetricFamily> run_families_;
  mutable std::string last_error_;
};

}  // namespace shapeq
