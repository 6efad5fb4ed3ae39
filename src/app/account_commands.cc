// `regie org …`, `regie user …`, `regie group …` and `regie app-password …`.
#include <boost/json.hpp>

#include <iostream>

#include "app/cli.h"
#include "base/units.h"

namespace regie::app {
namespace {

Result<std::uint64_t> QuotaArg(const std::string& text) {
  if (text.empty()) return 0;
  return ParseSize(text);
}

// Sizes are checked while parsing the command line, so a bad one is a usage error (exit 2).
const CLI::Validator& SizeArgument() {
  static const CLI::Validator kValidator(
      [](std::string& text) -> std::string {
        auto size = ParseSize(text);
        return size ? std::string() : size.error().detail;
      },
      "SIZE");
  return kValidator;
}

void PrintJson(const boost::json::value& value) {
  std::cout << boost::json::serialize(value) << "\n";
}

// Wraps a command body so that every subcommand opens the services the same way.
template <typename Body>
std::function<void()> Run(CliState& state, Body body) {
  return [&state, body] { state.WithServices(body); };
}

}  // namespace

void AddOrgCommands(CLI::App& app, CliState& state) {
  auto* org = app.add_subcommand("org", "Manage organisations (tenants)");
  org->require_subcommand(1);

  struct AddArgs {
    std::string name, quota;
    std::vector<std::string> domains;
  };
  auto add_args = std::make_shared<AddArgs>();
  auto* add = org->add_subcommand("add", "Create an organisation");
  add->add_option("name", add_args->name, "Name (a-z, 0-9, -)")->required();
  add->add_option("--domain", add_args->domains, "Mail/web domain (repeatable)");
  add->add_option("--quota", add_args->quota, "Storage quota, e.g. 50GiB (default unlimited)")
      ->check(SizeArgument());
  add->callback(Run(state, [add_args](Services& s) -> Result<void> {
    auto quota = QuotaArg(add_args->quota);
    if (!quota) return Fail(quota.error());
    auto created = s.accounts->AddOrg(add_args->name, add_args->domains, *quota);
    if (!created) return Fail(created.error());
    std::cout << "organisation " << created->name << " created\n";
    return Ok();
  }));

  auto json = std::make_shared<bool>(false);
  auto* list = org->add_subcommand("list", "List organisations");
  list->add_flag("--json", *json, "Print JSON");
  list->callback(Run(state, [json](Services& s) -> Result<void> {
    auto orgs = s.accounts->ListOrgs();
    if (!orgs) return Fail(orgs.error());
    boost::json::array out;
    for (const auto& o : *orgs) {
      if (*json) {
        boost::json::array domains(o.domains.begin(), o.domains.end());
        out.push_back(boost::json::object{
            {"name", o.name}, {"domains", domains}, {"quota", o.quota}, {"disabled", o.disabled}});
      } else {
        std::cout << o.name << (o.disabled ? " (disabled)" : "")
                  << " quota=" << (o.quota ? FormatSize(o.quota) : "unlimited") << "\n";
      }
    }
    if (*json) PrintJson(out);
    return Ok();
  }));

  auto name = std::make_shared<std::string>();
  auto size = std::make_shared<std::string>();
  auto* set_quota = org->add_subcommand("set-quota", "Set an organisation's storage quota");
  set_quota->add_option("name", *name)->required();
  set_quota->add_option("size", *size, "e.g. 50GiB; 0 for unlimited")
      ->required()
      ->check(SizeArgument());
  set_quota->callback(Run(state, [name, size](Services& s) -> Result<void> {
    auto quota = ParseSize(*size);
    if (!quota) return Fail(quota.error());
    return s.accounts->SetOrgQuota(*name, *quota);
  }));

  auto* disable =
      org->add_subcommand("disable", "Disable an organisation: its users cannot log in");
  disable->add_option("name", *name)->required();
  disable->callback(
      Run(state, [name](Services& s) -> Result<void> { return s.accounts->DisableOrg(*name); }));

  auto* remove = org->add_subcommand("delete", "Delete an organisation with all its data");
  remove->add_option("name", *name)->required();
  remove->callback(
      Run(state, [name](Services& s) -> Result<void> { return s.accounts->DeleteOrg(*name); }));
}

void AddUserCommands(CLI::App& app, CliState& state) {
  auto* user = app.add_subcommand("user", "Manage user accounts");
  user->require_subcommand(1);

  struct AddArgs {
    std::string login, org, role = "member", email, quota, name;
    bool password_stdin = false;
  };
  auto a = std::make_shared<AddArgs>();
  auto* add = user->add_subcommand("add", "Create a user");
  add->add_option("login", a->login)->required();
  add->add_option("--org", a->org, "Organisation")->required();
  add->add_option("--role", a->role, "operator, org-admin or member")
      ->check(CLI::IsMember({"operator", "org-admin", "member"}));
  add->add_option("--email", a->email);
  add->add_option("--name", a->name, "Full name, as colleagues see it (default: the login)");
  add->add_option("--quota", a->quota, "Storage quota, e.g. 10GiB")->check(SizeArgument());
  add->add_flag("--password-stdin", a->password_stdin, "Read the password from standard input");
  add->callback(Run(state, [a](Services& s) -> Result<void> {
    auto quota = QuotaArg(a->quota);
    if (!quota) return Fail(quota.error());
    service::NewUser nu{a->login, a->org, *model::ParseRole(a->role), a->email, *quota,
                        {},       a->name};
    if (a->password_stdin) nu.password = ReadPasswordFromStdin();
    auto password = s.accounts->AddUser(nu);
    if (!password) return Fail(password.error());
    if (!a->password_stdin) std::cout << "password: " << *password << "\n";
    return Ok();
  }));

  struct ListArgs {
    std::string org;
    bool json = false;
  };
  auto l = std::make_shared<ListArgs>();
  auto* list = user->add_subcommand("list", "List users");
  list->add_option("--org", l->org, "Only this organisation");
  list->add_flag("--json", l->json, "Print JSON");
  list->callback(Run(state, [l](Services& s) -> Result<void> {
    auto users =
        s.accounts->ListUsers(l->org.empty() ? std::nullopt : std::optional<std::string>(l->org));
    if (!users) return Fail(users.error());
    boost::json::array out;
    for (const auto& u : *users) {
      const auto& p = u.principal;
      if (l->json) {
        out.push_back(boost::json::object{{"login", p.login},
                                          {"org", u.org},
                                          {"role", std::string(model::RoleName(p.role))},
                                          {"email", p.email},
                                          {"quota", p.quota},
                                          {"disabled", p.disabled}});
      } else {
        std::cout << p.login << " org=" << u.org << " role=" << model::RoleName(p.role)
                  << (p.disabled ? " (disabled)" : "") << "\n";
      }
    }
    if (l->json) PrintJson(out);
    return Ok();
  }));

  auto login = std::make_shared<std::string>();
  auto from_stdin = std::make_shared<bool>(false);
  auto* passwd = user->add_subcommand("passwd", "Set a new password (ends cached logins)");
  passwd->add_option("login", *login)->required();
  passwd->add_flag("--password-stdin", *from_stdin, "Read the password from standard input");
  passwd->callback(Run(state, [login, from_stdin](Services& s) -> Result<void> {
    std::optional<std::string> chosen;
    if (*from_stdin) chosen = ReadPasswordFromStdin();
    auto password = s.accounts->SetPassword(*login, chosen);
    if (!password) return Fail(password.error());
    if (!*from_stdin) std::cout << "password: " << *password << "\n";
    return Ok();
  }));

  auto size = std::make_shared<std::string>();
  auto* set_quota = user->add_subcommand("set-quota", "Set a user's storage quota");
  set_quota->add_option("login", *login)->required();
  set_quota->add_option("size", *size, "e.g. 10GiB; 0 for unlimited")
      ->required()
      ->check(SizeArgument());
  set_quota->callback(Run(state, [login, size](Services& s) -> Result<void> {
    auto quota = ParseSize(*size);
    if (!quota) return Fail(quota.error());
    return s.accounts->SetUserQuota(*login, *quota);
  }));

  auto* disable = user->add_subcommand("disable", "Disable a user: logins fail at once");
  disable->add_option("login", *login)->required();
  disable->callback(
      Run(state, [login](Services& s) -> Result<void> { return s.accounts->DisableUser(*login); }));

  auto* remove = user->add_subcommand("delete", "Delete a user with all their data");
  remove->add_option("login", *login)->required();
  remove->callback(
      Run(state, [login](Services& s) -> Result<void> { return s.accounts->DeleteUser(*login); }));
}

void AddGroupCommands(CLI::App& app, CliState& state) {
  auto* group = app.add_subcommand("group", "Manage groups of users (sharees of calendars)");
  group->require_subcommand(1);
  struct Args {
    std::string name, org, display_name, login;
    bool json = false;
  };
  auto a = std::make_shared<Args>();

  auto* add = group->add_subcommand("add", "Create a group");
  add->add_option("name", a->name)->required();
  add->add_option("--org", a->org, "Organisation")->required();
  add->add_option("--display-name", a->display_name, "e.g. 'Press office'");
  add->callback(Run(state, [a](Services& s) -> Result<void> {
    auto made = s.accounts->AddGroup(a->name, a->org, a->display_name);
    if (!made) return Fail(made.error());
    return Ok();
  }));

  auto* list = group->add_subcommand("list", "List groups with their members");
  list->add_option("--org", a->org, "Only this organisation");
  list->add_flag("--json", a->json, "Print JSON");
  list->callback(Run(state, [a](Services& s) -> Result<void> {
    auto groups =
        s.accounts->ListGroups(a->org.empty() ? std::nullopt : std::optional<std::string>(a->org));
    if (!groups) return Fail(groups.error());
    boost::json::array out;
    for (const auto& g : *groups) {
      if (a->json) {
        boost::json::array members;
        for (const auto& m : g.members) members.emplace_back(m);
        out.push_back(boost::json::object{{"name", g.group.login},
                                          {"org", g.org},
                                          {"display_name", g.group.display_name},
                                          {"members", std::move(members)}});
      } else {
        std::cout << g.group.login << " org=" << g.org << " members=";
        for (std::size_t i = 0; i < g.members.size(); ++i) {
          std::cout << (i > 0 ? "," : "") << g.members[i];
        }
        std::cout << "\n";
      }
    }
    if (a->json) PrintJson(out);
    return Ok();
  }));

  auto* remove = group->add_subcommand("delete", "Delete a group (its shares end)");
  remove->add_option("name", a->name)->required();
  remove->callback(
      Run(state, [a](Services& s) -> Result<void> { return s.accounts->DeleteGroup(a->name); }));

  auto* add_member = group->add_subcommand("add-member", "Add a user to a group");
  add_member->add_option("name", a->name)->required();
  add_member->add_option("login", a->login)->required();
  add_member->callback(Run(state, [a](Services& s) -> Result<void> {
    return s.accounts->AddGroupMember(a->name, a->login);
  }));

  auto* remove_member = group->add_subcommand("remove-member", "Remove a user from a group");
  remove_member->add_option("name", a->name)->required();
  remove_member->add_option("login", a->login)->required();
  remove_member->callback(Run(state, [a](Services& s) -> Result<void> {
    return s.accounts->RemoveGroupMember(a->name, a->login);
  }));
}

void AddAppPasswordCommands(CLI::App& app, CliState& state) {
  auto* group = app.add_subcommand("app-password", "Manage app passwords (one per device)");
  group->require_subcommand(1);
  struct Args {
    std::string login, label;
  };
  auto a = std::make_shared<Args>();

  auto* add = group->add_subcommand("add", "Create an app password; it is shown once");
  add->add_option("login", a->login)->required();
  add->add_option("--label", a->label, "What it is for, e.g. 'phone'")->required();
  add->callback(Run(state, [a](Services& s) -> Result<void> {
    auto password = s.accounts->AddAppPassword(a->login, a->label);
    if (!password) return Fail(password.error());
    std::cout << "app password: " << *password << "\n";
    return Ok();
  }));

  auto* list = group->add_subcommand("list", "List a user's app passwords");
  list->add_option("login", a->login)->required();
  list->callback(Run(state, [a](Services& s) -> Result<void> {
    auto passwords = s.accounts->ListAppPasswords(a->login);
    if (!passwords) return Fail(passwords.error());
    for (const auto& p : *passwords) std::cout << p.label << "\n";
    return Ok();
  }));

  auto* revoke = group->add_subcommand("revoke", "Revoke an app password (effective at once)");
  revoke->add_option("login", a->login)->required();
  revoke->add_option("label", a->label)->required();
  revoke->callback(Run(state, [a](Services& s) -> Result<void> {
    return s.accounts->RevokeAppPassword(a->login, a->label);
  }));
}

}  // namespace regie::app
