// `regie import-ics` and `regie import-vcf`: a whole calendar or address book file (an export
// from Google, Outlook or another server) into a user's calendar or address book.
#include <fstream>
#include <iostream>
#include <sstream>

#include "app/cli.h"

namespace regie::app {
namespace {

struct ImportArgs {
  std::string user, collection, file;
};

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Fail(Errc::kNotFound, "cannot open " + path, "cannot open " + path);
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void AddImport(CLI::App& app, CliState& state, model::CollectionKind kind) {
  const bool calendar = kind == model::CollectionKind::kCalendar;
  auto args = std::make_shared<ImportArgs>();
  auto* cmd = app.add_subcommand(calendar ? "import-ics" : "import-vcf",
                                 calendar ? "Import a whole .ics file into a user's calendar"
                                          : "Import a whole .vcf file into a user's address book");
  cmd->add_option("user", args->user, "Login of the owner")->required();
  cmd->add_option("collection", args->collection,
                  calendar ? "Calendar name, e.g. personal (made if missing)"
                           : "Address book name, e.g. contacts (made if missing)")
      ->required();
  cmd->add_option("file", args->file, calendar ? "The .ics file" : "The .vcf file")->required();
  cmd->callback([&state, args, kind] {
    state.WithServices([args, kind](Services& s) -> Result<void> {
      auto text = ReadFile(args->file);
      if (!text) return Fail(text.error());
      auto report = s.groupware->Import(args->user, kind, args->collection, *text);
      if (!report) return Fail(report.error());
      std::cout << report->taken << " imported, " << report->refused.size() << " refused\n";
      for (const auto& reason : report->refused) std::cout << "refused: " << reason << "\n";
      return Ok();
    });
  });
}

}  // namespace

void AddImportCommands(CLI::App& app, CliState& state) {
  AddImport(app, state, model::CollectionKind::kCalendar);
  AddImport(app, state, model::CollectionKind::kAddressBook);
}

}  // namespace regie::app
