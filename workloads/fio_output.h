#pragma once
// fio's --output-format=json+ read into Measurements, one per job (or per reporting group).
#include <string>
#include <vector>

#include "workloads/measurement.h"

namespace shapeq {

// The figures of one fio job as a Measurement: bytes/s and IOPS (read + write), completion
// latency percentiles (p50, p99, p99.9, p99.99, in seconds), the raw latency histogram bins
// (json+, so runs can be merged exactly), CPU use, steady state, fio's error, fio's version.
// fio writes bare nan/-nan/inf into some fields (steady-state slope); they read as null.
// Throws Error(kRunFailed) naming `source` when the text is not fio's JSON (garbage, truncated).
std::vector<Measurement> ParseFioJson(const std::string& text, const std::string& source);

}  // namespace shapeq
