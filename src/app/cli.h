// Shared plumbing of the `regie` subcommands (one file per command group).
//
// Exit codes, for every subcommand: 0 success; 1 the command ran and found a problem (unknown
// user, duplicate name, bad value); 2 usage, configuration or start-up error; 3 the data
// directory is locked by another process.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <optional>
#include <string>

#include "app/config.h"
#include "app/data_dir.h"
#include "base/result.h"

namespace regie::app {

enum ExitCode : int { kExitOk = 0, kExitProblem = 1, kExitUsage = 2, kExitLocked = 3 };

struct CliState {
  std::string config_file;  // --config
  std::string data_dir;     // --data
  int exit_code = kExitOk;

  ConfigSources Sources() const;
  // Loads the configuration (printing why it failed, setting exit_code 2) or nullopt.
  std::optional<Config> LoadConfigOrReport();
  // Opens the services `config` names (printing why it failed, setting exit_code 2) or nullopt.
  std::optional<Services> OpenServicesOrReport(const Config& config);
  // Loads the config and opens the services, then runs `body`; failures set exit_code.
  void WithServices(const std::function<Result<void>(Services&)>& body);
  // Prints "regie: <reason>" and sets exit_code from the error kind.
  void Report(const Error& error);
};

// Reads one line (a password) from standard input, without its line break.
std::string ReadPasswordFromStdin();

void AddServeCommand(CLI::App& app, CliState& state);
void AddOrgCommands(CLI::App& app, CliState& state);
void AddUserCommands(CLI::App& app, CliState& state);
void AddGroupCommands(CLI::App& app, CliState& state);
void AddAppPasswordCommands(CLI::App& app, CliState& state);
void AddConfigCommands(CLI::App& app, CliState& state);
void AddImportCommands(CLI::App& app, CliState& state);
void AddShareCommands(CLI::App& app, CliState& state);
void AddPublishCommands(CLI::App& app, CliState& state);
void AddAuditCommand(CLI::App& app, CliState& state);
void AddIntegrityCommands(CLI::App& app, CliState& state);  // fsck, scrub
void AddBackupCommands(CLI::App& app, CliState& state);     // backup, restore

}  // namespace regie::app
