#include "results/latest_run_metrics.h"

#include <algorithm>
#include <fstream>
#include <iostream>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "common/json_read.h"
#include "results/prometheus_export.h"
#include "results/run_dir.h"

namespace shapeq {

namespace fs = std::filesystem;

namespace {

// A run has finished (complete or interrupted) once qualify wrote finished_utc.
bool Finished(const fs::path& dir) {
  try {
    const auto manifest = ReadJsonFile((dir / kManifestFile).string());
    return manifest.is_object() && manifest.contains("finished_utc");
  } catch (const Error&) {
    return false;  // unreadable: not a finished run
  }
}

prometheus::MetricFamily Gauge(const std::string& name, const std::string& help, double value,
                               std::vector<prometheus::ClientMetric::Label> labels = {}) {
  prometheus::ClientMetric metric;
  metric.label = std::move(labels);
  metric.gauge.value = value;
  return {name, help, prometheus::MetricType::Gauge, {metric}};
}

}  // namespace

LatestRunMetrics::LatestRunMetrics(fs::path path) : path_(std::move(path)) {}

fs::path LatestRunMetrics::LatestRunDir() const {
  std::error_code error;
  if (fs::exists(path_ / kManifestFile, error) || fs::exists(path_ / kFingerprintFile, error)) return path_;
  // Newest manifest first; a run still in progress is passed over for the last finished one.
  std::vector<std::pair<fs::file_time_type, fs::path>> runs;
  for (const auto& entry : fs::directory_iterator(path_, error)) {
    const auto time = fs::last_write_time(entry.path() / kManifestFile, error);
    if (!error) runs.emplace_back(time, entry.path());
  }
  std::sort(runs.rbegin(), runs.rend());
  for (const auto& [time, dir] : runs) {
    if (Finished(dir)) return dir;
  }
  return {};
}

std::vector<prometheus::MetricFamily> LatestRunMetrics::Collect() const {
  std::lock_guard lock(mutex_);
  const fs::path dir = LatestRunDir();
  std::error_code error;
  const auto manifest_time = fs::last_write_time(dir / kManifestFile, error);
  if (!dir.empty() && (dir != loaded_dir_ || manifest_time != loaded_manifest_time_)) {
    try {
      run_families_ = RunMetrics(ReadRunFiles(dir.string()))->Collect();
      loaded_dir_ = dir;
      loaded_manifest_time_ = manifest_time;
      last_error_.clear();
    } catch (const std::exception& e) {
      // Keep serving the last run that could be read; say once why the newer one is not.
      if (last_error_ != e.what()) std::cerr << "shapeq: serve: " << e.what() << std::endl;
      last_error_ = e.what();
    }
  }
  std::vector<prometheus::MetricFamily> families = run_families_;
  families.push_back(Gauge("shapeq_serve_read_ok", "1 when the newest finished run could be read; 0 when an older one (or none) is served",
                           last_error_.empty() && !loaded_dir_.empty() ? 1 : 0));
  if (!loaded_dir_.empty()) {
    families.push_back(Gauge("shapeq_serve_run_info", "The results directory served now", 1,
                             {{"run", loaded_dir_.filename().string()}, {"dir", loaded_dir_.string()}}));
  }
  return families;
}

}  // namespace shapeq
