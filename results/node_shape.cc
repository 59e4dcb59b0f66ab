#include "results/node_shape.h"

#include "common/error.h"
#include "results/run_dir.h"
#include "scoring/catalog.h"
#include "scoring/catalog_input.h"
#include "scoring/measured_shape.h"

namespace shapeq {

const Shape* RatedTwin(const Fingerprint& fp, const std::vector<Shape>& catalog, const std::string& rated_name) {
  if (rated_name.empty()) return MatchCatalogShape(fp, catalog);
  const Shape* rated = FindShape(catalog, rated_name);
  if (!rated) throw Error(ExitCode::kUsage, "--rated " + rated_name + ": no such shape in the catalog");
  return rated;
}

Shape SizeNode(const Fingerprint& fp, const Shape* rated, const NodeRun& run, const std::filesystem::path& dir,
               const std::vector<std::string>& sets, const Model& model, bool scale_from_subset) {
  Catalog node{{ShapeFromFingerprint(fp, (dir / kFingerprintFile).string(), rated)}, {}, model};
  const std::string own = node.shapes.front().name + ".";
  for (const auto& set : sets) {
    if (set.rfind(own, 0) == 0) ApplySetting(node, set);
  }
  Shape shape = node.shapes.front();
  ApplyStorageMeasurements(shape, fp, run.storage, (dir / kStorageFile).string(), scale_from_subset);
  ApplyNetworkMeasurement(shape, run.network, (dir / kNetworkFile).string());
  ApplyDatapathMeasurements(shape, run.datapath, (dir / kDatapathFile).string());
  return shape;
}

}  // namespace shapeq
