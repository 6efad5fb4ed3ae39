// Organisations, principals and app passwords.
#include <algorithm>
#include <string>

#include "base/check.h"
#include "storage/sqlite/sqlite_txn.h"

namespace regie::storage::sqlite {
namespace {

std::string_view PrincipalKindName(model::PrincipalKind kind) {
  switch (kind) {
    case model::PrincipalKind::kUser:
      return "user";
    case model::PrincipalKind::kGroup:
      return "group";
    case model::PrincipalKind::kResource:
      return "resource";
    case model::PrincipalKind::kSystem:
      return "system";
  }
  return "user";  // Unreachable; keeps -Wreturn-type quiet.
}

std::optional<model::PrincipalKind> ParsePrincipalKind(std::string_view name) {
  for (auto kind : {model::PrincipalKind::kUser, model::PrincipalKind::kGroup,
                    model::PrincipalKind::kResource, model::PrincipalKind::kSystem}) {
    if (PrincipalKindName(kind) == name) return kind;
  }
  return std::nullopt;
}

// Column order of every principal query below.
Result<model::Principal> ReadPrincipal(const Statement& row) {
  const auto kind = ParsePrincipalKind(row.Text(2));
  const auto role = model::ParseRole(row.Text(6));
  if (!kind || !role) {
    return Fail(Errc::kInternal,
                "sqlite: principal " + std::to_string(row.Int(0)) + " has an unknown kind or role");
  }
  return model::Principal{
      .id = model::PrincipalId{row.Int(0)},
      .org = model::OrgId{row.Int(1)},
      .kind = *kind,
      .login = row.Text(3),
      .display_name = row.Text(4),
      .email = row.Text(5),
      .role = *role,
      .password_hash = row.Text(7),
      .credential_version = row.Int(8),
      .quota = row.Uint(9),
      .disabled = row.Int(10) != 0,
      .created = row.Int(11),
  };
}

Result<model::AppPassword> ReadAppPassword(const Statement& row) {
  const auto digest = row.Blob(3);
  return model::AppPassword{
      .id = row.Int(0),
      .principal = model::PrincipalId{row.Int(1)},
      .label = row.Text(2),
      .digest = std::vector<std::uint8_t>(digest.begin(), digest.end()),
      .created = row.Int(4),
  };
}

std::vector<std::string> Normalised(std::vector<std::string> domains) {
  std::sort(domains.begin(), domains.end());
  domains.erase(std::unique(domains.begin(), domains.end()), domains.end());
  return domains;
}

// Built with append: g++ 12 -O3 reports a false -Wrestrict on "'" + std::string(s) + "'".
std::string Quoted(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out.append(1, '\'').append(s).append(1, '\'');
  return out;
}

Error InvalidOrgName(std::string_view name) {
  return MakeError(Errc::kInvalidInput, "sqlite: invalid org name " + Quoted(name),
                   "invalid organisation name");
}

}  // namespace

// --- Organisations

Result<model::Org> SqliteTxn::ReadOrg(Statement& row) {
  model::Org org{
      .id = model::OrgId{row.Int(0)},
      .name = row.Text(1),
      .domains = {},
      .quota = row.Uint(2),
      .disabled = row.Int(3) != 0,
      .created = row.Int(4),
  };
  auto domains = ListDomains(org.id);
  if (!domains) return Fail(domains.error());
  org.domains = std::move(*domains);
  return org;
}

Result<std::vector<std::string>> SqliteTxn::ListDomains(model::OrgId org) {
  auto st =
      Prepare("SELECT domain FROM org_domains WHERE org = ?1 ORDER BY domain", "list domains");
  st.Bind(org);
  return ReadAll<std::string>(
      st, [](const Statement& row) -> Result<std::string> { return row.Text(0); });
}

Result<void> SqliteTxn::WriteDomains(model::OrgId org, const std::vector<std::string>& domains) {
  if (auto done =
          Prepare("DELETE FROM org_domains WHERE org = ?1", "clear domains").Bind(org).Run();
      !done) {
    return Fail(done.error());
  }
  for (const auto& domain : domains) {
    auto done = Prepare("INSERT INTO org_domains (domain, org) VALUES (?1, ?2)", "add domain")
                    .Bind(domain, org)
                    .Run();
    if (!done) return Fail(done.error());
  }
  return Ok();
}

Result<model::Org> SqliteTxn::CreateOrg(const NewOrg& org) {
  if (!model::IsValidOrgName(org.name)) return Fail(InvalidOrgName(org.name));
  const std::int64_t now = UnixNow();
  auto id = Prepare("INSERT INTO orgs (name, quota, created) VALUES (?1, ?2, ?3) RETURNING id",
                    "create org")
                .Bind(org.name, org.quota, now)
                .QueryInt();
  if (!id) return Fail(id.error());
  REGIE_CHECK(id->has_value(), "INSERT ... RETURNING returned no row");
  model::Org created{
      .id = model::OrgId{**id},
      .name = org.name,
      .domains = Normalised(org.domains),
      .quota = org.quota,
      .disabled = false,
      .created = now,
  };
  if (auto done = WriteDomains(created.id, created.domains); !done) return Fail(done.error());
  return created;
}

Result<model::Org> SqliteTxn::FindOrg(std::string_view name) {
  auto st =
      Prepare("SELECT id, name, quota, disabled, created FROM orgs WHERE name = ?1", "find org");
  st.Bind(name);
  return ReadOne(
      st, [this](Statement& row) { return ReadOrg(row); }, [&] { return "org " + Quoted(name); });
}

Result<model::Org> SqliteTxn::GetOrg(model::OrgId id) {
  auto st = Prepare("SELECT id, name, quota, disabled, created FROM orgs WHERE id = ?1", "get org");
  st.Bind(id);
  return ReadOne(
      st, [this](Statement& row) { return ReadOrg(row); },
      [&] { return "org " + std::to_string(id.value); });
}

Result<std::vector<model::Org>> SqliteTxn::ListOrgs() {
  auto st =
      Prepare("SELECT id, name, quota, disabled, created FROM orgs ORDER BY name", "list orgs");
  return ReadAll<model::Org>(st, [this](Statement& row) { return ReadOrg(row); });
}

Result<void> SqliteTxn::UpdateOrg(const model::Org& org) {
  auto changed = Prepare("UPDATE orgs SET quota = ?2, disabled = ?3 WHERE id = ?1", "update org")
                     .Bind(org.id, org.quota, org.disabled ? 1 : 0)
                     .Run();
  if (!changed) return Fail(changed.error());
  if (*changed == 0)
    return Fail(Errc::kNotFound, "org " + std::to_string(org.id.value) + " not found");
  return WriteDomains(org.id, Normalised(org.domains));
}

Result<void> SqliteTxn::DeleteOrg(model::OrgId id) {
  // Foreign keys cascade to principals, app passwords, collections, items and changes.
  auto deleted = Prepare("DELETE FROM orgs WHERE id = ?1", "delete org").Bind(id).Run();
  if (!deleted) return Fail(deleted.error());
  if (*deleted == 0) return Fail(Errc::kNotFound, "org " + std::to_string(id.value) + " not found");
  // Every reference to the org's blobs was an item of the org, and those are gone.
  auto released =
      Prepare("UPDATE blobs SET refcount = 0 WHERE org = ?1 AND refcount > 0", "release org blobs")
          .Bind(id)
          .Run();
  if (!released) return Fail(released.error());
  return Ok();
}

// --- Principals

Result<void> SqliteTxn::RequirePrincipal(model::PrincipalId id, std::optional<model::OrgId> org) {
  auto found = Prepare("SELECT 1 FROM principals WHERE id = ?1 AND (?2 IS NULL OR org = ?2)",
                       "check principal")
                   .Bind(id, org)
                   .QueryInt();
  if (!found) return Fail(found.error());
  if (!found->has_value()) {
    return Fail(Errc::kNotFound, "principal " + std::to_string(id.value) + " not found");
  }
  return Ok();
}

Result<model::Principal> SqliteTxn::CreatePrincipal(const NewPrincipal& principal) {
  if (!model::IsValidLoginFor(principal.kind, principal.login)) {
    return Fail(Errc::kInvalidInput, "sqlite: invalid login " + Quoted(principal.login),
                "invalid login");
  }
  if (auto org = GetOrg(principal.org); !org) return Fail(org.error());
  const std::int64_t now = UnixNow();
  auto id = Prepare(
                "INSERT INTO principals (org, kind, login, display_name, email, role, "
                "password_hash, quota, created) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
                "RETURNING id",
                "create principal")
                .Bind(principal.org, PrincipalKindName(principal.kind), principal.login,
                      principal.display_name, principal.email, model::RoleName(principal.role),
                      principal.password_hash, principal.quota, now)
                .QueryInt();
  if (!id) return Fail(id.error());
  REGIE_CHECK(id->has_value(), "INSERT ... RETURNING returned no row");
  return model::Principal{
      .id = model::PrincipalId{**id},
      .org = principal.org,
      .kind = principal.kind,
      .login = principal.login,
      .display_name = principal.display_name,
      .email = principal.email,
      .role = principal.role,
      .password_hash = principal.password_hash,
      .credential_version = 0,
      .quota = principal.quota,
      .disabled = false,
      .created = now,
  };
}

Result<model::Principal> SqliteTxn::FindPrincipal(std::string_view login) {
  auto st = Prepare(
      "SELECT id, org, kind, login, display_name, email, role, password_hash, "
      "credential_version, quota, disabled, created FROM principals WHERE login = ?1",
      "find principal");
  st.Bind(login);
  return ReadOne(st, ReadPrincipal, [&] { return "principal " + Quoted(login); });
}

Result<model::Principal> SqliteTxn::GetPrincipal(model::PrincipalId id) {
  auto st = Prepare(
      "SELECT id, org, kind, login, display_name, email, role, password_hash, "
      "credential_version, quota, disabled, created FROM principals WHERE id = ?1",
      "get principal");
  st.Bind(id);
  return ReadOne(st, ReadPrincipal, [&] { return "principal " + std::to_string(id.value); });
}

Result<std::vector<model::Principal>> SqliteTxn::ListPrincipals(std::optional<model::OrgId> org) {
  // Two statements rather than "?1 IS NULL OR org = ?1", so that each can use its index.
  auto st = org ? Prepare(
                      "SELECT id, org, kind, login, display_name, email, role, password_hash, "
                      "credential_version, quota, disabled, created FROM principals "
                      "WHERE org = ?1 ORDER BY login",
                      "list principals")
                : Prepare(
                      "SELECT id, org, kind, login, display_name, email, role, password_hash, "
                      "credential_version, quota, disabled, created FROM principals "
                      "ORDER BY login",
                      "list principals");
  if (org) st.Bind(*org);
  return ReadAll<model::Principal>(st, ReadPrincipal);
}

Result<std::uint64_t> SqliteTxn::CountPrincipals() {
  auto count = Prepare("SELECT COUNT(*) FROM principals", "count principals").QueryInt();
  if (!count) return Fail(count.error());
  return static_cast<std::uint64_t>(count->value_or(0));
}

Result<void> SqliteTxn::UpdatePrincipal(const model::Principal& principal) {
  auto changed =
      Prepare(
          "UPDATE principals SET display_name = ?2, email = ?3, role = ?4, "
          "password_hash = ?5, credential_version = ?6, quota = ?7, disabled = ?8 "
          "WHERE id = ?1",
          "update principal")
          .Bind(principal.id, principal.display_name, principal.email,
                model::RoleName(principal.role), principal.password_hash,
                principal.credential_version, principal.quota, principal.disabled ? 1 : 0)
          .Run();
  if (!changed) return Fail(changed.error());
  if (*changed == 0) {
    return Fail(Errc::kNotFound, "principal " + std::to_string(principal.id.value) + " not found");
  }
  return Ok();
}

Result<void> SqliteTxn::DeletePrincipal(model::PrincipalId id) {
  model::OrgId org;
  std::int64_t used = 0;
  {
    auto st = Prepare("SELECT org, used_bytes FROM principals WHERE id = ?1", "delete principal");
    auto found = st.Bind(id).Step();
    if (!found) return Fail(found.error());
    if (!*found) {
      return Fail(Errc::kNotFound, "principal " + std::to_string(id.value) + " not found");
    }
    org = model::OrgId{st.Int(0)};
    used = st.Int(1);
  }
  // Child collections share their parent's owner (CreateCollection), so the principal's items
  // are exactly those in collections it owns.
  auto released =
      Prepare(
          "UPDATE blobs SET refcount = MAX(refcount - r.n, 0) FROM "
          "(SELECT i.blob AS hash, COUNT(*) AS n FROM items AS i "
          "JOIN collections AS c ON c.id = i.collection WHERE c.owner = ?1 GROUP BY i.blob) AS r "
          "WHERE blobs.org = ?2 AND blobs.hash = r.hash",
          "release principal blobs")
          .Bind(id, org)
          .Run();
  if (!released) return Fail(released.error());
  auto usage = Prepare("UPDATE orgs SET used_bytes = MAX(used_bytes - ?2, 0) WHERE id = ?1",
                       "release principal usage")
                   .Bind(org, used)
                   .Run();
  if (!usage) return Fail(usage.error());
  // Foreign keys cascade to app passwords, collections, items and changes.
  auto deleted = Prepare("DELETE FROM principals WHERE id = ?1", "delete principal").Bind(id).Run();
  if (!deleted) return Fail(deleted.error());
  return Ok();
}

// --- App passwords

Result<model::AppPassword> SqliteTxn::AddAppPassword(model::PrincipalId principal,
                                                     std::string_view label,
                                                     const std::vector<std::uint8_t>& digest) {
  if (auto exists = RequirePrincipal(principal, std::nullopt); !exists) return Fail(exists.error());
  const std::int64_t now = UnixNow();
  auto id = Prepare(
                "INSERT INTO app_passwords (principal, label, digest, created) "
                "VALUES (?1, ?2, ?3, ?4) RETURNING id",
                "add app password")
                .Bind(principal, label, std::span<const std::uint8_t>(digest), now)
                .QueryInt();
  if (!id) return Fail(id.error());
  REGIE_CHECK(id->has_value(), "INSERT ... RETURNING returned no row");
  return model::AppPassword{
      .id = **id,
      .principal = principal,
      .label = std::string(label),
      .digest = digest,
      .created = now,
  };
}

Result<std::vector<model::AppPassword>> SqliteTxn::ListAppPasswords(model::PrincipalId principal) {
  auto st = Prepare(
      "SELECT id, principal, label, digest, created FROM app_passwords "
      "WHERE principal = ?1 ORDER BY label",
      "list app passwords");
  st.Bind(principal);
  return ReadAll<model::AppPassword>(st, ReadAppPassword);
}

Result<void> SqliteTxn::RevokeAppPassword(model::PrincipalId principal, std::string_view label) {
  auto deleted = Prepare("DELETE FROM app_passwords WHERE principal = ?1 AND label = ?2",
                         "revoke app password")
                     .Bind(principal, label)
                     .Run();
  if (!deleted) return Fail(deleted.error());
  if (*deleted == 0) {
    return Fail(Errc::kNotFound, "app password " + Quoted(label) + " of principal " +
                                     std::to_string(principal.value) + " not found");
  }
  return Ok();
}

// --- Browser sessions

namespace {

Result<model::Session> ReadSession(const Statement& row) {
  const auto digest = row.Blob(0);
  const auto password = row.Blob(5);
  return model::Session{
      .digest = std::vector<std::uint8_t>(digest.begin(), digest.end()),
      .principal = model::PrincipalId{row.Int(1)},
      .csrf = row.Text(2),
      .created = row.Int(3),
      .last_seen = row.Int(4),
      .password_digest = std::vector<std::uint8_t>(password.begin(), password.end()),
  };
}

}  // namespace

Result<void> SqliteTxn::CreateSession(const model::Session& session) {
  if (auto exists = RequirePrincipal(session.principal, std::nullopt); !exists) {
    return Fail(exists.error());
  }
  auto done = Prepare(
                  "INSERT INTO sessions (digest, principal, csrf, created, last_seen, "
                  "password_digest) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                  "create session")
                  .Bind(std::span<const std::uint8_t>(session.digest), session.principal,
                        session.csrf, session.created, session.last_seen,
                        std::span<const std::uint8_t>(session.password_digest))
                  .Run();
  if (!done) return Fail(done.error());
  return Ok();
}

Result<model::Session> SqliteTxn::FindSession(std::span<const std::uint8_t> digest) {
  auto st = Prepare(
      "SELECT digest, principal, csrf, created, last_seen, password_digest FROM sessions "
      "WHERE digest = ?1",
      "find session");
  st.Bind(digest);
  auto rows = ReadAll<model::Session>(st, ReadSession);
  if (!rows) return Fail(rows.error());
  if (rows->empty()) return Fail(Errc::kNotFound, "session not found");
  return std::move(rows->front());
}

Result<void> SqliteTxn::UpdateSession(const model::Session& session) {
  auto updated =
      Prepare("UPDATE sessions SET last_seen = ?2, password_digest = ?3 WHERE digest = ?1",
              "update session")
          .Bind(std::span<const std::uint8_t>(session.digest), session.last_seen,
                std::span<const std::uint8_t>(session.password_digest))
          .Run();
  if (!updated) return Fail(updated.error());
  if (*updated == 0) return Fail(Errc::kNotFound, "session not found");
  return Ok();
}

Result<void> SqliteTxn::DeleteSession(std::span<const std::uint8_t> digest) {
  auto deleted =
      Prepare("DELETE FROM sessions WHERE digest = ?1", "delete session").Bind(digest).Run();
  if (!deleted) return Fail(deleted.error());
  return Ok();
}

Result<std::uint64_t> SqliteTxn::DeleteSessionsOf(model::PrincipalId principal,
                                                  std::span<const std::uint8_t> keep) {
  auto deleted = Prepare("DELETE FROM sessions WHERE principal = ?1 AND digest IS NOT ?2",
                         "delete sessions of principal")
                     .Bind(principal, keep)
                     .Run();
  if (!deleted) return Fail(deleted.error());
  return static_cast<std::uint64_t>(*deleted);
}

Result<std::uint64_t> SqliteTxn::DeleteExpiredSessions(std::int64_t seen_before,
                                                       std::int64_t created_before) {
  auto deleted = Prepare("DELETE FROM sessions WHERE last_seen < ?1 OR created < ?2",
                         "delete expired sessions")
                     .Bind(seen_before, created_before)
                     .Run();
  if (!deleted) return Fail(deleted.error());
  return static_cast<std::uint64_t>(*deleted);
}

Result<void> SqliteTxn::AddGroupMember(model::OrgId org, model::PrincipalId group,
                                       model::PrincipalId member) {
  auto found = GetPrincipal(group);
  if (!found || found->org != org || found->kind != model::PrincipalKind::kGroup) {
    return Fail(Errc::kNotFound, "group " + std::to_string(group.value) + " not found");
  }
  auto joining = GetPrincipal(member);
  if (!joining || joining->org != org) {
    return Fail(Errc::kNotFound, "principal " + std::to_string(member.value) + " not found");
  }
  if (joining->kind != model::PrincipalKind::kUser) {
    return Fail(Errc::kInvalidInput, "member of kind other than user", "only users join groups");
  }
  auto added = Prepare(
                   "INSERT INTO group_members (group_id, member) VALUES (?1, ?2) "
                   "ON CONFLICT DO NOTHING",
                   "add group member")
                   .Bind(group, member)
                   .Run();
  if (!added) return Fail(added.error());
  return Ok();
}

Result<bool> SqliteTxn::RemoveGroupMember(model::OrgId org, model::PrincipalId group,
                                          model::PrincipalId member) {
  auto removed = Prepare(
                     "DELETE FROM group_members WHERE group_id = ?1 AND member = ?2 AND EXISTS "
                     "(SELECT 1 FROM principals WHERE id = ?1 AND org = ?3) RETURNING 1",
                     "remove group member")
                     .Bind(group, member, org)
                     .QueryInt();
  if (!removed) return Fail(removed.error());
  return removed->has_value();
}

Result<std::vector<model::Principal>> SqliteTxn::ListGroupMembers(model::OrgId org,
                                                                  model::PrincipalId group) {
  auto st = Prepare(
      "SELECT p.id, p.org, p.kind, p.login, p.display_name, p.email, p.role, p.password_hash, "
      "p.credential_version, p.quota, p.disabled, p.created FROM group_members AS g "
      "JOIN principals AS p ON p.id = g.member WHERE g.group_id = ?1 AND p.org = ?2 "
      "ORDER BY p.login",
      "list group members");
  st.Bind(group, org);
  return ReadAll<model::Principal>(st, ReadPrincipal);
}

}  // namespace regie::storage::sqlite
