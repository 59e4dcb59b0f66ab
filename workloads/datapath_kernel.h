#pragma once
// The CPU data-path kernels: runs the suite's Google Benchmark program and reads its JSON back
// into Measurements, one per kernel, with per-core GB/s and cores per GB/s of data path.
#include <string>
#include <vector>

#include "common/option_fields.h"
#include "model/measurement.h"

namespace shapeq {

struct DatapathOptions {
  std::string benchmark_binary;  // the datapath_benchmark program
  double min_time_s = 0.5;       // per repetition
  unsigned repetitions = 3;
  std::string filter;            // Google Benchmark --benchmark_filter; empty: all
};

// Every option a plan file and the command line name. Not the program: a plan must not choose it.
const std::vector<OptionField<DatapathOptions>>& DatapathOptionFields();

// --quick: one repetition of 0.05 s per benchmark.
DatapathOptions QuickDatapathOptions(DatapathOptions options);

// Throws Error(kEnvironment) when the program cannot run, Error(kRunFailed) when its output is
// not Google Benchmark JSON.
std::vector<Measurement> RunDatapath(const DatapathOptions& options);

// Google Benchmark's JSON (--benchmark_format=json, with or without repetitions) as
// Measurements: every repetition in repeats_bytes_per_s, the median as bytes_per_s, and
// detail.cores_per_gbytes_per_s and detail.relative_to_memcpy when memcpy ran.
std::vector<Measurement> ParseBenchmarkJson(const std::string& text, const std::string& source);

// "BM_EcEncode/146/4" -> "datapath.ec_encode_146+4".
std::string DatapathKernelName(const std::string& benchmark_name);

}  // namespace shapeq
