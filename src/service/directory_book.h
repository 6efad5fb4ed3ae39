// The read-only address book "directory" in every address book home: the organisation's enabled
// users as vCards, so that any CardDAV client finds its colleagues. It is an ordinary address book
// of the organisation's system principal, so that listing, queries, multiget and sync work as for
// any other; AccountService updates an account's card in the transaction that changes the account,
// and the groupware service makes the directory on first use for organisations older than it.
// Internal to service/.
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"
#include "model/account.h"
#include "model/content.h"
#include "storage/metadata_store.h"

namespace regie::service {

// Its name in every address book home.
inline constexpr std::string_view kDirectoryBook = "directory";

struct DirectoryBook {
  model::Principal owner;  // The org's system principal.
  model::Collection collection;
};

// The directory of `org`, or kNotFound when it has not been made yet.
Result<DirectoryBook> FindDirectory(storage::Txn& txn, const model::Org& org);

// Brings the directory of `org` in line with its enabled users inside `txn` (a write
// transaction), making it when missing. Writes only the cards that changed.
Result<DirectoryBook> RefreshDirectory(storage::Txn& txn, const model::Org& org);

// After a change to `principal` (or its deletion, `deleted`) inside `txn`: writes or removes its
// card alone, or makes the whole directory when the organisation has none yet.
Result<void> UpdateDirectoryCard(storage::Txn& txn, const model::Org& org,
                                 const model::Principal& principal, bool deleted = false);

// The card the directory holds for `user`.
std::string DirectoryCard(const model::Principal& user, const model::Org& org);

}  // namespace regie::service
