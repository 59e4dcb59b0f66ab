#pragma once
// A qualified node sized as a shape, one way for qualify's score stage, `shapeq score --results`
// and `shapeq verify`: the fingerprint's shape (what it cannot measure about itself borrowed from
// its rated twin), the --set changes that name it, then its run's measurements.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "model/fingerprint.h"
#include "model/measurement.h"
#include "scoring/profiles.h"

namespace shapeq {

// The catalog shape the node is: `rated_name` when given (Error(kUsage) naming --rated when the
// catalog has none of that name), else the one its DMI names, else nullptr.
const Shape* RatedTwin(const Fingerprint& fp, const std::vector<Shape>& catalog, const std::string& rated_name);

// What a run measured, as run_dir reads it or qualify has it in hand.
struct NodeRun {
  const std::vector<Measurement>& storage;
  const std::optional<Measurement>& network;
  const std::vector<Measurement>& datapath;
};

// The node's shape: ShapeFromFingerprint over `rated`, then `sets` that name it (NAME.FIELD=VALUE,
// in the profile's unit) applied before its measurements join (drive_count decides whether a
// storage run covered all of its drives), then the measurements, each figure's source naming its
// file under `dir`. `scale_from_subset`: a storage run on some of the drives scaled up to all.
Shape SizeNode(const Fingerprint& fp, const Shape* rated, const NodeRun& run, const std::filesystem::path& dir,
               const std::vector<std::string>& sets, const Model& model, bool scale_from_subset);

}  // namespace shapeq
