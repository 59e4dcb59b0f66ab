// shapeq verify DIR: is this results directory what its run wrote, and does every figure in it
// follow from the raw output kept beside it (results/run_verify.h)? Exit 0 when it verifies,
// 3 (bad input) naming the first file or figure that does not, every finding on stdout.
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "common/error.h"
#include "results/run_verify.h"

namespace shapeq::cli {

Runner SetupVerify(CLI::App& app) {
  struct Args {
    std::string dir;
    bool json = false;
  };
  auto args = std::make_shared<Args>();
  app.add_option("dir", args->dir, "A results directory (shapeq qualify --out DIR)")->required();
  app.add_flag("--json", args->json, "Print the checks and findings as JSON");
  return [args] {
    const VerifyResult result = VerifyRun(args->dir);
    if (args->json) {
      nlohmann::json findings = nlohmann::json::array();
      for (const auto& f : result.findings) findings.push_back({{"file", f.file}, {"what", f.what}});
      std::cout << nlohmann::json{{"results_digest", result.results_digest}, {"checked", result.checked}, {"findings", findings}}.dump(2) << "\n";
    } else {
      for (const auto& line : result.checked) std::cout << "ok    " << line << "\n";
      for (const auto& f : result.findings) std::cout << "FAIL  " << f.file << ": " << f.what << "\n";
      std::cout << (result.findings.empty() ? "verified" : "NOT verified") << ": " << args->dir << " (results digest sha256:" << result.results_digest << ")\n";
    }
    std::cout << std::flush;
    if (result.findings.empty()) return static_cast<int>(ExitCode::kOk);
    const VerifyFinding& first = result.findings.front();
    throw Error(ExitCode::kBadInput, first.file + ": " + first.what +
                                         (result.findings.size() > 1 ? " (and " + std::to_string(result.findings.size() - 1) + " more findings)" : ""));
  };
}

}  // namespace shapeq::cli
