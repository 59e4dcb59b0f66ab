// shapeq datapath: the CPU cost of the storage data path per core (CRC-32C, erasure coding,
// compression) against memcpy, from the suite's Google Benchmark program.
#include <cstdlib>
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "cli/option_flags.h"
#include "results/measurement_text.h"
#include "workloads/kernels.h"

namespace shapeq::cli {

Runner SetupDatapath(CLI::App& app) {
  struct Args {
    DatapathOptions datapath;
    bool json = false;
    std::string out_path;
  };
  auto args = std::make_shared<Args>();
  args->datapath.benchmark_binary = DatapathBenchmarkPath();
  AddOptionFlags(app, args->datapath, DatapathOptionFields());
  AddOutputOptions(app, args->json, args->out_path, "Print the Measurements as JSON");
  return [args] {
    MeasurePlan plan;
    plan.datapath = args->datapath;
    const std::vector<Measurement> results = MeasureKernelNamed("datapath").run(plan, {});
    return EmitMeasurements("datapath", results, false, args->json, args->out_path, FormatDatapath(results));
  };
}

}  // namespace shapeq::cli
