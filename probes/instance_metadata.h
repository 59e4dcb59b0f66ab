#pragma once
// The cloud's instance metadata service, asked for one thing: the VM size (Azure IMDS
// compute/vmSize, AWS IMDSv2 instance-type, GCP machine-type). DMI names the cloud but, on Azure
// and GCP, not the size; this names the size so a run finds its rated twin. Plain HTTP to the
// link-local address, with a short timeout; only an answer that looks like a size is kept.
#include <optional>
#include <string>

#include "model/fingerprint.h"

namespace shapeq {

inline constexpr const char* kMetadataHost = "169.254.169.254";
inline constexpr double kMetadataTimeoutS = 1.0;

// The VM size `vendor` (azure, aws, gcp) reports, or nullopt with `why` set (no answer in time,
// an HTTP error, an answer that is not a size name: letters, digits, '_', '-', '.', at most 64).
std::optional<std::string> AskInstanceType(const std::string& vendor, std::string* why, const std::string& host = kMetadataHost,
                                           double timeout_s = kMetadataTimeoutS);

// Sets fp.cloud's instance type source ("dmi" when DMI named the size); when DMI names Azure,
// AWS or GCP but no size, asks that cloud's service, on `this_machine` only and when `ask`.
// Why it did not, or got no size, goes to fp.cloud.metadata_note (and a note).
void NameInstanceType(Fingerprint& fp, bool this_machine, bool ask);

// hwloc takes its input from HWLOC_XMLFILE, HWLOC_FSROOT, HWLOC_SYNTHETIC or HWLOC_COMPONENTS
// when set: a probe of "this machine" that is not. Names them in fp.source.environment and a note.
void NameHwlocEnvironment(Fingerprint& fp);

}  // namespace shapeq
