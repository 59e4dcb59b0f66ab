#pragma once
// A kernel's option table (common/option_fields.h) as command-line flags: each field with a
// flag becomes one, with its help and default, so a command spells only what is its own.
#include <type_traits>
#include <variant>

#include <CLI/CLI.hpp>

#include "common/option_fields.h"

namespace shapeq::cli {

template <typename Options>
void AddOptionFlags(CLI::App& app, Options& options, const std::vector<OptionField<Options>>& fields) {
  for (const auto& field : fields) {
    if (!field.flag) continue;
    std::visit(
        [&](auto member) {
          auto& value = options.*member;
          using T = std::decay_t<decltype(value)>;
          if constexpr (std::is_same_v<T, bool>) {
            app.add_flag(field.flag, value, field.help);
          } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
            app.add_option(field.flag, value, field.help)->delimiter(',');
          } else {
            app.add_option(field.flag, value, field.help)->capture_default_str();
          }
        },
        field.member);
  }
}

}  // namespace shapeq::cli
