// Organisations, accounts and their credentials: what the CLI (and later the admin web UI)
// manages. Every method blocks (hashing, store writes) and is thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "model/account.h"
#include "service/auth_service.h"
#include "storage/blob_store.h"
#include "storage/metadata_store.h"

namespace regie::service {

struct NewUser {
  std::string login{};
  std::string org{};
  model::Role role = model::Role::kMember;
  std::string email{};
  std::uint64_t quota = 0;
  std::optional<std::string> password{};  // Generated (and returned) when absent.
  std::string display_name{};             // The login when empty.
};

struct UserView {
  model::Principal principal;
  std::string org;
};

// A group of users of one organisation: the sharee of a calendar or address book shared with
// all of them at once.
struct GroupView {
  model::Principal group;
  std::string org;
  std::vector<std::string> members;  // Logins, sorted.
};

class AccountService {
 public:
  AccountService(std::shared_ptr<storage::MetadataStore> store,
                 std::shared_ptr<storage::BlobStore> blobs, std::shared_ptr<AuthService> auth);

  // On an empty store: creates the organisation "default" and the operator "admin" with
  // `admin_password` or a generated one, which it returns. nullopt when accounts already exist.
  Result<std::optional<std::string>> Bootstrap(std::optional<std::string> admin_password);

  Result<model::Org> AddOrg(std::string_view name, std::vector<std::string> domains,
                            std::uint64_t quota);
  Result<std::vector<model::Org>> ListOrgs();
  Result<void> SetOrgQuota(std::string_view name, std::uint64_t quota);
  Result<void> DisableOrg(std::string_view name);
  Result<void> DeleteOrg(std::string_view name);

  // Returns the password (the one given, or the generated one).
  Result<std::string> AddUser(const NewUser& user);
  Result<std::vector<UserView>> ListUsers(const std::optional<std::string>& org);
  // Sets `password` (or a generated one, returned) and invalidates cached logins.
  Result<std::string> SetPassword(std::string_view login,
                                  const std::optional<std::string>& password);
  Result<void> SetUserQuota(std::string_view login, std::uint64_t quota);
  // The logical bytes `user` stores (files, events, contacts), as quotas count them.
  Result<std::uint64_t> UsedBytes(model::PrincipalId user);
  Result<void> DisableUser(std::string_view login);
  Result<void> DeleteUser(std::string_view login);

  // Groups share the namespace of logins (a share names either). kNotFound for a member who is
  // not a user of the group's organisation.
  Result<model::Principal> AddGroup(std::string_view name, std::string_view org,
                                    std::string_view display_name);
  Result<std::vector<GroupView>> ListGroups(const std::optional<std::string>& org);
  Result<void> DeleteGroup(std::string_view name);
  Result<void> AddGroupMember(std::string_view group, std::string_view login);
  Result<void> RemoveGroupMember(std::string_view group, std::string_view login);

  // Returns the new app password; it is shown once and stored only as a keyed digest.
  Result<std::string> AddAppPassword(std::string_view login, std::string_view label);
  Result<std::vector<model::AppPassword>> ListAppPasswords(std::string_view login);
  Result<void> RevokeAppPassword(std::string_view login, std::string_view label);

 private:
  // Applies `change` to the user named `login`, raises its credential_version when asked, and
  // updates its card in the organisation's directory.
  template <typename Change>
  Result<void> UpdatePrincipal(std::string_view login, Change change, bool credential_change);
  template <typename Change>
  Result<void> UpdateOrg(std::string_view name, Change change);

  std::shared_ptr<storage::MetadataStore> store_;
  std::shared_ptr<storage::BlobStore> blobs_;
  std::shared_ptr<AuthService> auth_;
};

// A random password for people to copy: 20 characters from an unambiguous alphabet (~115 bits).
std::string GeneratePassword();

}  // namespace regie::service
