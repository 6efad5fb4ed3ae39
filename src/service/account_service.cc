#include "service/account_service.h"

#include <ctime>

#include "base/crypto.h"
#include "service/directory_book.h"

namespace regie::service {
namespace {

constexpr std::size_t kMinPasswordLength = 8;

Result<void> CheckPassword(std::string_view password) {
  if (password.size() < kMinPasswordLength) {
    return Fail(Errc::kInvalidInput, "password too short",
                "passwords need at least " + std::to_string(kMinPasswordLength) + " characters");
  }
  return Ok();
}

Result<void> Commit(storage::Txn& txn) { return txn.Commit(); }

// The principal named `login` when it is of `kind`: groups and system principals are no users,
// and users no groups, to every command that names one.
Result<model::Principal> FindOfKind(storage::Txn& txn, std::string_view login,
                                    model::PrincipalKind kind) {
  auto principal = txn.FindPrincipal(login);
  if (!principal) return Fail(principal.error());
  if (principal->kind != kind) {
    const char* what = kind == model::PrincipalKind::kGroup ? "group " : "user ";
    return Fail(Errc::kNotFound, what + std::string(login) + " not found",
                "no " + std::string(what) + std::string(login));
  }
  return principal;
}

Result<model::Principal> FindUser(storage::Txn& txn, std::string_view login) {
  return FindOfKind(txn, login, model::PrincipalKind::kUser);
}

// The directory lists enabled users: a change to one updates its card in the same transaction.
Result<void> UpdateCardOf(storage::Txn& txn, const model::Principal& principal,
                          bool deleted = false) {
  auto org = txn.GetOrg(principal.org);
  if (!org) return Fail(org.error());
  return UpdateDirectoryCard(txn, *org, principal, deleted);
}

// Principals of `kind`, of the org named `org_name` or of all, with their org's name.
Result<std::vector<std::pair<model::Principal, std::string>>> ListOfKind(
    storage::Txn& txn, const std::optional<std::string>& org_name, model::PrincipalKind kind) {
  std::optional<model::OrgId> filter;
  if (org_name) {
    auto org = txn.FindOrg(*org_name);
    if (!org) return Fail(org.error());
    filter = org->id;
  }
  auto principals = txn.ListPrincipals(filter);
  if (!principals) return Fail(principals.error());
  auto orgs = txn.ListOrgs();
  if (!orgs) return Fail(orgs.error());
  std::vector<std::pair<model::Principal, std::string>> out;
  for (auto& p : *principals) {
    if (p.kind != kind) continue;
    std::string org;
    for (const auto& o : *orgs) {
      if (o.id == p.org) org = o.name;
    }
    out.emplace_back(std::move(p), std::move(org));
  }
  return out;
}

}  // namespace

std::string GeneratePassword() {
  static constexpr std::string_view kAlphabet =
      "abcdefghijkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXYZ2345679";
  std::string out;
  std::uint8_t bytes[64];
  while (out.size() < 20) {
    RandomBytes(bytes);
    for (std::uint8_t b : bytes) {
      // Rejection sampling keeps every character equally likely.
      if (b >= 256 - 256 % kAlphabet.size()) continue;
      out.push_back(kAlphabet[b % kAlphabet.size()]);
      if (out.size() == 20) break;
    }
  }
  return out;
}

AccountService::AccountService(std::shared_ptr<storage::MetadataStore> store,
                               std::shared_ptr<storage::BlobStore> blobs,
                               std::shared_ptr<AuthService> auth)
    : store_(std::move(store)), blobs_(std::move(blobs)), auth_(std::move(auth)) {}

Result<std::optional<std::string>> AccountService::Bootstrap(
    std::optional<std::string> admin_password) {
  {
    auto txn = store_->Begin(storage::TxnMode::kRead);
    if (!txn) return Fail(txn.error());
    auto count = (*txn)->CountPrincipals();
    if (!count) return Fail(count.error());
    if (*count > 0) return std::optional<std::string>();
  }
  auto org = AddOrg("default", {}, 0);
  if (!org && org.error().code != Errc::kAlreadyExists) return Fail(org.error());
  NewUser admin{"admin", "default", model::Role::kOperator, "", 0, std::move(admin_password)};
  auto password = AddUser(admin);
  if (!password) return Fail(password.error());
  return std::optional<std::string>(*password);
}

Result<model::Org> AccountService::AddOrg(std::string_view name, std::vector<std::string> domains,
                                          std::uint64_t quota) {
  if (!model::IsValidOrgName(name)) {
    return Fail(Errc::kInvalidInput, "invalid org name",
                "organisation names use a-z, 0-9 and '-', starting with a letter or digit");
  }
  auto txn = store_->Begin(storage::TxnMode::kWrite);
  if (!txn) return Fail(txn.error());
  auto org = (*txn)->CreateOrg(storage::NewOrg{std::string(name), std::move(domains), quota});
  if (!org) return Fail(org.error());
  if (auto done = Commit(**txn); !done) return Fail(done.error());
  return org;
}

Result<std::vector<model::Org>> AccountService::ListOrgs() {
  auto txn = store_->Begin(storage::TxnMode::kRead);
  if (!txn) return Fail(txn.error());
  return (*txn)->ListOrgs();
}

template <typename Change>
Result<void> AccountService::UpdateOrg(std::string_view name, Change change) {
  auto txn = store_->Begin(storage::TxnMode::kWrite);
  if (!txn) return Fail(txn.error());
  auto org = (*txn)->FindOrg(name);
  if (!org) return Fail(org.error());
  change(*org);
  if (auto done = (*txn)->UpdateOrg(*org); !done) return Fail(done.error());
  return Commit(**txn);
}

Result<void> AccountService::SetOrgQuota(std::string_view name, std::uint64_t quota) {
  return UpdateOrg(name, [&](model::Org& org) { org.quota = quota; });
}

Result<void> AccountService::DisableOrg(std::string_view name) {
  return UpdateOrg(name, [](model::Org& org) { org.disabled = true; });
}

Result<void> AccountService::DeleteOrg(std::string_view name) {
  // Before the rows go: while a backup pauses removals, refuse rather than leave the files.
  auto permit = blobs_->PermitRemovals();
  if (!permit) return Fail(permit.error());
  auto txn = store_->Begin(storage::TxnMode::kWrite);
  if (!txn) return Fail(txn.error());
  auto org = (*txn)->FindOrg(name);
  if (!org) return Fail(org.error());
  if (auto done = (*txn)->DeleteOrg(org->id); !done) return Fail(done.error());
  if (auto done = Commit(**txn); !done) return Fail(done.error());
  // The rows are gone first: a crash now leaves only unreachable files, never dangling rows.
  return blobs_->RemoveOrg(name);
}

Result<std::string> AccountService::AddUser(const NewUser& user) {
  if (!model::IsValidLogin(user.login)) {
    return Fail(Errc::kInvalidInput, "invalid login",
                "logins use letters, digits and . _ - @ +, and do not start with '.'");
  }
  const std::string password = user.password.value_or(GeneratePassword());
  if (auto ok = CheckPassword(password); !ok) return Fail(ok.error());
  auto hash = auth_->hasher().Hash(password);
  if (!hash) return Fail(hash.error());
  auto txn = store_->Begin(storage::TxnMode::kWrite);
  if (!txn) return Fail(txn.error());
  auto org = (*txn)->FindOrg(user.org);
  if (!org) return Fail(org.error());
  storage::NewPrincipal np;
  np.org = org->id;
  np.login = user.login;
  np.display_name = user.display_name.empty() ? user.login : user.display_name;
  np.email = user.email;
  np.role = user.role;
  np.password_hash = *hash;
  np.quota = user.quota;
  auto principal = (*txn)->CreatePrincipal(np);
  if (!principal) return Fail(principal.error());
  auto root = (*txn)->CreateCollection(storage::NewCollection{org->id, principal->id, std::nullopt,
                                                              model::CollectionKind::kFolder, ""});
  if (!root) return Fail(root.error());
  if (auto card = UpdateDirectoryCard(**txn, *org, *principal); !card) return Fail(card.error());
  if (auto done = Commit(**txn); !done) return Fail(done.error());
  return password;
}

Result<std::vector<UserView>> AccountService::ListUsers(
    const std::optional<std::string>& org_name) {
  auto txn = store_->Begin(storage::TxnMode::kRead);
  if (!txn) return Fail(txn.error());
  auto users = ListOfKind(**txn, org_name, model::PrincipalKind::kUser);
  if (!users) return Fail(users.error());
  std::vector<UserView> out;
  for (auto& [principal, org] : *users) out.push_back({std::move(principal), std::move(org)});
  return out;
}

template <typename Change>
Result<void> AccountService::UpdatePrincipal(std::string_view login, Change change,
                                             bool credential_change) {
  auto txn = store_->Begin(storage::TxnMode::kWrite);
  if (!txn) return Fail(txn.error());
  auto principal = FindUser(**txn, login);
  if (!principal) return Fail(principal.error());
  if (auto changed = change(**txn, *principal); !changed) return Fail(changed.error());
  // Every process's login cache compares this version on each request (auth_service.h).
  if (credential_change) ++principal->credential_version;
  if (auto done = (*txn)->UpdatePrincipal(*principal); !done) return Fail(done.error());
  if (auto card = UpdateCardOf(**txn, *principal); !card) return card;
  return Commit(**txn);
}

Result<std::string> AccountService::SetPassword(std::string_view login,
                                                const std::optional<std::string>& password) {
  const std::string chosen = password.value_or(GeneratePassword());
  if (auto ok = CheckPassword(chosen); !ok) return Fail(ok.error());
  auto hash = auth_->hasher().Hash(chosen);
  if (!hash) return Fail(hash.error());
  auto done = UpdatePrincipal(
      login,
      [&](storage::Txn&, model::Principal& p) -> Result<void> {
        p.password_hash = *hash;
        return Ok();
      },
      true);
  if (!done) return Fail(done.error());
  return chosen;
}

Result<std::uint64_t> AccountService::UsedBytes(model::PrincipalId user) {
  auto txn = store_->Begin(storage::TxnMode::kRead);
  if (!txn) return Fail(txn.error());
  return (*txn)->PrincipalUsage(user);
}

Result<void> AccountService::SetUserQuota(std::string_view login, std::uint64_t quota) {
  return UpdatePrincipal(
      login,
      [&](storage::Txn&, model::Principal& p) -> Result<void> {
        p.quota = quota;
        return Ok();
      },
      false);
}

Result<void> AccountService::DisableUser(std::string_view login) {
  return UpdatePrincipal(
      login,
      [](storage::Txn&, model::Principal& p) -> Result<void> {
        p.disabled = true;
        return Ok();
      },
      true);
}

Result<void> AccountService::DeleteUser(std::string_view login) {
  auto txn = store_->Begin(storage::TxnMode::kWrite);
  if (!txn) return Fail(txn.error());
  auto principal = FindUser(**txn, login);
  if (!principal) return Fail(principal.error());
  if (auto done = (*txn)->DeletePrincipal(principal->id); !done) return Fail(done.error());
  if (auto card = UpdateCardOf(**txn, *principal, /*deleted=*/true); !card) return card;
  // Blobs no longer referenced are removed by the server's garbage collection.
  return Commit(**txn);
}

Result<std::string> AccountService::AddAppPassword(std::string_view login, std::string_view label) {
  if (label.empty() || label.size() > 100) {
    return Fail(Errc::kInvalidInput, "bad app password label", "labels have 1 to 100 characters");
  }
  const std::string password = RandomToken(16);  // 128 random bits.
  auto txn = store_->Begin(storage::TxnMode::kWrite);
  if (!txn) return Fail(txn.error());
  auto principal = FindUser(**txn, login);
  if (!principal) return Fail(principal.error());
  auto added = (*txn)->AddAppPassword(principal->id, label, auth_->AppPasswordDigest(password));
  if (!added) return Fail(added.error());
  if (auto done = Commit(**txn); !done) return Fail(done.error());
  return password;
}

Result<std::vector<model::AppPassword>> AccountService::ListAppPasswords(std::string_view login) {
  auto txn = store_->Begin(storage::TxnMode::kRead);
  if (!txn) return Fail(txn.error());
  auto principal = FindUser(**txn, login);
  if (!principal) return Fail(principal.error());
  return (*txn)->ListAppPasswords(principal->id);
}

Result<void> AccountService::RevokeAppPassword(std::string_view login, std::string_view label) {
  return UpdatePrincipal(
      login,
      [&](storage::Txn& txn, model::Principal& p) { return txn.RevokeAppPassword(p.id, label); },
      true);
}

Result<model::Principal> AccountService::AddGroup(std::string_view name, std::string_view org_name,
                                                  std::string_view display_name) {
  if (!model::IsValidLogin(name)) {
    return Fail(Errc::kInvalidInput, "invalid group name",
                "group names use letters, digits and . _ - @ +, and do not start with '.'");
  }
  auto txn = store_->Begin(storage::TxnMode::kWrite);
  if (!txn) return Fail(txn.error());
  auto org = (*txn)->FindOrg(org_name);
  if (!org) return Fail(org.error());
  auto group = (*txn)->CreatePrincipal(
      {.org = org->id,
       .kind = model::PrincipalKind::kGroup,
       .login = std::string(name),
       .display_name = std::string(display_name.empty() ? name : display_name)});
  if (!group) return Fail(group.error());
  if (auto done = Commit(**txn); !done) return Fail(done.error());
  return group;
}

Result<std::vector<GroupView>> AccountService::ListGroups(
    const std::optional<std::string>& org_name) {
  auto txn = store_->Begin(storage::TxnMode::kRead);
  if (!txn) return Fail(txn.error());
  auto groups = ListOfKind(**txn, org_name, model::PrincipalKind::kGroup);
  if (!groups) return Fail(groups.error());
  std::vector<GroupView> out;
  for (auto& [group, org] : *groups) {
    auto members = (*txn)->ListGroupMembers(group.org, group.id);
    if (!members) return Fail(members.error());
    GroupView view{std::move(group), std::move(org), {}};
    for (const auto& member : *members) view.members.push_back(member.login);
    out.push_back(std::move(view));
  }
  return out;
}

Result<void> AccountService::DeleteGroup(std::string_view name) {
  auto txn = store_->Begin(storage::TxnMode::kWrite);
  if (!txn) return Fail(txn.error());
  auto group = FindOfKind(**txn, name, model::PrincipalKind::kGroup);
  if (!group) return Fail(group.error());
  // Its memberships and the shares with it go with it.
  if (auto done = (*txn)->DeletePrincipal(group->id); !done) return Fail(done.error());
  return Commit(**txn);
}

Result<void> AccountService::AddGroupMember(std::string_view group_name, std::string_view login) {
  auto txn = store_->Begin(storage::TxnMode::kWrite);
  if (!txn) return Fail(txn.error());
  auto group = FindOfKind(**txn, group_name, model::PrincipalKind::kGroup);
  if (!group) return Fail(group.error());
  auto user = FindUser(**txn, login);
  if (!user) return Fail(user.error());
  if (user->org != group->org) {
    return Fail(Errc::kNotFound, "member of another org",
                "no user " + std::string(login) + " in the group's organisation");
  }
  if (auto added = (*txn)->AddGroupMember(group->org, group->id, user->id); !added) return added;
  return Commit(**txn);
}

Result<void> AccountService::RemoveGroupMember(std::string_view group_name,
                                               std::string_view login) {
  auto txn = store_->Begin(storage::TxnMode::kWrite);
  if (!txn) return Fail(txn.error());
  auto group = FindOfKind(**txn, group_name, model::PrincipalKind::kGroup);
  if (!group) return Fail(group.error());
  auto user = FindUser(**txn, login);
  if (!user) return Fail(user.error());
  auto removed = (*txn)->RemoveGroupMember(group->org, group->id, user->id);
  if (!removed) return Fail(removed.error());
  if (!*removed) {
    return Fail(Errc::kNotFound, "not a member",
                std::string(login) + " is not a member of " + std::string(group_name));
  }
  return Commit(**txn);
}

}  // namespace regie::service
