#pragma once
// Which cloud (if any) this node runs in, from DMI strings alone: no metadata service, so it
// works offline and on captured topologies.
#include "model/fingerprint.h"

namespace shapeq {

// Fills vendor, instance_type_hint, virtualized and reason from the dmi_* fields already set.
void IdentifyCloud(CloudIdentity& identity);

}  // namespace shapeq
