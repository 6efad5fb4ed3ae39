// regie: the server and its administration commands (see cli.h for exit codes).
#include <CLI/CLI.hpp>

#include <iostream>

#include "app/cli.h"

int main(int argc, char** argv) {
  using namespace regie::app;
  CLI::App app{"Regie: a sovereign digital workplace server (files, calendars, contacts, mail)"};
  app.require_subcommand(1);
  app.fallthrough();  // --data and --config may follow the subcommand.
  CliState state;
  app.add_option("--config", state.config_file, "Configuration file (default ./regie.toml)");
  app.add_option("--data", state.data_dir, "Data directory (default ./regie-data)");
  AddServeCommand(app, state);
  AddOrgCommands(app, state);
  AddUserCommands(app, state);
  AddGroupCommands(app, state);
  AddAppPasswordCommands(app, state);
  AddConfigCommands(app, state);
  AddImportCommands(app, state);
  AddShareCommands(app, state);
  AddPublishCommands(app, state);
  AddAuditCommand(app, state);
  AddIntegrityCommands(app, state);
  AddBackupCommands(app, state);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  }
  return state.exit_code;
}
