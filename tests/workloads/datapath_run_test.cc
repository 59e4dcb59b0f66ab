// The data-path kernels' real Google Benchmark program, every kernel, and a missing one.
#include <gtest/gtest.h>

#include "common/error.h"
#include "workloads/datapath_kernel.h"

namespace shapeq {
namespace {

TEST(DatapathKernel, RealRunOfEveryKernel) {
  DatapathOptions o;
  o.benchmark_binary = SHAPEQ_DATAPATH_BENCHMARK;
  o.min_time_s = 0.02;
  o.repetitions = 2;
  const auto ms = RunDatapath(o);
  ASSERT_EQ(ms.size(), 11u);
  for (const auto& m : ms) {
    EXPECT_GT(*m.bytes_per_s, 1e7) << m.kernel;
    EXPECT_EQ(m.repeats_bytes_per_s.size(), 2u) << m.kernel;
  }
  o.benchmark_binary = "/nonexistent/datapath_benchmark";
  try {
    RunDatapath(o);
    FAIL() << "ran a missing program";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::kEnvironment);
  }
}

}  // namespace
}  // namespace shapeq
