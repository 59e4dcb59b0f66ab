#include "results/fleet_files.h"

#include "common/error.h"
#include "common/json_read.h"

namespace shapeq {
namespace {

// A fleet run's -o file: a non-empty JSON list of Measurements, each of the kind's kernels.
std::vector<Measurement> ReadFleetFile(const std::string& file, const char* what, const std::string& kernel_prefix) {
  std::vector<Measurement> read;
  if (file.empty()) return read;
  const nlohmann::json list = ReadJsonFile(file);
  if (!list.is_array() || list.empty()) throw BadInput(file, std::string("expected the measurements of ") + what + " (a JSON list)");
  for (const auto& m : list) {
    CheckJsonShape(m, MeasurementShape(), file);
    Measurement measurement = m.get<Measurement>();
    if (measurement.kernel.rfind(kernel_prefix, 0) != 0) {
      throw BadInput(file, "field kernel: " + Quoted(measurement.kernel) + " is not from " + what + " (its kernels are " + kernel_prefix + "*)");
    }
    read.push_back(std::move(measurement));
  }
  return read;
}

}  // namespace

FleetRuns ReadFleetRuns(const std::string& storage_file, const std::string& network_file) {
  return {ReadFleetFile(storage_file, "shapeq storage --hosts", "fio."), ReadFleetFile(network_file, "shapeq net --hosts", "net.")};
}

}  // namespace shapeq
