#include "service/account_service.h"

#include <ctime>

#include "base/crypto.h"

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
  np.display_name = user.login;
  np.email = user.email;
  np.role = user.role;
  np.password_hash = *hash;
  np.quota = user.quota;
  auto principal = (*txn)->CreatePrincipal(np);
  if (!principal) return Fail(principal.error());
  auto root = (*txn)->CreateCollection(storage::NewCollection{org->id, principal->id, std::nullopt,
                                                              model::CollectionKind::kFolder, ""});
  if (!root) return Fail(root.error());
  if (auto done = Commit(**txn); !done) return Fail(done.error());
  return password;
}

Result<std::vector<UserView>> AccountService::ListUsers(std::optional<std::string> org_name) {
  auto txn = store_->Begin(storage::TxnMode::kRead);
  if (!txn) return Fail(txn.error());
  std::optional<model::OrgId> filter;
  if (org_name) {
    auto org = (*txn)->FindOrg(*org_name);
    if (!org) return Fail(org.error());
    filter = org->id;
  }
  auto principals = (*txn)->ListPrincipals(filter);
  if (!principals) return Fail(principals.error());
  auto orgs = (*txn)->ListOrgs();
  if (!orgs) return Fail(orgs.error());
  std::vector<UserView> out;
  for (auto& p : *principals) {
    std::string org;
    for (const auto& o : *orgs) {
      if (o.id == p.org) org = o.name;
    }
    out.push_back(UserView{std::move(p), std::move(org)});
  }
  return out;
}

template <typename Change>
Result<void> AccountService::UpdatePrincipal(std::string_view login, Change change,
                                             bool credential_change) {
  auto txn = store_->Begin(storage::TxnMode::kWrite);
  if (!txn) return Fail(txn.error());
  auto principal = (*txn)->FindPrincipal(login);
  if (!principal) return Fail(principal.error());
  if (auto changed = change(**txn, *principal); !changed) return Fail(changed.error());
  // Every process's login cache compares this version on each request (auth_service.h).
  if (credential_change) ++principal->credential_version;
  if (auto done = (*txn)->UpdatePrincipal(*principal); !done) return Fail(done.error());
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
  auto principal = (*txn)->FindPrincipal(login);
  if (!principal) return Fail(principal.error());
  if (auto done = (*txn)->DeletePrincipal(principal->id); !done) return Fail(done.error());
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
  auto principal = (*txn)->FindPrincipal(login);
  if (!principal) return Fail(principal.error());
  auto added = (*txn)->AddAppPassword(principal->id, label, auth_->AppPasswordDigest(password));
  if (!added) return Fail(added.error());
  if (auto done = Commit(**txn); !done) return Fail(done.error());
  return password;
}

Result<std::vector<model::AppPassword>> AccountService::ListAppPasswords(std::string_view login) {
  auto txn = store_->Begin(storage::TxnMode::kRead);
  if (!txn) return Fail(txn.error());
  auto principal = (*txn)->FindPrincipal(login);
  if (!principal) return Fail(principal.error());
  return (*txn)->ListAppPasswords(principal->id);
}

Result<void> AccountService::RevokeAppPassword(std::string_view login, std::string_view label) {
  return UpdatePrincipal(
      login,
      [&](storage::Txn& txn, model::Principal& p) { return txn.RevokeAppPassword(p.id, label); },
      true);
}

}  // namespace regie::service
