#pragma once
// The subcommand table: each command adds its options to its CLI11 subcommand and returns the
// function that runs it (returning the process exit code). main.cc lists them all in one place.
#include <functional>

#include <CLI/CLI.hpp>

namespace shapeq::cli {

using Runner = std::function<int()>;

struct Command {
  const char* name;
  const char* summary;
  Runner (*setup)(CLI::App& subcommand);
};

Runner SetupProbe(CLI::App& app);
Runner SetupScore(CLI::App& app);
Runner SetupStorage(CLI::App& app);
Runner SetupNet(CLI::App& app);
Runner SetupDatapath(CLI::App& app);
Runner SetupNetServe(CLI::App& app);

}  // namespace shapeq::cli
