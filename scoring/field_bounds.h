#pragma once
// What can be built: the physical bounds of each input an ask may change, per shape kind. An ask
// outside them ("watts <= 31.7" for a VM whose ten drives draw more) is reported as infeasible
// with the reason and never offered (docs/scoring.md, "Feasible asks").
#include <string>

#include "scoring/profiles.h"
#include "scoring/verdict.h"

namespace shapeq {

// Power a drive adds to a node under load, W: the Solidigm D5-P5316's 25 W active maximum
// (source p5316, docs/sources.md). What an ask for more drives adds per drive.
inline constexpr double kDriveActiveWatts = 25;

struct AskCheck {
  bool feasible = true;
  std::string why;  // "below the 10 drives' and 80 cores' own draw (130 W)"
};

// Whether `lever` on `shape` under `model` stays within its field's bounds.
AskCheck CheckAsk(const Shape& shape, const Model& model, const Lever& lever);

}  // namespace shapeq
