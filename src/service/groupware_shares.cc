// Sharing calendars and address books with users of the same organisation, and publishing
// calendars read-only to anyone with the link.
#include "service/groupware_service.h"

#include <array>

#include "base/crypto.h"
#include "service/directory_book.h"

namespace regie::service {
namespace {

constexpr std::string_view kSharedBy = "_shared_by_";

Error NotFound(std::string message) {
  return MakeError(Errc::kNotFound, std::move(message), "not found");
}

// The login an href of a sharee names, or nullopt for a mailto: (looked up by email).
std::optional<std::string> LoginOf(std::string_view sharee) {
  for (std::string_view prefix :
       {"principal:principals/users/", "principal:principals/groups/", "/dav/principals/"}) {
    if (sharee.starts_with(prefix)) {
      sharee.remove_prefix(prefix.size());
      while (sharee.ends_with('/')) sharee.remove_suffix(1);
      return std::string(sharee);
    }
  }
  if (sharee.starts_with("mailto:")) return std::nullopt;
  return std::string(sharee);
}

}  // namespace

Result<void> GroupwareService::RequireWritable(const GroupwareTarget& target) {
  if (target.access == model::ShareAccess::kRead) {
    return Fail(Errc::kForbidden, "write to a read-only share",
                "this calendar or address book is shared with you read-only");
  }
  return Ok();
}

Result<model::Principal> GroupwareService::FindSharee(storage::Txn& txn, const model::Org& org,
                                                      std::string_view sharee) {
  if (auto login = LoginOf(sharee)) {
    auto principal = txn.FindPrincipal(*login);
    // Another organisation's user is as unknown as a user who does not exist, and so is a
    // system principal.
    if (!principal || principal->org != org.id ||
        (principal->kind != model::PrincipalKind::kUser &&
         principal->kind != model::PrincipalKind::kGroup)) {
      return Fail(NotFound("sharee " + *login));
    }
    return principal;
  }
  const std::string_view email = sharee.substr(std::string_view("mailto:").size());
  auto principals = txn.ListPrincipals(org.id);
  if (!principals) return Fail(principals.error());
  for (auto& principal : *principals) {
    if (principal.kind == model::PrincipalKind::kUser && !principal.email.empty() &&
        principal.email == email) {
      return std::move(principal);
    }
  }
  return Fail(NotFound("sharee " + std::string(sharee)));
}

Result<void> GroupwareService::ResolveShared(storage::Txn& txn, GroupwareTarget& target) {
  const std::string& segment = target.collection_name;
  const auto at = segment.rfind(kSharedBy);
  if (at == std::string::npos || at == 0) return Ok();
  const std::string name = segment.substr(0, at);
  const std::string owner_login = segment.substr(at + kSharedBy.size());
  auto owner = txn.FindPrincipal(owner_login);
  if (!owner || owner->org != target.org.id || owner->id == target.owner.id) return Ok();
  auto shared = txn.ListSharedWith(target.org.id, target.owner.id, target.kind);
  if (!shared) return Fail(shared.error());
  for (auto& entry : *shared) {
    if (entry.owner_login == owner_login && entry.collection.name == name) {
      target.collection = std::move(entry.collection);
      target.sharer = std::move(*owner);
      target.access = entry.access;
      return Ok();
    }
  }
  return Ok();
}

Result<std::vector<SharedEntry>> GroupwareService::SharedWith(const GroupwareTarget& home) {
  std::vector<SharedEntry> out;
  if (home.kind == model::CollectionKind::kAddressBook) {
    auto directory = Directory(home.org);
    if (!directory) return Fail(directory.error());
    out.push_back(
        {std::move(directory->collection), std::string(kDirectoryBook), model::ShareAccess::kRead});
  }
  auto txn = metadata_->Begin(storage::TxnMode::kRead);
  if (!txn) return Fail(txn.error());
  auto shared = (*txn)->ListSharedWith(home.org.id, home.owner.id, home.kind);
  if (!shared) return Fail(shared.error());
  for (auto& entry : *shared) {
    std::string segment = entry.collection.name + std::string(kSharedBy) + entry.owner_login;
    out.push_back({std::move(entry.collection), std::move(segment), entry.access});
  }
  return out;
}

Result<void> GroupwareService::Share(const GroupwareTarget& target, std::string_view sharee,
                                     model::ShareAccess access) {
  if (!target.names_collection() || !target.collection || target.sharer) {
    return Fail(Errc::kForbidden, "share of something not owned",
                "only the owner of a calendar or address book can share it");
  }
  auto txn = metadata_->Begin(storage::TxnMode::kWrite);
  if (!txn) return Fail(txn.error());
  auto principal = FindSharee(**txn, target.org, sharee);
  if (!principal) return Fail(principal.error());
  if (principal->id == target.owner.id) {
    return Fail(Errc::kForbidden, "share with oneself",
                "a collection cannot be shared with its owner");
  }
  auto set = (*txn)->SetShare(
      target.org.id,
      {.collection = target.collection->id, .sharee = principal->id, .access = access});
  if (!set) return Fail(set.error());
  return (*txn)->Commit();
}

Result<void> GroupwareService::Unshare(const GroupwareTarget& target, std::string_view sharee) {
  if (!target.names_collection() || !target.collection || target.sharer) {
    return Fail(Errc::kForbidden, "unshare of something not owned",
                "only the owner of a calendar or address book can change its shares");
  }
  auto txn = metadata_->Begin(storage::TxnMode::kWrite);
  if (!txn) return Fail(txn.error());
  auto principal = FindSharee(**txn, target.org, sharee);
  if (!principal) return Fail(principal.error());
  auto removed = (*txn)->RemoveShare(target.org.id, target.collection->id, principal->id);
  if (!removed) return Fail(removed.error());
  if (!*removed) return Fail(NotFound("no share with " + std::string(sharee)));
  return (*txn)->Commit();
}

Result<std::vector<ShareView>> GroupwareService::Shares(const GroupwareTarget& target) {
  if (!target.collection || target.sharer) return Fail(NotFound("no owned collection"));
  auto txn = metadata_->Begin(storage::TxnMode::kRead);
  if (!txn) return Fail(txn.error());
  auto shares = (*txn)->ListShares(target.org.id, target.collection->id);
  if (!shares) return Fail(shares.error());
  std::vector<ShareView> out;
  for (const auto& share : *shares) {
    auto principal = (*txn)->GetPrincipal(share.sharee);
    if (!principal) return Fail(principal.error());
    out.push_back(
        {principal->login, share.access, principal->kind == model::PrincipalKind::kGroup});
  }
  return out;
}

Result<GroupwareTarget> GroupwareService::ResolveForOwner(
    std::string_view owner_login, model::CollectionKind kind,
    const std::vector<std::string>& segments) {
  Caller owner;
  {
    auto txn = metadata_->Begin(storage::TxnMode::kRead);
    if (!txn) return Fail(txn.error());
    auto principal = (*txn)->FindPrincipal(owner_login);
    if (!principal) return Fail(principal.error());
    auto org = (*txn)->GetOrg(principal->org);
    if (!org) return Fail(org.error());
    owner = Caller{std::move(*principal), std::move(*org)};
  }
  return Resolve(owner, kind, owner_login, segments);
}

Result<std::string> GroupwareService::Publish(const GroupwareTarget& target) {
  if (target.kind != model::CollectionKind::kCalendar || !target.names_collection() ||
      !target.collection || target.sharer) {
    return Fail(Errc::kForbidden, "publish of something not an owned calendar",
                "only the owner of a calendar can publish it");
  }
  // 128 random bits, hex: the link is the only credential, so it must not be guessable.
  std::array<std::uint8_t, 16> bits{};
  RandomBytes(bits);
  const std::string token = ToHex(bits);
  auto txn = metadata_->Begin(storage::TxnMode::kWrite);
  if (!txn) return Fail(txn.error());
  if (auto added = (*txn)->AddPublication(target.org.id, target.collection->id, token); !added) {
    return Fail(added.error());
  }
  if (auto done = (*txn)->Commit(); !done) return Fail(done.error());
  return token;
}

Result<void> GroupwareService::Unpublish(const GroupwareTarget& target) {
  if (!target.collection || target.sharer) return Fail(NotFound("no owned calendar"));
  auto txn = metadata_->Begin(storage::TxnMode::kWrite);
  if (!txn) return Fail(txn.error());
  auto removed = (*txn)->RemovePublications(target.org.id, target.collection->id);
  if (!removed) return Fail(removed.error());
  if (*removed == 0) return Fail(NotFound("calendar is not published"));
  return (*txn)->Commit();
}

Result<std::vector<std::string>> GroupwareService::Publications(const GroupwareTarget& target) {
  if (!target.collection || target.sharer) return Fail(NotFound("no owned calendar"));
  auto txn = metadata_->Begin(storage::TxnMode::kRead);
  if (!txn) return Fail(txn.error());
  return (*txn)->ListPublications(target.org.id, target.collection->id);
}

Result<std::string> GroupwareService::ExportPublished(std::string_view token) {
  GroupwareTarget target;
  {
    auto txn = metadata_->Begin(storage::TxnMode::kRead);
    if (!txn) return Fail(txn.error());
    auto collection = (*txn)->FindPublication(token);
    if (!collection) return Fail(collection.error());
    auto owner = (*txn)->GetPrincipal(collection->owner);
    if (!owner) return Fail(owner.error());
    auto org = (*txn)->GetOrg(owner->org);
    if (!org) return Fail(org.error());
    // A disabled account or organisation publishes nothing.
    if (owner->disabled || org->disabled) return Fail(NotFound("publication of a disabled owner"));
    target.owner = std::move(*owner);
    target.org = std::move(*org);
    target.kind = model::CollectionKind::kCalendar;
    target.collection_name = collection->name;
    target.collection = std::move(*collection);
  }
  return Export(target);
}

}  // namespace regie::service
