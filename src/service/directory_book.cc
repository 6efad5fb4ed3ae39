#include "service/directory_book.h"

#include <map>

#include "base/crypto.h"
#include "formats/vcard/vcard.h"
#include "service/groupware_properties.h"

namespace regie::service {
namespace {

std::string OwnerLogin(const model::Org& org) {
  return std::string(1, model::kSystemLoginPrefix) + "directory." + org.name;
}

std::string CardName(const model::Principal& user) { return user.login + ".vcf"; }

std::string CardUid(const model::Principal& user, const model::Org& org) {
  return "urn:regie:directory:" + org.name + ":" + user.login;
}

bool Listed(const model::Principal& principal) {
  return principal.kind == model::PrincipalKind::kUser && !principal.disabled;
}

Result<model::Principal> EnsureOwner(storage::Txn& txn, const model::Org& org) {
  auto owner = txn.FindPrincipal(OwnerLogin(org));
  if (owner || owner.error().code != Errc::kNotFound) return owner;
  return txn.CreatePrincipal({.org = org.id,
                              .kind = model::PrincipalKind::kSystem,
                              .login = OwnerLogin(org),
                              .display_name = "Directory"});
}

Result<model::Collection> EnsureBook(storage::Txn& txn, const model::Org& org,
                                     const model::Principal& owner) {
  auto home = txn.FindRoot(org.id, owner.id, model::CollectionKind::kAddressBook);
  if (!home && home.error().code == Errc::kNotFound) {
    home = txn.CreateCollection(
        {.org = org.id, .owner = owner.id, .kind = model::CollectionKind::kAddressBook});
  }
  if (!home) return Fail(home.error());
  auto book = txn.FindChild(org.id, home->id, kDirectoryBook);
  if (book || book.error().code != Errc::kNotFound) return book;
  book = txn.CreateCollection({.org = org.id,
                               .owner = owner.id,
                               .parent = home->id,
                               .kind = model::CollectionKind::kAddressBook,
                               .name = std::string(kDirectoryBook),
                               .sync_root = storage::SyncRoot::kOwn});
  if (!book) return Fail(book.error());
  auto named = txn.SetProperty(org.id, model::ResourceId{book->id},
                               groupware_detail::DisplayName("Directory"));
  if (!named) return Fail(named.error());
  return book;
}

// A card's bytes live only in its blob row (inline): once nothing references it, the row can go
// in the same transaction, as no file needs removing outside it.
Result<void> ForgetInline(storage::Txn& txn, const model::Org& org, const model::BlobHash& hash) {
  auto forgot = txn.ForgetBlob(org.id, hash);
  if (!forgot) return Fail(forgot.error());
  return Ok();
}

// The directory's cards by name, with their blob hashes.
Result<std::map<std::string, model::BlobHash>> ListCards(storage::Txn& txn, const model::Org& org,
                                                         const model::Collection& book) {
  std::map<std::string, model::BlobHash> out;
  std::string after;
  for (;;) {
    auto page = txn.ListMembers(org.id, book.id, after, 1000);
    if (!page) return Fail(page.error());
    if (page->empty()) return out;
    for (const auto& member : *page) {
      after = std::visit([](const auto& m) { return m.name; }, member);
      if (const auto* item = std::get_if<model::Item>(&member)) out.emplace(item->name, item->blob);
    }
  }
}

// Writes the card of `user` unless `stored` (the hash of the card there now) already matches.
Result<void> PutCard(storage::Txn& txn, const model::Org& org, const model::Collection& book,
                     const model::Principal& user, const std::optional<model::BlobHash>& stored) {
  std::string text = DirectoryCard(user, org);
  const model::BlobHash hash{Sha256::Of(text)};
  if (stored == hash) return Ok();
  const std::uint64_t size = text.size();
  auto put = txn.PutItem({.org = org.id,
                          .collection = book.id,
                          .name = CardName(user),
                          .blob = hash,
                          .size = size,
                          .content_type = "text/vcard; charset=utf-8",
                          .inline_content = std::move(text)});
  if (!put) return Fail(put.error());
  if (put->released) {
    if (auto forgot = ForgetInline(txn, org, *put->released); !forgot) return forgot;
  }
  return txn.SetObjectIndex(org.id, put->item.id,
                            {.uid = CardUid(user, org), .component = "VCARD"});
}

Result<void> DropCard(storage::Txn& txn, const model::Org& org, const model::Collection& book,
                      const std::string& name) {
  auto deleted = txn.DeleteItem(org.id, book.id, name);
  if (!deleted) return Fail(deleted.error());
  if (deleted->released) return ForgetInline(txn, org, *deleted->released);
  return Ok();
}

}  // namespace

std::string DirectoryCard(const model::Principal& user, const model::Org& org) {
  const std::string& name = user.display_name.empty() ? user.login : user.display_name;
  formats::vcard::CardWriter card("3.0");
  card.Text("UID", CardUid(user, org))
      .Text("FN", name)
      .Structured("N", {"", "", "", "", ""})
      .Structured("ORG", {org.name});
  if (!user.email.empty()) card.Text("EMAIL", user.email, ";TYPE=INTERNET,WORK");
  return card.Finish();
}

Result<DirectoryBook> FindDirectory(storage::Txn& txn, const model::Org& org) {
  auto owner = txn.FindPrincipal(OwnerLogin(org));
  if (!owner) return Fail(owner.error());
  if (owner->org != org.id) return Fail(Errc::kInternal, "directory owner of another org");
  auto home = txn.FindRoot(org.id, owner->id, model::CollectionKind::kAddressBook);
  if (!home) return Fail(home.error());
  auto book = txn.FindChild(org.id, home->id, kDirectoryBook);
  if (!book) return Fail(book.error());
  return DirectoryBook{std::move(*owner), std::move(*book)};
}

Result<DirectoryBook> RefreshDirectory(storage::Txn& txn, const model::Org& org) {
  auto owner = EnsureOwner(txn, org);
  if (!owner) return Fail(owner.error());
  auto book = EnsureBook(txn, org, *owner);
  if (!book) return Fail(book.error());
  auto cards = ListCards(txn, org, *book);
  if (!cards) return Fail(cards.error());
  auto principals = txn.ListPrincipals(org.id);
  if (!principals) return Fail(principals.error());
  for (const auto& principal : *principals) {
    if (!Listed(principal)) continue;
    std::optional<model::BlobHash> stored;
    if (auto it = cards->find(CardName(principal)); it != cards->end()) {
      stored = it->second;
      cards->erase(it);
    }
    if (auto put = PutCard(txn, org, *book, principal, stored); !put) return Fail(put.error());
  }
  // What is left has no enabled user any more.
  for (const auto& [name, hash] : *cards) {
    if (auto dropped = DropCard(txn, org, *book, name); !dropped) return Fail(dropped.error());
  }
  return DirectoryBook{std::move(*owner), std::move(*book)};
}

Result<void> UpdateDirectoryCard(storage::Txn& txn, const model::Org& org,
                                 const model::Principal& principal, bool deleted) {
  if (principal.kind != model::PrincipalKind::kUser) return Ok();
  auto directory = FindDirectory(txn, org);
  if (!directory && directory.error().code == Errc::kNotFound) {
    // Made now, from the accounts as this transaction sees them: the change is in it.
    auto made = RefreshDirectory(txn, org);
    if (!made) return Fail(made.error());
    return Ok();
  }
  if (!directory) return Fail(directory.error());
  const model::Collection& book = directory->collection;
  auto current = txn.FindItem(org.id, book.id, CardName(principal));
  if (!current && current.error().code != Errc::kNotFound) return Fail(current.error());
  if (!deleted && Listed(principal)) {
    return PutCard(txn, org, book, principal,
                   current ? std::optional<model::BlobHash>(current->blob) : std::nullopt);
  }
  if (!current) return Ok();
  return DropCard(txn, org, book, CardName(principal));
}

}  // namespace regie::service
