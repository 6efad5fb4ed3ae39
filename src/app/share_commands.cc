// `regie share add|list|revoke`: sharing a user's calendar or address book with another user or a
// group of the same organisation, through the same GroupwareService the CalDAV sharing requests
// use; and `regie publish|unpublish`: a calendar read-only at a secret link.
#include <iostream>

#include "app/cli.h"

namespace regie::app {
namespace {

struct ShareArgs {
  std::string owner, kind, collection, sharee;
  bool read_write = false;
};

Result<model::CollectionKind> KindArg(const std::string& kind) {
  if (kind == "calendar") return model::CollectionKind::kCalendar;
  if (kind == "addressbook") return model::CollectionKind::kAddressBook;
  return Fail(Errc::kInvalidInput, "unknown kind " + kind, "kind must be calendar or addressbook");
}

void AddTargetOptions(CLI::App* cmd, ShareArgs& args) {
  cmd->add_option("owner", args.owner, "Login of the owner")->required();
  cmd->add_option("kind", args.kind, "calendar or addressbook")
      ->required()
      ->check(CLI::IsMember({"calendar", "addressbook"}));
  cmd->add_option("collection", args.collection, "Name, e.g. personal")->required();
}

// Runs `body` with the owner's target collection.
template <typename Body>
std::function<void()> WithTarget(CliState& state, std::shared_ptr<ShareArgs> args, Body body) {
  return [&state, args, body] {
    state.WithServices([args, body](Services& s) -> Result<void> {
      auto kind = KindArg(args->kind);
      if (!kind) return Fail(kind.error());
      auto target = s.groupware->ResolveForOwner(args->owner, *kind, {args->collection});
      if (!target) return Fail(target.error());
      if (!target->collection) {
        return Fail(Errc::kNotFound, "no " + args->kind + " " + args->collection,
                    "no " + args->kind + " " + args->collection + " of " + args->owner);
      }
      return body(*s.groupware, *target);
    });
  };
}

}  // namespace

void AddShareCommands(CLI::App& app, CliState& state) {
  auto* share = app.add_subcommand("share", "Share calendars and address books");
  share->require_subcommand(1);

  auto add_args = std::make_shared<ShareArgs>();
  auto* add =
      share->add_subcommand("add", "Share with a user or group (read-only unless --read-write)");
  AddTargetOptions(add, *add_args);
  add->add_option("sharee", add_args->sharee, "Login, group or mailto:address of the sharee")
      ->required();
  add->add_flag("--read-write", add_args->read_write, "Let the sharee change it");
  add->callback(WithTarget(
      state, add_args, [add_args](service::GroupwareService& g, const service::GroupwareTarget& t) {
        const auto access =
            add_args->read_write ? model::ShareAccess::kReadWrite : model::ShareAccess::kRead;
        auto done = g.Share(t, add_args->sharee, access);
        if (!done) return done;
        std::cout << add_args->kind << " " << add_args->collection << " shared with "
                  << add_args->sharee << (add_args->read_write ? " (read-write)" : " (read-only)")
                  << "\n";
        return Ok();
      }));

  auto list_args = std::make_shared<ShareArgs>();
  auto* list = share->add_subcommand("list", "List who a calendar or address book is shared with");
  AddTargetOptions(list, *list_args);
  list->callback(WithTarget(
      state, list_args,
      [](service::GroupwareService& g, const service::GroupwareTarget& t) -> Result<void> {
        auto shares = g.Shares(t);
        if (!shares) return Fail(shares.error());
        for (const auto& view : *shares) {
          std::cout << view.login << " "
                    << (view.access == model::ShareAccess::kReadWrite ? "read-write" : "read-only")
                    << (view.group ? " (group)" : "") << "\n";
        }
        return Ok();
      }));

  auto revoke_args = std::make_shared<ShareArgs>();
  auto* revoke = share->add_subcommand("revoke", "Stop sharing with a user or group");
  AddTargetOptions(revoke, *revoke_args);
  revoke->add_option("sharee", revoke_args->sharee, "Login or group of the sharee")->required();
  revoke->callback(
      WithTarget(state, revoke_args,
                 [revoke_args](service::GroupwareService& g, const service::GroupwareTarget& t) {
                   auto done = g.Unshare(t, revoke_args->sharee);
                   if (!done) return done;
                   std::cout << "share with " << revoke_args->sharee << " revoked\n";
                   return Ok();
                 }));
}

void AddPublishCommands(CLI::App& app, CliState& state) {
  auto publish_args = std::make_shared<ShareArgs>();
  publish_args->kind = "calendar";
  auto* publish = app.add_subcommand(
      "publish", "Publish a calendar read-only at a secret link (/pub/calendars/<token>.ics)");
  publish->add_option("owner", publish_args->owner, "Login of the owner")->required();
  publish->add_option("collection", publish_args->collection, "Calendar name, e.g. personal")
      ->required();
  publish->callback(WithTarget(
      state, publish_args,
      [](service::GroupwareService& g, const service::GroupwareTarget& t) -> Result<void> {
        auto token = g.Publish(t);
        if (!token) return Fail(token.error());
        std::cout << "/pub/calendars/" << *token << ".ics\n";
        return Ok();
      }));

  auto unpublish_args = std::make_shared<ShareArgs>();
  unpublish_args->kind = "calendar";
  auto* unpublish = app.add_subcommand("unpublish", "Revoke every published link of a calendar");
  unpublish->add_option("owner", unpublish_args->owner, "Login of the owner")->required();
  unpublish->add_option("collection", unpublish_args->collection, "Calendar name")->required();
  unpublish->callback(WithTarget(
      state, unpublish_args,
      [](service::GroupwareService& g, const service::GroupwareTarget& t) -> Result<void> {
        auto done = g.Unpublish(t);
        if (!done) return done;
        std::cout << "published links revoked\n";
        return Ok();
      }));
}

}  // namespace regie::app
