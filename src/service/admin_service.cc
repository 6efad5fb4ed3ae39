#include "service/admin_service.h"

#include <utility>

namespace regie::service {
namespace {

bool IsOperator(const Caller& caller) { return caller.principal.role == model::Role::kOperator; }

Error Unmanaged(std::string_view what) {
  return MakeError(Errc::kNotFound, std::string(what) + " outside the caller's organisation",
                   "not found");
}

Result<std::uint64_t> CountUsers(storage::Txn& txn, model::OrgId org) {
  auto principals = txn.ListPrincipals(org);
  if (!principals) return Fail(principals.error());
  std::uint64_t users = 0;
  for (const auto& p : *principals) users += p.kind == model::PrincipalKind::kUser ? 1 : 0;
  return users;
}

Result<OrgSummary> Summarise(storage::Txn& txn, model::Org org) {
  auto used = txn.OrgUsage(org.id);
  if (!used) return Fail(used.error());
  auto users = CountUsers(txn, org.id);
  if (!users) return Fail(users.error());
  return OrgSummary{std::move(org), *used, *users};
}

}  // namespace

AdminService::AdminService(std::shared_ptr<storage::MetadataStore> store,
                           std::shared_ptr<AuthService> auth,
                           std::shared_ptr<AccountService> accounts)
    : store_(std::move(store)), auth_(std::move(auth)), accounts_(std::move(accounts)) {}

Result<Caller> AdminService::Administrator(storage::Txn& txn, const Caller& caller) {
  auto current = auth_->Confirm(txn, caller);
  if (!current) return Fail(current.error());
  if (current->principal.role == model::Role::kMember) {
    return Fail(Errc::kForbidden, "administration by member " + current->principal.login,
                "administrators only");
  }
  return current;
}

Result<std::vector<OrgSummary>> AdminService::ListOrgs(const Caller& caller) {
  auto txn = store_->Begin(storage::TxnMode::kRead);
  if (!txn) return Fail(txn.error());
  auto admin = Administrator(**txn, caller);
  if (!admin) return Fail(admin.error());
  std::vector<model::Org> orgs;
  if (IsOperator(*admin)) {
    auto all = (*txn)->ListOrgs();
    if (!all) return Fail(all.error());
    orgs = std::move(*all);
  } else {
    orgs.push_back(admin->org);
  }
  std::vector<OrgSummary> out;
  for (auto& org : orgs) {
    auto summary = Summarise(**txn, std::move(org));
    if (!summary) return Fail(summary.error());
    out.push_back(std::move(*summary));
  }
  return out;
}

Result<OrgSummary> AdminService::AddOrg(const Caller& caller, std::string_view name,
                                        std::vector<std::string> domains, std::uint64_t quota) {
  {
    auto txn = store_->Begin(storage::TxnMode::kRead);
    if (!txn) return Fail(txn.error());
    auto admin = Administrator(**txn, caller);
    if (!admin) return Fail(admin.error());
    if (!IsOperator(*admin)) {
      return Fail(Errc::kForbidden, "organisation added by non-operator", "operators only");
    }
  }
  auto org = accounts_->AddOrg(name, std::move(domains), quota);
  if (!org) return Fail(org.error());
  return OrgSummary{std::move(*org), 0, 0};
}

Result<std::vector<UserSummary>> AdminService::ListUsers(const Caller& caller,
                                                         const std::optional<std::string>& org) {
  std::optional<std::string> scope = org;
  {
    auto txn = store_->Begin(storage::TxnMode::kRead);
    if (!txn) return Fail(txn.error());
    auto admin = Administrator(**txn, caller);
    if (!admin) return Fail(admin.error());
    if (!IsOperator(*admin)) {
      if (org && *org != admin->org.name) return Fail(Unmanaged("organisation"));
      scope = admin->org.name;
    }
  }
  auto users = accounts_->ListUsers(scope);
  if (!users) return Fail(users.error());
  auto txn = store_->Begin(storage::TxnMode::kRead);
  if (!txn) return Fail(txn.error());
  std::vector<UserSummary> out;
  out.reserve(users->size());
  for (auto& view : *users) {
    auto used = (*txn)->PrincipalUsage(view.principal.id);
    if (!used) return Fail(used.error());
    out.push_back({std::move(view.principal), std::move(view.org), *used});
  }
  return out;
}

Result<std::string> AdminService::AddUser(const Caller& caller, const NewUser& user) {
  {
    auto txn = store_->Begin(storage::TxnMode::kRead);
    if (!txn) return Fail(txn.error());
    auto admin = Administrator(**txn, caller);
    if (!admin) return Fail(admin.error());
    if (!IsOperator(*admin)) {
      if (user.org != admin->org.name) return Fail(Unmanaged("organisation"));
      if (user.role == model::Role::kOperator) {
        return Fail(Errc::kForbidden, "operator made by org-admin", "operators only");
      }
    }
  }
  return accounts_->AddUser(user);
}

Result<model::Principal> AdminService::ManagedUser(const Caller& caller, std::string_view login) {
  auto txn = store_->Begin(storage::TxnMode::kRead);
  if (!txn) return Fail(txn.error());
  auto admin = Administrator(**txn, caller);
  if (!admin) return Fail(admin.error());
  auto user = (*txn)->FindPrincipal(login);
  const bool is_user = user && user->kind == model::PrincipalKind::kUser;
  // To an org-admin a user of another organisation and no user at all look the same (the access
  // rule: what the caller may not read does not exist); operators see everyone.
  if (!IsOperator(*admin) && (!is_user || user->org != admin->org.id)) {
    return Fail(Unmanaged("user"));
  }
  if (!is_user) return Fail(Errc::kNotFound, "no user " + std::string(login), "no such user");
  if (IsOperator(*admin)) return user;
  if (user->role == model::Role::kOperator) {
    return Fail(Errc::kForbidden, "operator managed by org-admin", "operators only");
  }
  return user;
}

Result<void> AdminService::ChangeUser(const Caller& caller, std::string_view login,
                                      const UserChange& change) {
  if (change.disabled && !*change.disabled) {
    return Fail(Errc::kInvalidInput, "enable requested", "a disabled account stays disabled");
  }
  auto user = ManagedUser(caller, login);
  if (!user) return Fail(user.error());
  if (change.quota) {
    if (auto set = accounts_->SetUserQuota(login, *change.quota); !set) return set;
  }
  if (change.disabled) return accounts_->DisableUser(login);
  return Ok();
}

Result<std::string> AdminService::ResetPassword(const Caller& caller, std::string_view login,
                                                const std::optional<std::string>& password) {
  auto user = ManagedUser(caller, login);
  if (!user) return Fail(user.error());
  return accounts_->SetPassword(login, password);
}

}  // namespace regie::service
