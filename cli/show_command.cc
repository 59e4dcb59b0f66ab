// shapeq show DIR: a run's summary. shapeq compare DIR1 DIR2: what changed between two runs
// (or two nodes of one shape), figure by figure.
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "results/run_report.h"

namespace shapeq::cli {

Runner SetupShow(CLI::App& app) {
  auto dir = std::make_shared<std::string>();
  app.add_option("dir", *dir, "A results directory")->required();
  return [dir] {
    std::cout << FormatRunSummary(ReadRunFiles(*dir)) << std::flush;
    return 0;
  };
}

Runner SetupCompare(CLI::App& app) {
  auto dirs = std::make_shared<std::vector<std::string>>();
  app.add_option("dirs", *dirs, "Two results directories: before and after")->required()->expected(2);
  return [dirs] {
    std::cout << FormatRunComparison(ReadRunFiles((*dirs)[0]), ReadRunFiles((*dirs)[1])) << std::flush;
    return 0;
  };
}

}  // namespace shapeq::cli
