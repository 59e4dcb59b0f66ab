#pragma once
// The fingerprint as a person reads it, in the spirit of lstopo: devices under the NUMA node
// they are local to. Takes a finished Fingerprint; computes nothing the probe did not.
#include <string>

#include "model/fingerprint.h"

namespace shapeq {

std::string FormatFingerprintText(const Fingerprint& fp);

// Humane units for printing only: "1.92 TB", "23.5 GiB".
std::string FormatDecimalBytes(double bytes);
std::string FormatBinaryBytes(double bytes);

}  // namespace shapeq
