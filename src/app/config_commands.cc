// `regie config check` and `regie version`.
#include <iostream>

#include "app/cli.h"

#ifndef REGIE_VERSION
#define REGIE_VERSION "0.0.0"
#endif

namespace regie::app {

void AddConfigCommands(CLI::App& app, CliState& state) {
  auto* config = app.add_subcommand("config", "Inspect the configuration");
  config->require_subcommand(1);
  auto* check = config->add_subcommand("check", "Validate and print the effective settings");
  check->callback([&state] {
    auto loaded = state.LoadConfigOrReport();
    if (loaded) std::cout << RenderConfig(*loaded);
  });
  auto* version = app.add_subcommand("version", "Print the version");
  version->callback([] { std::cout << "regie " << REGIE_VERSION << "\n"; });
}

}  // namespace regie::app
