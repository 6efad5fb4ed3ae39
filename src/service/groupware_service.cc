// Homes, collections, properties and sync of calendars and address books. Objects and queries
// are in groupware_objects.cc.
#include "service/groupware_service.h"

#include <algorithm>
#include <array>
#include <map>

#include "service/directory_book.h"
#include "service/groupware_properties.h"
#include "service/names.h"

namespace regie::service {

using namespace groupware_detail;  // NOLINT(google-build-using-namespace): the service's own.

namespace {

Error NotFound(std::string message) {
  return MakeError(Errc::kNotFound, std::move(message), "not found");
}

struct DefaultCollection {
  model::CollectionKind kind;
  std::string_view name;
  std::string_view display_name;
};

// Every user starts with these (the "personal" calendar and "contacts" book).
constexpr std::array<DefaultCollection, 2> kDefaults{{
    {model::CollectionKind::kCalendar, "personal", "Personal"},
    {model::CollectionKind::kAddressBook, "contacts", "Contacts"},
}};

const std::vector<formats::ical::ComponentKind> kDefaultComponents = {
    formats::ical::ComponentKind::kEvent, formats::ical::ComponentKind::kTodo};

}  // namespace

GroupwareService::GroupwareService(std::shared_ptr<storage::MetadataStore> metadata,
                                   std::shared_ptr<BlobKeeper> keeper,
                                   std::shared_ptr<AuthService> auth, GroupwareLimits limits)
    : metadata_(std::move(metadata)),
      keeper_(std::move(keeper)),
      auth_(std::move(auth)),
      limits_(limits) {}

Result<std::string> GroupwareService::NameKey(std::string_view name) const {
  return NameKeyOf(name, limits_.max_name_bytes);
}

Result<void> GroupwareService::EnsureHomes(const model::Principal& owner, const model::Org& org) {
  auto txn = metadata_->Begin(storage::TxnMode::kWrite);
  if (!txn) return Fail(txn.error());
  for (const auto& def : kDefaults) {
    // Re-checked under the write lock: two first requests at once make the homes once.
    auto home = (*txn)->FindRoot(org.id, owner.id, def.kind);
    if (home) continue;
    if (home.error().code != Errc::kNotFound) return Fail(home.error());
    auto made = (*txn)->CreateCollection({.org = org.id, .owner = owner.id, .kind = def.kind});
    if (!made) return Fail(made.error());
    auto collection = (*txn)->CreateCollection({.org = org.id,
                                                .owner = owner.id,
                                                .parent = made->id,
                                                .kind = def.kind,
                                                .name = std::string(def.name),
                                                .sync_root = storage::SyncRoot::kOwn});
    if (!collection) return Fail(collection.error());
    const model::ResourceId id{collection->id};
    if (auto set = (*txn)->SetProperty(org.id, id, DisplayName(def.display_name)); !set) {
      return Fail(set.error());
    }
    if (def.kind == model::CollectionKind::kCalendar) {
      auto set = (*txn)->SetProperty(org.id, id, SupportedComponentSet(kDefaultComponents));
      if (!set) return Fail(set.error());
    }
  }
  return (*txn)->Commit();
}

Result<DirectoryBook> GroupwareService::Directory(const model::Org& org) {
  {
    auto txn = metadata_->Begin(storage::TxnMode::kRead);
    if (!txn) return Fail(txn.error());
    auto found = FindDirectory(**txn, org);
    if (found || found.error().code != Errc::kNotFound) return found;
  }
  // An organisation from before the directory existed: made once, under the write lock (a
  // concurrent first use finds it there and writes nothing).
  auto txn = metadata_->Begin(storage::TxnMode::kWrite);
  if (!txn) return Fail(txn.error());
  auto made = RefreshDirectory(**txn, org);
  if (!made) return Fail(made.error());
  if (auto done = (*txn)->Commit(); !done) return Fail(done.error());
  return made;
}

Result<GroupwareTarget> GroupwareService::Resolve(const Caller& caller, model::CollectionKind kind,
                                                  std::string_view owner_login,
                                                  const std::vector<std::string>& segments) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto txn = metadata_->Begin(storage::TxnMode::kRead);
    if (!txn) return Fail(txn.error());
    auto current = auth_->Confirm(**txn, caller);
    if (!current) return Fail(current.error());
    if (owner_login != current->principal.login) {
      return Fail(
          NotFound("home of " + std::string(owner_login) + " for " + current->principal.login));
    }
    auto home = (*txn)->FindRoot(current->org.id, current->principal.id, kind);
    if (!home && home.error().code == Errc::kNotFound && attempt == 0) {
      txn->reset();
      if (auto made = EnsureHomes(current->principal, current->org); !made) {
        return Fail(made.error());
      }
      continue;
    }
    if (!home) return Fail(home.error());
    GroupwareTarget target{.owner = std::move(current->principal),
                           .org = std::move(current->org),
                           .kind = kind,
                           .home = std::move(*home),
                           .collection_name = {},
                           .collection = std::nullopt,
                           .object_name = {},
                           .item = std::nullopt,
                           .sharer = std::nullopt,
                           .access = std::nullopt};
    if (segments.size() > 2) return Fail(NotFound("path below an object"));
    if (segments.empty()) return target;
    target.collection_name = segments[0];
    auto collection = (*txn)->FindChild(target.org.id, target.home.id, segments[0]);
    if (collection) {
      target.collection = std::move(*collection);
    } else if (collection.error().code != Errc::kNotFound) {
      return Fail(collection.error());
    } else if (kind == model::CollectionKind::kAddressBook && segments[0] == kDirectoryBook) {
      auto directory = Directory(target.org);
      if (!directory) return Fail(directory.error());
      target.collection = std::move(directory->collection);
      target.sharer = std::move(directory->owner);
      target.access = model::ShareAccess::kRead;
    } else if (auto shared = ResolveShared(**txn, target); !shared) {
      return Fail(shared.error());
    }
    if (segments.size() == 2) {
      target.object_name = segments[1];
      if (target.collection) {
        auto item = (*txn)->FindItem(target.org.id, target.collection->id, segments[1]);
        if (item) {
          target.item = std::move(*item);
        } else if (item.error().code != Errc::kNotFound) {
          return Fail(item.error());
        }
      }
    }
    return target;
  }
  return Fail(Errc::kInternal, "homes vanished after being made");
}

Result<model::Collection> GroupwareService::MakeCollection(
    const GroupwareTarget& target, const std::vector<PropertyChange>& properties) {
  if (!target.names_collection()) {
    return Fail(Errc::kForbidden, "collection outside a home",
                "calendars and address books are made directly in the home");
  }
  if (target.collection) {
    return Fail(Errc::kMethodNotAllowed, "collection exists: " + target.collection_name,
                "a collection exists at this URL");
  }
  if (target.collection_name.find("_shared_by_") != std::string::npos) {
    return Fail(Errc::kForbidden, "reserved collection name",
                "names with _shared_by_ are reserved for shared collections");
  }
  if (target.kind == model::CollectionKind::kAddressBook &&
      target.collection_name == kDirectoryBook) {
    return Fail(Errc::kMethodNotAllowed, "directory is reserved",
                "the organisation's directory is at this URL");
  }
  auto key = NameKey(target.collection_name);
  if (!key) return Fail(key.error());
  for (const auto& change : properties) {
    if (auto ok = CheckCollectionProperty(change.property); !ok) return Fail(ok.error());
  }
  auto txn = metadata_->Begin(storage::TxnMode::kWrite);
  if (!txn) return Fail(txn.error());
  auto existing = (*txn)->ListMembers(target.org.id, target.home.id, "", limits_.max_collections);
  if (!existing) return Fail(existing.error());
  if (existing->size() >= limits_.max_collections) {
    return Fail(Errc::kQuotaExceeded, "too many collections in a home",
                "this home holds as many collections as allowed");
  }
  auto made = (*txn)->CreateCollection({.org = target.org.id,
                                        .owner = target.owner.id,
                                        .parent = target.home.id,
                                        .kind = target.kind,
                                        .name = target.collection_name,
                                        .name_key = *key,
                                        .sync_root = storage::SyncRoot::kOwn});
  if (!made) {
    if (made.error().code == Errc::kAlreadyExists) {
      return Fail(Errc::kMethodNotAllowed, "collection exists", "a collection exists here");
    }
    return Fail(made.error());
  }
  bool has_components = false;
  for (const auto& change : properties) {
    has_components |= change.property.name == CalDav("supported-calendar-component-set");
    auto set = (*txn)->SetProperty(target.org.id, model::ResourceId{made->id}, change.property);
    if (!set) return Fail(set.error());
  }
  if (target.kind == model::CollectionKind::kCalendar && !has_components) {
    // RFC 4791 §5.2.3: without the property a calendar takes every component type.
    auto set = (*txn)->SetProperty(
        target.org.id, model::ResourceId{made->id},
        SupportedComponentSet(
            {formats::ical::ComponentKind::kEvent, formats::ical::ComponentKind::kTodo,
             formats::ical::ComponentKind::kJournal, formats::ical::ComponentKind::kFreeBusy}));
    if (!set) return Fail(set.error());
  }
  if (auto done = (*txn)->Commit(); !done) return Fail(done.error());
  return made;
}

Result<std::vector<model::Member>> GroupwareService::List(const GroupwareTarget& within,
                                                          model::CollectionId collection,
                                                          std::string_view after,
                                                          std::size_t limit) {
  auto txn = metadata_->Begin(storage::TxnMode::kRead);
  if (!txn) return Fail(txn.error());
  return (*txn)->ListMembers(within.org.id, collection, after, limit);
}

Result<std::vector<model::DeadProperty>> GroupwareService::Properties(
    const GroupwareTarget& within, const model::ResourceId& resource) {
  auto txn = metadata_->Begin(storage::TxnMode::kRead);
  if (!txn) return Fail(txn.error());
  return (*txn)->ListProperties(within.org.id, resource);
}

Result<void> GroupwareService::PatchProperties(const GroupwareTarget& target,
                                               const std::vector<PropertyChange>& changes) {
  model::ResourceId resource{target.home.id};
  if (target.item) {
    resource = target.item->id;
  } else if (target.collection && target.names_collection()) {
    resource = target.collection->id;
  } else if (!target.names_home()) {
    return Fail(NotFound("no resource " + target.collection_name + "/" + target.object_name));
  }
  if (target.sharer && (!target.item || target.access != model::ShareAccess::kReadWrite)) {
    return Fail(Errc::kForbidden, "PROPPATCH on a shared collection",
                "the owner's collection properties cannot be changed by a sharee");
  }
  for (const auto& change : changes) {
    if (change.property.name == CalDav("supported-calendar-component-set")) {
      // RFC 4791 §5.2.3: fixed once the calendar exists.
      return Fail(Errc::kForbidden, "supported-calendar-component-set is protected",
                  "supported-calendar-component-set cannot be changed",
                  {std::string(kDavNs), "cannot-modify-protected-property"});
    }
    if (change.op == PropertyOp::kSet) {
      if (auto ok = CheckCollectionProperty(change.property); !ok) return Fail(ok.error());
    }
  }
  auto txn = metadata_->Begin(storage::TxnMode::kWrite);
  if (!txn) return Fail(txn.error());
  for (const auto& change : changes) {
    auto done = change.op == PropertyOp::kSet
                    ? (*txn)->SetProperty(target.org.id, resource, change.property)
                    : (*txn)->RemoveProperty(target.org.id, resource, change.property.name);
    if (!done) return Fail(done.error());
  }
  return (*txn)->Commit();
}

Result<std::vector<formats::ical::ComponentKind>> GroupwareService::SupportedComponents(
    const GroupwareTarget& within, const model::Collection& calendar) {
  auto properties = Properties(within, model::ResourceId{calendar.id});
  if (!properties) return Fail(properties.error());
  const auto* set = FindProperty(*properties, CalDav("supported-calendar-component-set"));
  if (set) {
    if (auto kinds = ParseSupportedComponentSet(set->value)) return *kinds;
  }
  return kDefaultComponents;
}

Result<std::uint64_t> GroupwareService::CurrentSeq(const GroupwareTarget& /*within*/,
                                                   const model::Collection& collection) {
  auto txn = metadata_->Begin(storage::TxnMode::kRead);
  if (!txn) return Fail(txn.error());
  return (*txn)->CurrentSeq(collection.sync_root);
}

Result<ObjectChanges> GroupwareService::ChangesSince(const GroupwareTarget& target,
                                                     std::uint64_t since, std::size_t limit) {
  if (!target.collection) return Fail(NotFound("no collection " + target.collection_name));
  auto txn = metadata_->Begin(storage::TxnMode::kRead);
  if (!txn) return Fail(txn.error());
  auto seq = (*txn)->CurrentSeq(target.collection->sync_root);
  if (!seq) return Fail(seq.error());
  if (since > *seq) {
    return Fail(Errc::kForbidden, "sync token ahead of the log", "invalid sync token",
                {std::string(kDavNs), "valid-sync-token"});
  }
  if (since == 0) {
    // RFC 6578 §3.8: an initial sync lists the members as they are. One scan in name order is
    // cheaper than replaying the whole log and looking each name up; a collection larger than
    // the limit replays the log, whose positions can resume a truncated answer.
    auto listed = ListAll(**txn, target, *seq, limit);
    if (!listed) return Fail(listed.error());
    if (*listed) return std::move(**listed);
  }
  ObjectChanges out;
  out.seq = since;
  // The latest change per name decides; names are read in log order, a page at a time.
  std::map<std::string, std::size_t> position;
  std::uint64_t at = since;
  for (;;) {
    auto page = (*txn)->ChangesSince(target.collection->sync_root, at, 1000);
    if (!page) return Fail(page.error());
    if (page->empty()) break;
    for (const auto& change : *page) {
      at = change.seq;
      if (change.collection != target.collection->id) continue;
      if (!position.contains(change.name)) {
        if (position.size() == limit) {
          out.truncated = true;
          break;
        }
        position.emplace(change.name, out.changes.size());
        out.changes.push_back({change.name, std::nullopt});
      }
      out.seq = change.seq;
    }
    if (out.truncated) break;
  }
  if (!out.truncated) out.seq = *seq;
  for (auto& change : out.changes) {
    auto item = (*txn)->FindItem(target.org.id, target.collection->id, change.name);
    if (item) {
      change.item = std::move(*item);
    } else if (item.error().code != Errc::kNotFound) {
      return Fail(item.error());
    }
  }
  return out;
}

Result<std::optional<ObjectChanges>> GroupwareService::ListAll(storage::Txn& txn,
                                                               const GroupwareTarget& target,
                                                               std::uint64_t seq,
                                                               std::size_t limit) {
  ObjectChanges out;
  out.seq = seq;
  std::string after;
  for (;;) {
    auto page = txn.ListMembers(target.org.id, target.collection->id, after, 1000);
    if (!page) return Fail(page.error());
    if (page->empty()) return std::optional<ObjectChanges>(std::move(out));
    after = std::visit([](const auto& m) { return m.name; }, page->back());
    for (auto& member : *page) {
      auto* item = std::get_if<model::Item>(&member);
      if (item == nullptr) continue;
      if (out.changes.size() == limit) return std::optional<ObjectChanges>();
      out.changes.push_back({item->name, std::move(*item)});
    }
  }
}

Result<void> GroupwareService::Delete(const GroupwareTarget& target,
                                      const model::Preconditions& preconditions) {
  if (target.names_home()) {
    return Fail(Errc::kForbidden, "DELETE of a home", "a home cannot be deleted");
  }
  if (target.sharer && target.names_collection()) {
    // A sharee deleting a shared collection leaves it (as Nextcloud and CalendarServer do).
    auto txn = metadata_->Begin(storage::TxnMode::kWrite);
    if (!txn) return Fail(txn.error());
    auto removed = (*txn)->RemoveShare(target.org.id, target.collection->id, target.owner.id);
    if (!removed) return Fail(removed.error());
    if (!*removed) {
      // Shared with a group of the caller's, or the directory: not the caller's to leave.
      return Fail(Errc::kForbidden, "DELETE of a collection not shared with the caller alone",
                  "this collection reaches you through a group or is the organisation's "
                  "directory; only its owner can change that");
    }
    return (*txn)->Commit();
  }
  if (auto writable = RequireWritable(target); !writable) return writable;
  std::vector<model::BlobHash> released;
  {
    auto txn = metadata_->Begin(storage::TxnMode::kWrite);
    if (!txn) return Fail(txn.error());
    if (!target.collection) return Fail(NotFound("no collection " + target.collection_name));
    if (target.names_object()) {
      auto item = (*txn)->FindItem(target.org.id, target.collection->id, target.object_name);
      if (!item && item.error().code != Errc::kNotFound) return Fail(item.error());
      if (!preconditions.Allow(item ? std::optional<std::string_view>(item->etag) : std::nullopt)) {
        return Fail(Errc::kPreconditionFailed, "precondition failed on " + target.object_name,
                    "precondition failed");
      }
      if (!item) return Fail(NotFound("no object " + target.object_name));
      auto deleted = (*txn)->DeleteItem(target.org.id, target.collection->id, target.object_name);
      if (!deleted) return Fail(deleted.error());
      if (deleted->released) released.push_back(*deleted->released);
    } else {
      if (!preconditions.Allow(std::string_view())) {
        return Fail(Errc::kPreconditionFailed, "precondition failed on collection",
                    "precondition failed");
      }
      auto deleted = (*txn)->DeleteCollection(target.org.id, target.collection->id);
      if (!deleted) return Fail(deleted.error());
      released = std::move(deleted->released);
    }
    if (auto done = (*txn)->Commit(); !done) return Fail(done.error());
  }
  keeper_->Release(target.org, released);
  return Ok();
}

}  // namespace regie::service
