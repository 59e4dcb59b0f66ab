// shapeq: qualify a hardware shape as a building block for exabyte-scale storage.
// Every failure leaves as one line on stderr and a documented exit code (README, "Exit codes").
#include <algorithm>
#include <filesystem>
#include <iostream>

#include "cli/commands.h"
#include "common/atomic_file.h"
#include "common/error.h"
#include "workloads/kernels.h"
#include "shapeq/version.h"

namespace shapeq::cli {

std::vector<std::string> g_command_line;
const std::vector<std::string>& CommandLine() { return g_command_line; }

void Emit(const nlohmann::json& result, bool as_json, const std::string& out_path, const std::string& human_text) {
  const std::string json = result.dump(2) + "\n";
  if (!out_path.empty()) WriteFileAtomically(out_path, json);
  std::cout << (as_json ? json : human_text) << std::flush;
}

int EmitMeasurements(const std::string& command, const std::vector<Measurement>& results, bool single, bool as_json,
                     const std::string& out_path, const std::string& human_text) {
  Emit(single && results.size() == 1 ? nlohmann::json(results.front()) : nlohmann::json(results), as_json, out_path, human_text);
  const ExitCode code = KernelsExitCode(results);
  if (code == ExitCode::kInterrupted) {
    std::cerr << "shapeq: " << command << ": interrupted; " << results.size() << " kernel(s) kept" << std::endl;
  } else if (code == ExitCode::kUsage) {
    std::cerr << "shapeq: " << command << ": nothing ran: every kernel was skipped (" << results.front().reason << ")" << std::endl;
  }
  return static_cast<int>(code);
}

}  // namespace shapeq::cli

namespace {

using shapeq::ExitCode;
using shapeq::cli::Command;

// Every subcommand, in the order the pipeline runs them.
constexpr Command kCommands[] = {
    {"qualify", "Run the whole qualification on this machine into a results directory", shapeq::cli::SetupQualify},
    {"probe", "Fingerprint this node (or a saved topology) with hwloc", shapeq::cli::SetupProbe},
    {"storage", "Measure the drives through fio (a scratch file by default)", shapeq::cli::SetupStorage},
    {"datapath", "Measure the CPU cost of the data path per core (CRC, erasure coding, compression)", shapeq::cli::SetupDatapath},
    {"net", "Measure TCP bandwidth to a peer (loopback by default) or across a fleet", shapeq::cli::SetupNet},
    {"net-serve", "Listen for shapeq net runs from peers", shapeq::cli::SetupNetServe},
    {"score", "Judge shapes against customer targets at exabyte scale", shapeq::cli::SetupScore},
    {"design", "Compose node designs from parts and find the cheapest that pass the targets (or what a cloud family would need)", shapeq::cli::SetupDesign},
    {"prices", "Price the catalog's Azure VMs from Azure's Retail Prices API into a price file (--prices FILE)", shapeq::cli::SetupPrices},
    {"claims", "Check the product side's claims against the scorer, and solve for the inputs under which each holds", shapeq::cli::SetupClaims},
    {"show", "Summarize a results directory", shapeq::cli::SetupShow},
    {"compare", "What changed between two results directories", shapeq::cli::SetupCompare},
    {"report", "Render the shape report (HTML, Markdown, CSV) of one run or several nodes", shapeq::cli::SetupReport},
    {"verify", "Check a results directory: every file against its digest, every figure against its raw output", shapeq::cli::SetupVerify},
    {"push", "Push a results directory's figures to a Prometheus Pushgateway", shapeq::cli::SetupPush},
    {"serve", "Expose the latest results on /metrics for Prometheus to scrape", shapeq::cli::SetupServe},
};

int Fail(ExitCode code, const std::string& message) {
  std::cerr << "shapeq: " << message << "\n";
  return static_cast<int>(code);
}

}  // namespace

int main(int argc, char** argv) {
  shapeq::cli::g_command_line.assign(argv, argv + argc);
  CLI::App app{"shapeq: hardware-shape qualification for exabyte-scale storage"};
  app.set_version_flag("--version", std::string("shapeq ") + shapeq::kVersion);
  app.require_subcommand(1);
  shapeq::cli::Runner run;
  for (const auto& command : kCommands) {
    CLI::App* sub = app.add_subcommand(command.name, command.summary);
    auto runner = command.setup(*sub);
    sub->callback([&run, runner] { run = runner; });
  }
  // CLI11 would only say "a subcommand is required"; name the word it did not know instead.
  if (argc > 1 && argv[1][0] != '-' &&
      std::none_of(std::begin(kCommands), std::end(kCommands), [&](const Command& c) { return c.name == std::string(argv[1]); })) {
    std::string known;
    for (const auto& command : kCommands) known += std::string(known.empty() ? "" : ", ") + command.name;
    return Fail(ExitCode::kUsage, std::string("unknown command '") + argv[1] + "' (commands: " + known + ")");
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::Success& e) {
    return app.exit(e);  // --version
  } catch (const CLI::ParseError& e) {
    return Fail(ExitCode::kUsage, std::string(e.what()) + " (see shapeq --help)");
  }
  try {
    return run();
  } catch (const shapeq::Error& e) {
    return Fail(e.code(), e.what());
  } catch (const std::filesystem::filesystem_error& e) {
    // A path this machine would not let us use (permissions, a full disk): the path and why.
    return Fail(ExitCode::kEnvironment, shapeq::OneLine(e.path1().string() + ": " + e.code().message()));
  } catch (const std::exception& e) {
    return Fail(ExitCode::kInternal, std::string("internal error: ") + e.what());
  }
}
