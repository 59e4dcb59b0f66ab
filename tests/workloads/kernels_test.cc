// The measure kernel table: what qualify walks and each stand-alone command runs one entry of.
#include "workloads/kernels.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "common/error.h"
#include "common/temp_dir.h"

namespace shapeq {
namespace {

TEST(MeasureKernels, EachEntryHasItsOwnNameAndFileAndIsFoundByName) {
  std::set<std::string> names, files;
  for (const MeasureKernel& kernel : MeasureKernels()) {
    EXPECT_TRUE(names.insert(kernel.name).second) << kernel.name;
    EXPECT_TRUE(files.insert(kernel.results_file).second) << kernel.results_file;
    EXPECT_EQ(&MeasureKernelNamed(kernel.name), &kernel);
  }
  EXPECT_EQ(names, (std::set<std::string>{"storage", "network", "datapath"}));
  try {
    MeasureKernelNamed("gpu");
    ADD_FAILURE() << "an unknown kernel was found";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::kInternal);
  }
}

TEST(MeasureKernels, ThePlanDecidesWhatRunsAndHowLongTheNetworkIsPlanned) {
  MeasurePlan plan;
  plan.network.warmup_s = 1;
  plan.network.duration_s = 4;
  plan.network.repeats = 3;
  EXPECT_DOUBLE_EQ(MeasureKernelNamed("network").planned_s(plan), 15);
  EXPECT_TRUE(MeasureKernelNamed("network").in_plan(plan));
  plan.network_enabled = false;
  plan.datapath_enabled = false;
  EXPECT_FALSE(MeasureKernelNamed("network").in_plan(plan));
  EXPECT_FALSE(MeasureKernelNamed("datapath").in_plan(plan));
  EXPECT_TRUE(MeasureKernelNamed("storage").in_plan(plan));
}

Measurement WithStatus(MeasurementStatus status) {
  Measurement m;
  m.kernel = "fio.seq_read";
  m.status = status;
  m.reason = status == MeasurementStatus::kSkipped ? "fio is older than 3.30" : "";
  return m;
}

TEST(MeasureKernels, TheExitCodeSaysWhetherAnythingFailedOrNothingRan) {
  using S = MeasurementStatus;
  EXPECT_EQ(KernelsExitCode({WithStatus(S::kOk), WithStatus(S::kSkipped)}), ExitCode::kOk);
  EXPECT_EQ(KernelsExitCode({WithStatus(S::kOk), WithStatus(S::kFailed)}), ExitCode::kRunFailed);
  EXPECT_EQ(KernelsExitCode({WithStatus(S::kSkipped), WithStatus(S::kSkipped)}), ExitCode::kUsage);
  EXPECT_EQ(KernelsOkText({WithStatus(S::kOk), WithStatus(S::kSkipped), WithStatus(S::kOk)}), "2 of 3 kernels ok");
}

// A data-path program whose output is not Google Benchmark's is a failed Measurement with the
// reason, not an exception (the table's promise); one that cannot run at all stays an Error.
TEST(MeasureKernels, ADataPathThatRanAndFailedIsAFailedMeasurement) {
  TempDir dir("shapeq-kernels");
  const std::filesystem::path program = dir.path() / "not_a_benchmark";
  std::ofstream(program) << "#!/bin/sh\necho 'this is not json'\n";
  std::filesystem::permissions(program, std::filesystem::perms::owner_all);
  MeasurePlan plan;
  plan.datapath.benchmark_binary = program.string();
  plan.datapath.repetitions = 1;
  const std::vector<Measurement> ms = MeasureKernelNamed("datapath").run(plan, {});
  ASSERT_EQ(ms.size(), 1u);
  EXPECT_EQ(ms.front().status, MeasurementStatus::kFailed);
  EXPECT_FALSE(ms.front().reason.empty());
  EXPECT_EQ(KernelsExitCode(ms), ExitCode::kRunFailed);

  plan.datapath.benchmark_binary = (dir.path() / "missing").string();
  try {
    MeasureKernelNamed("datapath").run(plan, {});
    ADD_FAILURE() << "a missing program ran";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::kEnvironment) << e.what();
  }
}

}  // namespace
}  // namespace shapeq
