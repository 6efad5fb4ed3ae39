#include "storage/sqlite/schema.h"

#include <array>
#include <string>

namespace regie::storage::sqlite {
namespace {

// Migration 1: the first schema. Conventions that later migrations keep:
// - AUTOINCREMENT on every id a client or cache may hold (orgs, principals, collections, items):
//   a deleted row's id is never reused, so a stale id (or a credential cache keyed by principal
//   id) can never resolve to a newer row.
// - Kinds and roles are stored by name, so that reordering an enum cannot reinterpret rows.
// - Blob hashes are lowercase hex, the same string as the blob's file name on disk.
// - Blob rows have no foreign key to orgs: they outlive a deleted org at refcount 0 until the
//   collector forgets them.
// - used_bytes on orgs and principals keeps quota checks O(1); PutItem and DeleteItem maintain it.
constexpr const char* kMigration1 = R"sql(
CREATE TABLE orgs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE,
  quota INTEGER NOT NULL DEFAULT 0,
  disabled INTEGER NOT NULL DEFAULT 0,
  used_bytes INTEGER NOT NULL DEFAULT 0,
  created INTEGER NOT NULL
) STRICT;

-- A domain belongs to one org: mail routing and autodiscovery look orgs up by domain.
CREATE TABLE org_domains (
  domain TEXT PRIMARY KEY,
  org INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;
CREATE INDEX org_domains_by_org ON org_domains(org, domain);

CREATE TABLE principals (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  org INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  login TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  email TEXT NOT NULL,
  role TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  credential_version INTEGER NOT NULL DEFAULT 0,
  quota INTEGER NOT NULL DEFAULT 0,
  disabled INTEGER NOT NULL DEFAULT 0,
  used_bytes INTEGER NOT NULL DEFAULT 0,
  created INTEGER NOT NULL
) STRICT;
CREATE INDEX principals_by_org ON principals(org, login);

CREATE TABLE app_passwords (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  principal INTEGER NOT NULL REFERENCES principals(id) ON DELETE CASCADE,
  label TEXT NOT NULL,
  digest BLOB NOT NULL,
  created INTEGER NOT NULL,
  UNIQUE (principal, label)
) STRICT;

-- A root has parent NULL and is its own sync_root; its seq is the root's change sequence.
-- sync_root is NULL only between the two statements of CreateCollection for a root.
CREATE TABLE collections (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  org INTEGER NOT NULL,
  owner INTEGER NOT NULL REFERENCES principals(id) ON DELETE CASCADE,
  parent INTEGER REFERENCES collections(id) ON DELETE CASCADE,
  sync_root INTEGER,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  seq INTEGER NOT NULL DEFAULT 0,
  created INTEGER NOT NULL,
  modified INTEGER NOT NULL,
  UNIQUE (parent, name)
) STRICT;
CREATE UNIQUE INDEX collections_root ON collections(owner, kind) WHERE parent IS NULL;
CREATE INDEX collections_by_owner ON collections(owner);

CREATE TABLE items (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  org INTEGER NOT NULL,
  collection INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  blob TEXT NOT NULL,
  size INTEGER NOT NULL,
  etag TEXT NOT NULL,
  content_type TEXT NOT NULL,
  created INTEGER NOT NULL,
  modified INTEGER NOT NULL,
  UNIQUE (collection, name)
) STRICT;

CREATE TABLE blobs (
  org INTEGER NOT NULL,
  hash TEXT NOT NULL,
  size INTEGER NOT NULL,
  refcount INTEGER NOT NULL CHECK (refcount >= 0),
  PRIMARY KEY (org, hash)
) STRICT, WITHOUT ROWID;
CREATE INDEX blobs_unreferenced ON blobs(org, hash) WHERE refcount = 0;

-- collection has no foreign key: a change outlives the collection it names.
CREATE TABLE changes (
  sync_root INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  collection INTEGER NOT NULL,
  name TEXT NOT NULL,
  op TEXT NOT NULL,
  PRIMARY KEY (sync_root, seq)
) STRICT, WITHOUT ROWID;
)sql";

// Migration 2: WebDAV. name_key (the NFC of a name, computed by the service) makes "é" composed
// and decomposed one name; rows from migration 1 get their byte name, which is NFC for every
// name the clients we know send. The index is not UNIQUE so that such old rows cannot make the
// migration fail; the write transaction checks keys (see RequireFreeName).
// Changes say whether their member is an item or a collection. Small blobs keep their bytes in
// blobs.data, committed with the metadata (one fsync, no file).
// Dead properties hang off their resource, so deleting it (or its tree) deletes them.
constexpr const char* kMigration2 = R"sql(
ALTER TABLE collections ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
UPDATE collections SET name_key = name;
CREATE INDEX collections_by_key ON collections(parent, name_key);
ALTER TABLE items ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
UPDATE items SET name_key = name;
CREATE INDEX items_by_key ON items(collection, name_key);
ALTER TABLE changes ADD COLUMN member TEXT NOT NULL DEFAULT 'item';
ALTER TABLE blobs ADD COLUMN data BLOB;

CREATE TABLE collection_properties (
  collection INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
  ns TEXT NOT NULL,
  name TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (collection, ns, name)
) STRICT, WITHOUT ROWID;

CREATE TABLE item_properties (
  item INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
  ns TEXT NOT NULL,
  name TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (item, ns, name)
) STRICT, WITHOUT ROWID;
)sql";

// Migration 3: CalDAV and CardDAV, shares and publications of their collections. What a query needs
// of a calendar object or a vCard, so that UID checks and time-range queries read rows, not
// objects. Rows hang off the item (MoveItem keeps them, deletion cascades). Times are Unix seconds;
// NULL span bounds are unbounded. A calendar or address book is a child of its owner's home with
// its own change log, so a collection's sync_root may be itself while its parent is set.
constexpr const char* kMigration3 = R"sql(
CREATE TABLE object_index (
  item INTEGER PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
  uid TEXT NOT NULL,
  component TEXT NOT NULL,
  span_start INTEGER,
  span_end INTEGER,
  recurring INTEGER NOT NULL,
  floating INTEGER NOT NULL,
  indexed_until INTEGER NOT NULL
) STRICT;
CREATE INDEX object_index_by_uid ON object_index(uid);

-- A share grants a principal of the collection's org read or read-write access.
CREATE TABLE shares (
  collection INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
  sharee INTEGER NOT NULL REFERENCES principals(id) ON DELETE CASCADE,
  access TEXT NOT NULL,
  created INTEGER NOT NULL,
  PRIMARY KEY (collection, sharee)
) STRICT, WITHOUT ROWID;
CREATE INDEX shares_by_sharee ON shares(sharee, collection);

-- A publication makes a calendar readable, without credentials, by whoever holds its token.
CREATE TABLE publications (
  token TEXT PRIMARY KEY,
  collection INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
  created INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX publications_by_collection ON publications(collection);

CREATE TABLE object_instances (
  item INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
  start INTEGER NOT NULL,
  end INTEGER NOT NULL,
  PRIMARY KEY (item, start, end)
) STRICT, WITHOUT ROWID;
)sql";

// Migration 4: groups. A group is a principal (kind "group") whose members are principals of the
// same organisation; a share with a group reaches each member.
constexpr const char* kMigration4 = R"sql(
CREATE TABLE group_members (
  group_id INTEGER NOT NULL REFERENCES principals(id) ON DELETE CASCADE,
  member INTEGER NOT NULL REFERENCES principals(id) ON DELETE CASCADE,
  PRIMARY KEY (group_id, member)
) STRICT, WITHOUT ROWID;
CREATE INDEX group_members_by_member ON group_members(member, group_id);
)sql";

// Migration 5: browser sessions of the web workplace. The key is a keyed digest of the cookie's
// secret, never the secret itself.
constexpr const char* kMigration5 = R"sql(
CREATE TABLE sessions (
  digest BLOB PRIMARY KEY,
  principal INTEGER NOT NULL REFERENCES principals(id) ON DELETE CASCADE,
  csrf TEXT NOT NULL,
  created INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  password_digest BLOB NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX sessions_by_principal ON sessions(principal);
)sql";

// Migration 6: the commit sequence, a count of committed write transactions that never goes
// back (backups report the one of their snapshot). It starts where the sequence before it, the
// sum of the change logs' sequences, stood. Publications are found by the SHA-256 of their
// token (the sha256() of connection.cc) instead of the token: a lookup by the secret itself
// compares it in the B-tree in variable time, a lookup by its digest leaks nothing a caller
// could steer. The token stays, for its owner to see the address again.
constexpr const char* kMigration6 = R"sql(
CREATE TABLE publications_by_digest (
  digest BLOB PRIMARY KEY,
  token TEXT NOT NULL,
  collection INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
  created INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
INSERT INTO publications_by_digest (digest, token, collection, created)
  SELECT sha256(token), token, collection, created FROM publications;
DROP TABLE publications;
ALTER TABLE publications_by_digest RENAME TO publications;
CREATE INDEX publications_by_collection ON publications(collection);

CREATE TABLE store_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  commits INTEGER NOT NULL
) STRICT;
INSERT INTO store_state (id, commits)
  SELECT 1, COALESCE(SUM(seq), 0) FROM collections WHERE sync_root = id;
)sql";

// Append only: a released build's migrations never change, or databases it wrote would differ.
constexpr std::array<const char*, 6> kMigrations = {kMigration1, kMigration2, kMigration3,
                                                    kMigration4, kMigration5, kMigration6};

Result<void> ApplyPendingMigrations(Connection& conn, int target) {
  auto current = conn.Prepare("PRAGMA user_version", "read schema version").QueryInt();
  if (!current) return Fail(current.error());
  const std::int64_t version = current->value_or(0);
  if (version > LatestSchemaVersion()) {
    return Fail(Errc::kInternal, "sqlite: schema version " + std::to_string(version) +
                                     " is newer than this build's " +
                                     std::to_string(LatestSchemaVersion()));
  }
  for (auto v = version; v < target; ++v) {
    if (auto done = conn.Exec(kMigrations[static_cast<std::size_t>(v)], "migrate schema"); !done) {
      return done;
    }
  }
  if (version >= target) return Ok();
  const std::string set_version = "PRAGMA user_version = " + std::to_string(target);
  return conn.Exec(set_version.c_str(), "write schema version");
}

}  // namespace

int LatestSchemaVersion() { return static_cast<int>(kMigrations.size()); }

Result<void> MigrateSchema(Connection& conn, int target) {
  // IMMEDIATE takes the write lock before reading the version: two processes starting at once
  // cannot both see version 0 and both create the tables.
  if (auto begun = conn.Exec("BEGIN IMMEDIATE", "begin migration"); !begun) return begun;
  if (auto applied = ApplyPendingMigrations(conn, target); !applied) {
    (void)conn.Exec("ROLLBACK", "roll back migration");  // The first error is the one to report.
    return applied;
  }
  return conn.Exec("COMMIT", "commit migration");
}

}  // namespace regie::storage::sqlite
