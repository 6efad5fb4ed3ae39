// Organisations (tenants), principals and their credentials. Plain values; no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/ids.h"

namespace regie::model {

struct Org {
  OrgId id;
  std::string name;  // Unique; [a-z0-9][a-z0-9-]*; also names the org's blob folder.
  std::vector<std::string> domains;
  std::uint64_t quota = 0;  // Bytes; 0 means unlimited.
  bool disabled = false;
  std::int64_t created = 0;  // Unix seconds.
};

enum class Role { kOperator, kOrgAdmin, kMember };
std::string_view RoleName(Role role);
std::optional<Role> ParseRole(std::string_view name);

// kSystem principals belong to Regie itself (the owner of an organisation's directory address
// book): nobody logs in as one, and their logins are not valid user logins.
enum class PrincipalKind { kUser, kGroup, kResource, kSystem };

struct Principal {
  PrincipalId id;
  OrgId org;
  PrincipalKind kind = PrincipalKind::kUser;
  std::string login;  // Unique across the deployment.
  std::string display_name;
  std::string email;
  Role role = Role::kMember;
  std::string password_hash;  // Argon2id encoded string; empty means no password login.
  // Raised whenever a credential changes (password, disable, app password revoked), so that
  // verification caches in any process can tell their entry is stale.
  std::int64_t credential_version = 0;
  std::uint64_t quota = 0;  // Bytes; 0 means unlimited.
  bool disabled = false;
  std::int64_t created = 0;
};

struct AppPassword {
  std::int64_t id = 0;
  PrincipalId principal;
  std::string label;
  std::vector<std::uint8_t> digest;  // Keyed BLAKE2b of the password; the password is not kept.
  std::int64_t created = 0;
};

// A signed-in browser's server-side session. The cookie carries a random secret; the store keeps
// only its keyed digest, so a copy of the database signs nobody in.
struct Session {
  std::vector<std::uint8_t> digest;
  PrincipalId principal;
  std::string csrf;            // Sent back in X-CSRF-Token by every state-changing request.
  std::int64_t created = 0;    // Unix seconds; the absolute lifetime counts from here.
  std::int64_t last_seen = 0;  // Unix seconds; the idle timeout counts from here.
  // A keyed digest of the account's password hash at sign-in: a password change or reset ends
  // the session, while other credential changes (an app password revoked) leave it alone.
  std::vector<std::uint8_t> password_digest;
};

// Validation shared by every front end (CLI, HTTP admin API later).
bool IsValidOrgName(std::string_view name);
bool IsValidLogin(std::string_view login);
// A system principal's login is '#' and a valid login: no user or group can take it, and no
// client can name it where a login is expected.
inline constexpr char kSystemLoginPrefix = '#';
// Whether `login` may name a principal of `kind`.
bool IsValidLoginFor(PrincipalKind kind, std::string_view login);

}  // namespace regie::model
