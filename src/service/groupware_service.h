// Calendars and address books (CalDAV, CardDAV): each user's calendar home and address book
// home, the collections in them and their objects (iCalendar, vCard), with validation, UID
// uniqueness, quotas, queries through the object index, and sync through each collection's own
// change log. The access rule, limits and preconditions apply here, once.
//
// Layout: a home is a root collection (kind kCalendar or kAddressBook) of its owner; its
// children are the calendars (address books), each with its own change log (SyncRoot::kOwn);
// their items are the objects. A user's homes, with a calendar "personal" and an address book
// "contacts", are made on first use.
//
// Access rule (docs/access.md): a resource the caller may not read is kNotFound; readable but
// not writable is kForbidden. Today homes are readable and writable by their owner only.
//
// Threads: thread-safe. Every method blocks (store reads, fsync on writes): call it on the
// blocking pool.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "formats/ical/calendar_filter.h"
#include "formats/ical/calendar_object.h"
#include "formats/vcard/card_filter.h"
#include "formats/vcard/vcard.h"
#include "model/content.h"
#include "model/preconditions.h"
#include "service/auth_service.h"
#include "service/blob_keeper.h"
#include "service/directory_book.h"
#include "service/file_service.h"
#include "storage/metadata_store.h"

namespace regie::service {

struct GroupwareLimits {
  formats::ical::CalendarLimits calendar{};  // max_bytes is CALDAV:max-resource-size.
  formats::vcard::VcardLimits vcard{};       // max_bytes is CARDDAV:max-resource-size.
  std::size_t max_collections = 100;         // Calendars (address books) per home.
  std::size_t max_name_bytes = 255;
  // Instances of recurring events are indexed up to this far ahead of the write; queries beyond
  // it read the objects themselves.
  std::int64_t index_horizon_seconds = std::int64_t{3} * 366 * 24 * 3600;
  std::size_t inline_blob_bytes = std::size_t{8} * 1024;
};

// What a path below /dav/calendars/<login>/ or /dav/addressbooks/<login>/ names: the home, a
// collection in it (which may not exist yet) or an object (which may not exist yet).
struct GroupwareTarget {
  model::Principal owner;
  model::Org org;
  model::CollectionKind kind = model::CollectionKind::kCalendar;
  model::Collection home;
  std::string collection_name;  // Empty when the path names the home.
  std::optional<model::Collection> collection;
  std::string object_name;  // Empty unless the path names an object.
  std::optional<model::Item> item;
  // Set when the collection is another user's, shared with the caller: its owner (whose quota
  // objects count against) and what the caller may do.
  std::optional<model::Principal> sharer;
  std::optional<model::ShareAccess> access;

  bool names_home() const { return collection_name.empty(); }
  bool names_collection() const { return !collection_name.empty() && object_name.empty(); }
  bool names_object() const { return !object_name.empty(); }
};

// An object with its stored text, for REPORT answers.
struct StoredObject {
  model::Item item;
  std::string text;
};

// A member of a collection that changed since a sync token: its current state, or gone.
struct ObjectChange {
  std::string name;
  std::optional<model::Item> item;
};

struct ObjectChanges {
  std::vector<ObjectChange> changes;
  std::uint64_t seq = 0;   // The position these changes bring a client to.
  bool truncated = false;  // More changes follow; ask again from `seq`.
};

// A calendar-query, evaluated per RFC 4791 §9.7 with floating times in `timezone` (a VCALENDAR
// with one VTIMEZONE; empty: the calendar's calendar-timezone, else UTC).
struct CalendarQuerySpec {
  formats::ical::CompFilter filter{};
  std::optional<std::string> timezone{};
  std::size_t max_results = 10'000;  // Beyond it: kTooManyResults (DAV:number-of-matches…).
};

struct CardQuerySpec {
  formats::vcard::CardFilter filter{};
  std::optional<std::size_t> limit{};  // The client's: results stop there (truncated).
  std::size_t max_results = 10'000;
};

struct CardQueryResult {
  std::vector<StoredObject> objects;
  bool truncated = false;  // The client's limit cut the answer (RFC 6352 §8.6.1: 507 for it).
};

// A sharee of a collection, for `regie share list` and the sharing UI.
struct ShareView {
  std::string login;
  model::ShareAccess access = model::ShareAccess::kRead;
  bool group = false;  // The sharee is a group: the share reaches each member.
};

// A collection of someone else in a home: shared with its owner (or a group of theirs), or the
// organisation's directory.
struct SharedEntry {
  model::Collection collection;
  std::string segment;  // Its name in the home: "<name>_shared_by_<owner>", or "directory".
  model::ShareAccess access = model::ShareAccess::kRead;
};

// What an import took and what it refused, with the reason for each refusal.
struct ImportReport {
  std::size_t taken = 0;
  std::vector<std::string> refused;  // "UID x: VEVENT without DTSTART"
};

class GroupwareService {
 public:
  GroupwareService(std::shared_ptr<storage::MetadataStore> metadata,
                   std::shared_ptr<BlobKeeper> keeper, std::shared_ptr<AuthService> auth,
                   GroupwareLimits limits);

  const GroupwareLimits& limits() const { return limits_; }

  // Confirms the caller and resolves `segments` below the owner's home of `kind`, making the
  // owner's homes first if they do not exist. Paths deeper than collection/object are
  // kNotFound; an object path in a missing collection is a target without `collection`.
  // A collection segment "<name>_shared_by_<login>" names <login>'s collection <name> when it
  // is shared with the caller (else kNotFound, like anything the caller may not read).
  Result<GroupwareTarget> Resolve(const Caller& caller, model::CollectionKind kind,
                                  std::string_view owner_login,
                                  const std::vector<std::string>& segments);

  // MKCALENDAR / extended MKCOL of an address book: kMethodNotAllowed when something exists
  // there, kForbidden for a path that is not directly in the home, and for properties that
  // cannot be set (the error's condition names the first). `properties` are stored as dead
  // properties after PatchProperties' checks; supported-calendar-component-set may be set only
  // here.
  Result<model::Collection> MakeCollection(const GroupwareTarget& target,
                                           const std::vector<PropertyChange>& properties);

  // PUT of a calendar object or vCard: validated (preconditions of RFC 4791 §5.3.2.1 and
  // RFC 6352 §6.3.2.1 in Error::condition), UID unique in the collection, quota, ETag
  // preconditions under the write lock; indexed in the same transaction.
  Result<WriteOutcome> PutObject(const GroupwareTarget& target, std::string body,
                                 std::string_view content_type,
                                 const model::Preconditions& preconditions);
  // The stored text of the object `target` names.
  Result<std::string> ReadObject(const GroupwareTarget& target);
  // Deletes the object or the whole collection `target` names; the home itself is kForbidden.
  Result<void> Delete(const GroupwareTarget& target, const model::Preconditions& preconditions);

  // One page of the collections of the home or the objects of a collection, after `after`.
  Result<std::vector<model::Member>> List(const GroupwareTarget& within,
                                          model::CollectionId collection, std::string_view after,
                                          std::size_t limit);
  Result<std::vector<model::DeadProperty>> Properties(const GroupwareTarget& within,
                                                      const model::ResourceId& resource);
  // PROPPATCH on a collection or object: all or nothing. calendar-timezone must hold one
  // VTIMEZONE (CALDAV:valid-calendar-data); supported-calendar-component-set is protected after
  // creation (DAV:cannot-modify-protected-property).
  Result<void> PatchProperties(const GroupwareTarget& target,
                               const std::vector<PropertyChange>& changes);
  // The components a calendar accepts (its supported-calendar-component-set).
  Result<std::vector<formats::ical::ComponentKind>> SupportedComponents(
      const GroupwareTarget& within, const model::Collection& calendar);

  // The change sequence of the collection (its ctag and sync-token).
  Result<std::uint64_t> CurrentSeq(const GroupwareTarget& within,
                                   const model::Collection& collection);
  // What changed in the target's collection after `since`, latest state per name, at most
  // `limit` names. kForbidden with DAV:valid-sync-token when `since` is ahead of the log.
  Result<ObjectChanges> ChangesSince(const GroupwareTarget& target, std::uint64_t since,
                                     std::size_t limit);

  // The objects of the target's calendar matching the query, in name order, with their text.
  // Time ranges are answered from the object index where it decides; only undecided objects
  // (and all, when the filter tests more than time) are parsed.
  Result<std::vector<StoredObject>> QueryCalendar(const GroupwareTarget& target,
                                                  const CalendarQuerySpec& query);
  Result<CardQueryResult> QueryCards(const GroupwareTarget& target, const CardQuerySpec& query);
  // The objects of the target's collection with these names; a missing name is absent.
  Result<std::vector<StoredObject>> Multiget(const GroupwareTarget& target,
                                             const std::vector<std::string>& names);
  // The whole collection the target names as one file: an iCalendar object with every event
  // (each time zone once), or every vCard in a row. The collection's displayname names a
  // calendar export.
  Result<std::string> Export(const GroupwareTarget& target);

  // The collections of others in the home: those of the target's kind shared with its owner
  // (directly or through a group) and, in an address book home, the read-only directory of the
  // organisation's users (made on first use).
  Result<std::vector<SharedEntry>> SharedWith(const GroupwareTarget& home);
  // Shares the owned collection `target` names with `sharee`, a user or a group of the same
  // organisation (else kNotFound): a login or group name, "mailto:<email>",
  // "principal:principals/users/<login>", "principal:principals/groups/<group>" or
  // "/dav/principals/<login>/". Sharing again changes the access.
  Result<void> Share(const GroupwareTarget& target, std::string_view sharee,
                     model::ShareAccess access);
  // kNotFound when there was no such share.
  Result<void> Unshare(const GroupwareTarget& target, std::string_view sharee);
  Result<std::vector<ShareView>> Shares(const GroupwareTarget& target);
  // Publishes the owned calendar `target` names read-only at a new 128-bit random token (the
  // front end serves /pub/calendars/<token>.ics); returns the token.
  Result<std::string> Publish(const GroupwareTarget& target);
  // Revokes every published link of the calendar; kNotFound when it had none.
  Result<void> Unpublish(const GroupwareTarget& target);
  Result<std::vector<std::string>> Publications(const GroupwareTarget& target);
  // The whole calendar a token publishes (as Export), or kNotFound for an unknown or revoked
  // token. Needs no caller: the token is the credential.
  Result<std::string> ExportPublished(std::string_view token);

  // A target acting as `owner_login` (for the CLI, which acts for users).
  Result<GroupwareTarget> ResolveForOwner(std::string_view owner_login, model::CollectionKind kind,
                                          const std::vector<std::string>& segments);

  // Imports a whole .ics (calendars) or .vcf (address books), as Google and Outlook export
  // them, into the owner's collection `collection` (made if missing). Each object is stored as
  // "<uid>.ics" / "<uid>.vcf", replacing the object of the same name (a second import of the same
  // file changes nothing); vCards without UID get one. For the CLI, which acts for the owner.
  Result<ImportReport> Import(std::string_view owner_login, model::CollectionKind kind,
                              std::string_view collection, std::string_view text);

  // The floating time zone of a calendar query: `timezone` when given, else the calendar's
  // calendar-timezone, else UTC.
  Result<formats::ical::FloatingZone> ZoneFor(const GroupwareTarget& target,
                                              const std::optional<std::string>& timezone);

 private:
  // kForbidden when the target is shared with the caller read-only.
  static Result<void> RequireWritable(const GroupwareTarget& target);
  // The shared collection "<name>_shared_by_<login>" names, into `target`.
  Result<void> ResolveShared(storage::Txn& txn, GroupwareTarget& target);
  Result<model::Principal> FindSharee(storage::Txn& txn, const model::Org& org,
                                      std::string_view sharee);
  // Every object of the target's collection as an initial sync's changes at `seq`; nullopt
  // when there are more than `limit`.
  Result<std::optional<ObjectChanges>> ListAll(storage::Txn& txn, const GroupwareTarget& target,
                                               std::uint64_t seq, std::size_t limit);
  Result<void> EnsureHomes(const model::Principal& owner, const model::Org& org);
  // The organisation's directory address book, made first for organisations older than it.
  Result<DirectoryBook> Directory(const model::Org& org);
  // Reads the text of `item` inside `txn` when it is inline, else from the blob store.
  Result<std::string> TextOf(storage::Txn& txn, const model::Org& org, const model::Item& item);
  // Validates a PUT body for the target's collection; its index rows.
  Result<model::ObjectIndex> CheckObject(const GroupwareTarget& target, std::string_view body,
                                         std::string_view content_type);
  Result<std::string> NameKey(std::string_view name) const;

  std::shared_ptr<storage::MetadataStore> metadata_;
  std::shared_ptr<BlobKeeper> keeper_;
  std::shared_ptr<AuthService> auth_;
  GroupwareLimits limits_;
};

}  // namespace regie::service
