#include "model/served.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "model/kernel_id.h"

namespace shapeq {
namespace {

// A parameter of a measurement; null when it has none (params may be absent altogether).
nlohmann::json Param(const Measurement& m, const char* key) {
  return m.params.is_object() ? m.params.value(key, nlohmann::json()) : nlohmann::json();
}

const Measurement* FindOk(const std::vector<Measurement>& ms, const std::string& kernel, const nlohmann::json* targets = nullptr) {
  for (const auto& m : ms) {
    if (m.kernel != kernel || m.status != MeasurementStatus::kOk || !m.bytes_per_s || *m.bytes_per_s <= 0) continue;
    if (targets && Param(m, "targets") != *targets) continue;
    return &m;
  }
  return nullptr;
}

}  // namespace

std::optional<double> ServedComparison::Tax() const {
  if (!served_bytes_per_s || !raw_bytes_per_s || *raw_bytes_per_s <= 0) return std::nullopt;
  return 1 - *served_bytes_per_s / *raw_bytes_per_s;
}

std::optional<double> ServedComparison::PerBusyCore() const {
  if (!served_bytes_per_s || !cpu_cores_busy || *cpu_cores_busy <= 0) return std::nullopt;
  return *served_bytes_per_s / *cpu_cores_busy;
}

std::optional<double> ServedComparison::VsPrediction() const {
  if (!served_bytes_per_s || !predicted_bytes_per_s || *predicted_bytes_per_s <= 0) return std::nullopt;
  return *served_bytes_per_s / *predicted_bytes_per_s - 1;
}

bool ServedComparison::Disagrees() const {
  const auto off = VsPrediction();
  return off && std::abs(*off) > kServedNoiseFraction;
}

std::vector<ServedComparison> CompareServed(const std::vector<Measurement>& storage, const std::vector<Measurement>& datapath,
                                            double hardware_threads) {
  std::vector<ServedComparison> out;
  for (const auto& m : storage) {
    const KernelInfo* kernel = FindKernel(m.kernel);
    if (!kernel || !kernel->served || m.status != MeasurementStatus::kOk || !m.bytes_per_s) continue;
    const bool write = kernel->writes;
    ServedComparison c;
    c.kernel = m.kernel;
    c.raw_kernel = KernelName(*kernel->raw_peer);
    c.served_bytes_per_s = m.bytes_per_s;
    c.cpu_cores_busy = m.cpu_cores_busy;
    c.cores = hardware_threads;
    const nlohmann::json targets = Param(m, "targets");
    if (const Measurement* raw = FindOk(storage, c.raw_kernel, &targets)) c.raw_bytes_per_s = raw->bytes_per_s;
    // Per core: CRC-32C of every block; a write also encodes k+m first.
    const nlohmann::json ec_param = Param(m, "ec");
    const std::string ec = ec_param.is_string() ? ec_param.get<std::string>() : "";
    c.datapath = write && !ec.empty() ? "EC " + ec + " + CRC-32C" : "CRC-32C";
    const Measurement* crc = FindOk(datapath, "datapath.crc32c");
    const Measurement* encode = write && !ec.empty() ? FindOk(datapath, "datapath.ec_encode_" + ec) : nullptr;
    if (!crc || (write && !ec.empty() && !encode)) {
      c.prediction_note = "no " + std::string(!crc ? "datapath.crc32c" : "datapath.ec_encode_" + ec) + " in this run's data-path kernels";
    } else {
      c.per_core_bytes_per_s = encode ? 1 / (1 / *encode->bytes_per_s + 1 / *crc->bytes_per_s) : *crc->bytes_per_s;
      const double cores_rate = hardware_threads * *c.per_core_bytes_per_s;
      if (!c.raw_bytes_per_s) {
        c.prediction_note = "no " + c.raw_kernel + " on the same targets";
      } else {
        c.predicted_bytes_per_s = std::min(*c.raw_bytes_per_s, cores_rate);
        char text[160];
        std::snprintf(text, sizeof text, "min(drives %.3g GB/s, %g cores x %.3g GB/s): %s-bound", *c.raw_bytes_per_s / 1e9, hardware_threads,
                      *c.per_core_bytes_per_s / 1e9, cores_rate < *c.raw_bytes_per_s ? "cores" : "drive");
        c.prediction_note = text;
      }
    }
    out.push_back(c);
  }
  return out;
}

}  // namespace shapeq
