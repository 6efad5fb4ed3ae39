// Administration on behalf of a signed-in caller (the web workplace's admin pages and
// /api/v1/admin): who may manage which organisation and account is decided here, once, and the
// work is done by AccountService.
//
// The rule: operators manage every organisation and account; an organisation administrator
// manages the accounts of their own organisation, except operators, and cannot make one; members
// manage nothing (kForbidden). An account or organisation the caller may not manage is kNotFound
// when the caller cannot see it at all (another organisation), as everywhere (docs/access.md).
//
// Threads: thread-safe; every method blocks (store, hashing).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "service/account_service.h"
#include "service/auth_service.h"
#include "storage/metadata_store.h"

namespace regie::service {

struct OrgSummary {
  model::Org org;
  std::uint64_t used = 0;   // Logical bytes stored by the organisation.
  std::uint64_t users = 0;  // Accounts that can log in (disabled ones included).
};

struct UserSummary {
  model::Principal user;
  std::string org;
  std::uint64_t used = 0;
};

struct UserChange {
  std::optional<std::uint64_t> quota{};
  std::optional<bool> disabled{};  // Only true is supported: an account is disabled, not revived.
};

class AdminService {
 public:
  AdminService(std::shared_ptr<storage::MetadataStore> store, std::shared_ptr<AuthService> auth,
               std::shared_ptr<AccountService> accounts);

  Result<std::vector<OrgSummary>> ListOrgs(const Caller& caller);
  Result<OrgSummary> AddOrg(const Caller& caller, std::string_view name,
                            std::vector<std::string> domains, std::uint64_t quota);
  // All users the caller may manage, or those of `org`.
  Result<std::vector<UserSummary>> ListUsers(const Caller& caller,
                                             const std::optional<std::string>& org);
  // Returns the password (the one given or a generated one).
  Result<std::string> AddUser(const Caller& caller, const NewUser& user);
  Result<void> ChangeUser(const Caller& caller, std::string_view login, const UserChange& change);
  // Sets `password` or a generated one (returned); the user's sessions and cached logins end.
  Result<std::string> ResetPassword(const Caller& caller, std::string_view login,
                                    const std::optional<std::string>& password);

 private:
  // The caller as it is now, if it administers anything (kForbidden otherwise).
  Result<Caller> Administrator(storage::Txn& txn, const Caller& caller);
  // The user `login` when `admin` may manage it.
  Result<model::Principal> ManagedUser(const Caller& admin, std::string_view login);

  std::shared_ptr<storage::MetadataStore> store_;
  std::shared_ptr<AuthService> auth_;
  std::shared_ptr<AccountService> accounts_;
};

}  // namespace regie::service
