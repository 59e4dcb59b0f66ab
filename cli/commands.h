#pragma once
// The subcommand table: each command adds its options to its CLI11 subcommand and returns the
// function that runs it (returning the process exit code). main.cc lists them all in one place.
#include <functional>

#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "model/measurement.h"
#include "results/pushgateway.h"
#include "scoring/catalog.h"

namespace shapeq::cli {

using Runner = std::function<int()>;

struct Command {
  const char* name;
  const char* summary;
  Runner (*setup)(CLI::App& subcommand);
};

// A command's result: the JSON written atomically to `out_path` (when given), and either the
// JSON or the human text on stdout. Results are on disk before anything is printed.
void Emit(const nlohmann::json& result, bool as_json, const std::string& out_path, const std::string& human_text);

// A measure command's results emitted (one Measurement as an object when `single`), then its
// exit code (KernelsExitCode), with a line on stderr when it was interrupted or nothing ran.
int EmitMeasurements(const std::string& command, const std::vector<Measurement>& results, bool single, bool as_json,
                     const std::string& out_path, const std::string& human_text);

// --json (`json_help` says what it prints) and -o/--out FILE: the JSON, written atomically whatever
// is printed (Emit's two outputs). Returns the --json flag.
CLI::Option* AddOutputOptions(CLI::App& app, bool& json, std::string& out_path, const std::string& json_help);

// --device (repeatable) and --all-nvme: the raw drives a storage run measures (shapeq storage and
// qualify; writing them also takes --allow-destructive).
void AddDeviceOptions(CLI::App& app, std::vector<std::string>& devices, bool& all_nvme);

// --gateway, --job, --user, --password, --attempts (shapeq push, and qualify's optional push).
void AddPushOptions(CLI::App& app, PushOptions& push, bool gateway_required);

// The command line shapeq was started with (for manifests).
const std::vector<std::string>& CommandLine();

// The catalog directory: `given`, else $SHAPEQ_PROFILES, else the project's profiles/.
std::string ProfilesDir(const std::string& given);

// --profiles, --model, --prices and --set: the catalog a scoring command (score, claims, design)
// reads, and the changes made to it first (the price file's, then each --set).
struct CatalogOptions {
  std::string profiles_dir;
  std::string model = "default";
  std::string prices;             // a price file (scoring/price_file.h); "" none
  std::vector<std::string> sets;  // NAME.FIELD=VALUE (scoring/catalog_input.h)
  std::string Dir() const { return ProfilesDir(profiles_dir); }
  // The catalog as read, with the price file's prices; then with every --set applied.
  Catalog LoadPriced() const;
  Catalog Load() const;
};
void AddCatalogOptions(CLI::App& app, CatalogOptions& catalog);

// The data-path kernels' program: $SHAPEQ_DATAPATH_BENCHMARK, else the installed one, else this build's.
std::string DatapathBenchmarkPath();

Runner SetupQualify(CLI::App& app);
Runner SetupClaims(CLI::App& app);
Runner SetupDesign(CLI::App& app);
Runner SetupProbe(CLI::App& app);
Runner SetupScore(CLI::App& app);
Runner SetupStorage(CLI::App& app);
Runner SetupNet(CLI::App& app);
Runner SetupDatapath(CLI::App& app);
Runner SetupNetServe(CLI::App& app);
Runner SetupPush(CLI::App& app);
Runner SetupShow(CLI::App& app);
Runner SetupCompare(CLI::App& app);
Runner SetupReport(CLI::App& app);
Runner SetupVerify(CLI::App& app);
Runner SetupServe(CLI::App& app);
Runner SetupPrices(CLI::App& app);

}  // namespace shapeq::cli
