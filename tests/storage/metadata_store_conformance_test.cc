// MetadataStore conformance, part 1: the backend list, transactions, organisations, principals
// and app passwords. Part 2 (content: collections, items, blobs, usage, change log) is in
// metadata_store_content_conformance_test.cc.
#include <thread>
#include <vector>

#include "metadata_store_conformance.h"
#include "storage/sqlite/sqlite_metadata_store.h"

namespace regie::storage::testing {
namespace {

MetadataBackend SqliteBackend() {
  return {"Sqlite", [](const std::filesystem::path& scratch) -> std::unique_ptr<MetadataStore> {
            auto store = sqlite::OpenSqliteMetadataStore(scratch / "regie.db");
            if (!store) {
              ADD_FAILURE() << "open sqlite: " << store.error().message;
              return nullptr;
            }
            return std::move(*store);
          }};
}

}  // namespace

// PostgreSQL joins here (configured by REGIE_TEST_PG_DSN), returning nullptr when unset.
std::vector<MetadataBackend> MetadataBackends() { return {SqliteBackend()}; }

namespace {

using model::Role;

// --- Transactions

TEST_P(MetadataStoreConformance, TxnDestroyedWithoutCommitRollsBack) {
  {
    auto txn = Write();
    MUST(txn->CreateOrg({.name = "acme"}));
  }
  EXPECT_TRUE(FailsWith(Read()->FindOrg("acme"), Errc::kNotFound));
  AddOrg("acme");  // The name is free: nothing of the first attempt survived.
}

TEST_P(MetadataStoreConformance, ReadTxnRejectsWrites) {
  auto txn = Read();
  EXPECT_TRUE(FailsWith(txn->CreateOrg({.name = "acme"}), Errc::kInternal));
  EXPECT_TRUE(FailsWith(txn->FindOrg("acme"), Errc::kNotFound));
}

TEST_P(MetadataStoreConformance, TxnRejectsCallsAfterCommit) {
  auto txn = Write();
  MUST(txn->CreateOrg({.name = "acme"}));
  MUST(txn->Commit());
  EXPECT_TRUE(FailsWith(txn->FindOrg("acme"), Errc::kInternal));
  EXPECT_TRUE(FailsWith(txn->Commit(), Errc::kInternal));
}

TEST_P(MetadataStoreConformance, ReadTxnKeepsItsSnapshot) {
  auto reader = Read();
  EXPECT_TRUE(FailsWith(reader->FindOrg("acme"), Errc::kNotFound));
  AddOrg("acme");
  EXPECT_TRUE(FailsWith(reader->FindOrg("acme"), Errc::kNotFound));
  EXPECT_EQ(MUST(Read()->FindOrg("acme")).name, "acme");
}

TEST_P(MetadataStoreConformance, SecondStoreOnSameDataSeesCommittedWrites) {
  auto second = Reopen();
  ASSERT_TRUE(second);
  const auto org = AddOrg("acme");
  EXPECT_EQ(MUST(MUST(second->Begin(TxnMode::kRead))->GetOrg(org.id)).name, "acme");
  {
    auto txn = MUST(second->Begin(TxnMode::kWrite));
    MUST(txn->CreatePrincipal({.org = org.id, .login = "alice"}));
    MUST(txn->Commit());
  }
  EXPECT_EQ(MUST(Read()->FindPrincipal("alice")).org, org.id);
}

TEST_P(MetadataStoreConformance, ChangeStampMovesWithEveryCommitOfAnyStore) {
  auto second = Reopen();
  ASSERT_TRUE(second);
  const auto before = store_->ChangeStamp();
  {
    auto reader = Read();
    EXPECT_TRUE(FailsWith(reader->FindOrg("acme"), Errc::kNotFound));
    MUST(reader->Commit());
  }
  {
    auto abandoned = Write();
    MUST(abandoned->CreateOrg({.name = "never"}));
  }
  EXPECT_EQ(store_->ChangeStamp(), before) << "reads and rollbacks change nothing";

  const auto org = AddOrg("acme");
  const auto after_own = store_->ChangeStamp();
  EXPECT_NE(after_own, before);
  EXPECT_EQ(second->ChangeStamp(), after_own) << "another store (process) sees the same stamp";

  {
    auto txn = MUST(second->Begin(TxnMode::kWrite));
    MUST(txn->CreatePrincipal({.org = org.id, .login = "alice"}));
    MUST(txn->Commit());
  }
  EXPECT_NE(store_->ChangeStamp(), after_own) << "a commit by another store moves it here";
}

TEST_P(MetadataStoreConformance, WriterWaitsForWriterOfAnotherStore) {
  auto second = Reopen();
  ASSERT_TRUE(second);
  auto first_txn = Write();
  MUST(first_txn->CreateOrg({.name = "first"}));
  // The second writer blocks on the lock until the first commits; it must not fail with busy.
  Result<void> second_done = Ok();
  std::thread other([&] {
    auto txn = second->Begin(TxnMode::kWrite);
    if (!txn) {
      second_done = Fail(txn.error());
      return;
    }
    if (auto org = (*txn)->CreateOrg({.name = "second"}); !org) {
      second_done = Fail(org.error());
      return;
    }
    second_done = (*txn)->Commit();
  });
  MUST(first_txn->Commit());
  other.join();
  MUST(std::move(second_done));
  EXPECT_EQ(MUST(Read()->ListOrgs()).size(), 2u);
}

TEST_P(MetadataStoreConformance, ConcurrentWritersAllSucceed) {
  const auto user = AddUser(AddOrg("acme").id, "alice");
  const auto root = AddRoot(user);
  constexpr int kThreads = 6;
  constexpr int kWritesPerThread = 8;
  constexpr std::size_t kWrites = std::size_t{kThreads} * kWritesPerThread;
  std::vector<std::string> errors(kThreads);
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kWritesPerThread && errors[t].empty(); ++i) {
        const std::string name = std::to_string(t) + "-" + std::to_string(i);
        auto txn = store_->Begin(TxnMode::kWrite);
        auto put = txn ? (*txn)->PutItem({.org = root.org,
                                          .collection = root.id,
                                          .name = name,
                                          .blob = HashOf(name),
                                          .size = name.size()})
                       : Result<PutItemOutcome>(Fail(txn.error()));
        auto done = put ? (*txn)->Commit() : Result<void>(Fail(put.error()));
        if (!done) errors[t] = done.error().message;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (const auto& error : errors) EXPECT_EQ(error, "");
  auto txn = Read();
  EXPECT_EQ(MUST(txn->CurrentSeq(root.id)), kWrites);
  EXPECT_EQ(MUST(txn->ChangesSince(root.id, 0, 1000)).size(), kWrites);
  EXPECT_EQ(MUST(txn->FindItem(root.org, root.id, "5-7")).size, 3u);
}

TEST_P(MetadataStoreConformance, ReopeningIsIdempotentAndKeepsData) {
  const auto org = AddOrg("acme", {"acme.example"});
  store_.reset();
  for (int i = 0; i < 2; ++i) {
    store_ = Reopen();
    ASSERT_TRUE(store_);
    EXPECT_EQ(MUST(Read()->GetOrg(org.id)).domains, std::vector<std::string>{"acme.example"});
  }
  AddOrg("second");  // The reopened schema takes writes.
}

// --- Organisations

TEST_P(MetadataStoreConformance, OrgRoundTripsAndNamesAreUnique) {
  const auto org = AddOrg("acme", {"b.example", "a.example", "a.example"});
  EXPECT_TRUE(org.id.valid());
  EXPECT_EQ(org.domains, (std::vector<std::string>{"a.example", "b.example"}));
  auto txn = Write();
  const auto found = MUST(txn->FindOrg("acme"));
  EXPECT_EQ(found.id, org.id);
  EXPECT_EQ(found.domains, org.domains);
  EXPECT_EQ(found.created, org.created);
  EXPECT_EQ(MUST(txn->GetOrg(org.id)).name, "acme");
  EXPECT_TRUE(FailsWith(txn->CreateOrg({.name = "acme"}), Errc::kAlreadyExists));
  EXPECT_TRUE(FailsWith(txn->GetOrg(model::OrgId{org.id.value + 100}), Errc::kNotFound));
}

TEST_P(MetadataStoreConformance, DomainBelongsToOneOrg) {
  AddOrg("acme", {"acme.example"});
  auto txn = Write();
  EXPECT_TRUE(FailsWith(txn->CreateOrg({.name = "other", .domains = {"acme.example"}}),
                        Errc::kAlreadyExists));
}

TEST_P(MetadataStoreConformance, InvalidOrgNameIsRejected) {
  auto txn = Write();
  for (const char* name : {"", "Acme", "../x", "a/b", "-a"}) {
    EXPECT_TRUE(FailsWith(txn->CreateOrg({.name = name}), Errc::kInvalidInput)) << name;
  }
}

TEST_P(MetadataStoreConformance, ListOrgsIsOrderedByName) {
  AddOrg("zeta");
  AddOrg("alpha");
  const auto orgs = MUST(Read()->ListOrgs());
  ASSERT_EQ(orgs.size(), 2u);
  EXPECT_EQ(orgs[0].name, "alpha");
  EXPECT_EQ(orgs[1].name, "zeta");
}

TEST_P(MetadataStoreConformance, UpdateOrgWritesQuotaDisabledAndDomains) {
  auto org = AddOrg("acme", {"old.example"});
  org.quota = 1 << 20;
  org.disabled = true;
  org.domains = {"new.example"};
  {
    auto txn = Write();
    MUST(txn->UpdateOrg(org));
    MUST(txn->Commit());
  }
  const auto got = MUST(Read()->GetOrg(org.id));
  EXPECT_EQ(got.quota, 1u << 20);
  EXPECT_TRUE(got.disabled);
  EXPECT_EQ(got.domains, std::vector<std::string>{"new.example"});
  AddOrg("other", {"old.example"});  // The dropped domain is free again.
  org.id = model::OrgId{org.id.value + 100};
  EXPECT_TRUE(FailsWith(Write()->UpdateOrg(org), Errc::kNotFound));
}

// --- Principals

TEST_P(MetadataStoreConformance, PrincipalRoundTripsEveryField) {
  const auto org = AddOrg("acme");
  auto txn = Write();
  const auto created = MUST(txn->CreatePrincipal({.org = org.id,
                                                  .kind = model::PrincipalKind::kResource,
                                                  .login = "room-1",
                                                  .display_name = "Room 1",
                                                  .email = "room-1@acme.example",
                                                  .role = Role::kOrgAdmin,
                                                  .password_hash = "$argon2id$x",
                                                  .quota = 42}));
  MUST(txn->Commit());
  const auto found = MUST(Read()->FindPrincipal("room-1"));
  EXPECT_EQ(found.id, created.id);
  EXPECT_EQ(found.org, org.id);
  EXPECT_EQ(found.kind, model::PrincipalKind::kResource);
  EXPECT_EQ(found.display_name, "Room 1");
  EXPECT_EQ(found.email, "room-1@acme.example");
  EXPECT_EQ(found.role, Role::kOrgAdmin);
  EXPECT_EQ(found.password_hash, "$argon2id$x");
  EXPECT_EQ(found.credential_version, 0);
  EXPECT_EQ(found.quota, 42u);
  EXPECT_FALSE(found.disabled);
  EXPECT_EQ(found.created, created.created);
}

TEST_P(MetadataStoreConformance, LoginIsUniqueAcrossOrgs) {
  AddUser(AddOrg("acme").id, "alice");
  const auto other = AddOrg("other");
  auto txn = Write();
  EXPECT_TRUE(
      FailsWith(txn->CreatePrincipal({.org = other.id, .login = "alice"}), Errc::kAlreadyExists));
  EXPECT_TRUE(
      FailsWith(txn->CreatePrincipal({.org = model::OrgId{999}, .login = "bob"}), Errc::kNotFound));
  EXPECT_TRUE(
      FailsWith(txn->CreatePrincipal({.org = other.id, .login = "a/b"}), Errc::kInvalidInput));
}

TEST_P(MetadataStoreConformance, UpdatePrincipalWritesMutableFields) {
  auto user = AddUser(AddOrg("acme").id, "alice");
  user.display_name = "Alice A.";
  user.email = "alice@acme.example";
  user.role = Role::kOperator;
  user.password_hash = "$argon2id$new";
  user.credential_version = 7;
  user.quota = 1000;
  user.disabled = true;
  {
    auto txn = Write();
    MUST(txn->UpdatePrincipal(user));
    MUST(txn->Commit());
  }
  const auto got = MUST(Read()->GetPrincipal(user.id));
  EXPECT_EQ(got.display_name, "Alice A.");
  EXPECT_EQ(got.email, "alice@acme.example");
  EXPECT_EQ(got.role, Role::kOperator);
  EXPECT_EQ(got.password_hash, "$argon2id$new");
  EXPECT_EQ(got.credential_version, 7);
  EXPECT_EQ(got.quota, 1000u);
  EXPECT_TRUE(got.disabled);
  user.id = model::PrincipalId{user.id.value + 100};
  EXPECT_TRUE(FailsWith(Write()->UpdatePrincipal(user), Errc::kNotFound));
}

TEST_P(MetadataStoreConformance, ListPrincipalsIsOrderedAndFiltersByOrg) {
  const auto acme = AddOrg("acme");
  const auto other = AddOrg("other");
  AddUser(acme.id, "carol");
  AddUser(other.id, "bob");
  AddUser(acme.id, "alice");
  auto txn = Read();
  std::vector<std::string> all;
  for (const auto& p : MUST(txn->ListPrincipals(std::nullopt))) all.push_back(p.login);
  EXPECT_EQ(all, (std::vector<std::string>{"alice", "bob", "carol"}));
  std::vector<std::string> of_acme;
  for (const auto& p : MUST(txn->ListPrincipals(acme.id))) of_acme.push_back(p.login);
  EXPECT_EQ(of_acme, (std::vector<std::string>{"alice", "carol"}));
  EXPECT_EQ(MUST(txn->CountPrincipals()), 3u);
}

TEST_P(MetadataStoreConformance, SystemPrincipalsTakeOnlyReservedLogins) {
  const auto acme = AddOrg("acme");
  auto txn = Write();
  EXPECT_TRUE(FailsWith(txn->CreatePrincipal({.org = acme.id, .login = "#directory.acme"}),
                        Errc::kInvalidInput));
  EXPECT_TRUE(
      FailsWith(txn->CreatePrincipal(
                    {.org = acme.id, .kind = model::PrincipalKind::kSystem, .login = "directory"}),
                Errc::kInvalidInput));
  const auto system = MUST(txn->CreatePrincipal(
      {.org = acme.id, .kind = model::PrincipalKind::kSystem, .login = "#directory.acme"}));
  MUST(txn->Commit());
  EXPECT_EQ(MUST(Read()->FindPrincipal("#directory.acme")).kind, model::PrincipalKind::kSystem);
  EXPECT_EQ(MUST(Read()->GetPrincipal(system.id)).login, "#directory.acme");
}

// --- Groups

TEST_P(MetadataStoreConformance, GroupMembersAreUsersOfTheGroupsOrg) {
  const auto acme = AddOrg("acme");
  const auto other = AddOrg("other");
  const auto staff = AddUser(acme.id, "staff", model::PrincipalKind::kGroup);
  const auto press = AddUser(acme.id, "press", model::PrincipalKind::kGroup);
  const auto carol = AddUser(acme.id, "carol");
  const auto alice = AddUser(acme.id, "alice");
  const auto eve = AddUser(other.id, "eve");
  {
    auto txn = Write();
    MUST(txn->AddGroupMember(acme.id, staff.id, carol.id));
    MUST(txn->AddGroupMember(acme.id, staff.id, alice.id));
    MUST(txn->AddGroupMember(acme.id, staff.id, alice.id));  // Twice is once.
    MUST(txn->AddGroupMember(acme.id, press.id, alice.id));
    // Another org's user, a group in a group, a user as a group, a group of another org.
    EXPECT_TRUE(FailsWith(txn->AddGroupMember(acme.id, staff.id, eve.id), Errc::kNotFound));
    EXPECT_TRUE(FailsWith(txn->AddGroupMember(acme.id, staff.id, press.id), Errc::kInvalidInput));
    EXPECT_TRUE(FailsWith(txn->AddGroupMember(acme.id, carol.id, alice.id), Errc::kNotFound));
    EXPECT_TRUE(FailsWith(txn->AddGroupMember(other.id, staff.id, eve.id), Errc::kNotFound));
    MUST(txn->Commit());
  }
  auto logins = [](const std::vector<model::Principal>& principals) {
    std::vector<std::string> out;
    for (const auto& p : principals) out.push_back(p.login);
    return out;
  };
  EXPECT_EQ(logins(MUST(Read()->ListGroupMembers(acme.id, staff.id))),
            (std::vector<std::string>{"alice", "carol"}));
  EXPECT_EQ(logins(MUST(Read()->ListGroupMembers(acme.id, press.id))),
            std::vector<std::string>{"alice"});
  EXPECT_TRUE(MUST(Read()->ListGroupMembers(other.id, staff.id)).empty());
  {
    auto txn = Write();
    EXPECT_FALSE(MUST(txn->RemoveGroupMember(other.id, staff.id, carol.id)));
    EXPECT_TRUE(MUST(txn->RemoveGroupMember(acme.id, staff.id, carol.id)));
    MUST(txn->DeletePrincipal(alice.id));  // Deleting a member ends its memberships.
    MUST(txn->Commit());
  }
  EXPECT_TRUE(MUST(Read()->ListGroupMembers(acme.id, staff.id)).empty());
  EXPECT_TRUE(MUST(Read()->ListGroupMembers(acme.id, press.id)).empty());
}

// --- App passwords

TEST_P(MetadataStoreConformance, AppPasswordsAddListRevoke) {
  const auto org = AddOrg("acme");
  const auto alice = AddUser(org.id, "alice");
  const auto bob = AddUser(org.id, "bob");
  const std::vector<std::uint8_t> digest(32, 0xab);
  {
    auto txn = Write();
    MUST(txn->AddAppPassword(alice.id, "phone", digest));
    MUST(txn->AddAppPassword(alice.id, "laptop", {1, 2, 3}));
    MUST(txn->AddAppPassword(bob.id, "phone", digest));  // Labels are per principal.
    EXPECT_TRUE(FailsWith(txn->AddAppPassword(alice.id, "phone", digest), Errc::kAlreadyExists));
    EXPECT_TRUE(
        FailsWith(txn->AddAppPassword(model::PrincipalId{999}, "x", digest), Errc::kNotFound));
    MUST(txn->Commit());
  }
  auto listed = MUST(Read()->ListAppPasswords(alice.id));
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].label, "laptop");
  EXPECT_EQ(listed[0].digest, (std::vector<std::uint8_t>{1, 2, 3}));
  EXPECT_EQ(listed[1].label, "phone");
  EXPECT_EQ(listed[1].digest, digest);
  EXPECT_EQ(listed[1].principal, alice.id);
  {
    auto txn = Write();
    MUST(txn->RevokeAppPassword(alice.id, "phone"));
    EXPECT_TRUE(FailsWith(txn->RevokeAppPassword(alice.id, "phone"), Errc::kNotFound));
    MUST(txn->Commit());
  }
  listed = MUST(Read()->ListAppPasswords(alice.id));
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].label, "laptop");
  EXPECT_EQ(MUST(Read()->ListAppPasswords(bob.id)).size(), 1u);
}

// --- Browser sessions

model::Session SessionFor(model::PrincipalId principal, std::uint8_t tag, std::int64_t created) {
  return model::Session{
      .digest = std::vector<std::uint8_t>(32, tag),
      .principal = principal,
      .csrf = "csrf-" + std::to_string(tag),
      .created = created,
      .last_seen = created,
      .password_digest = {tag, 1},
  };
}

TEST_P(MetadataStoreConformance, SessionsAreFoundByDigestUpdatedAndEnded) {
  const auto org = AddOrg("acme");
  const auto alice = AddUser(org.id, "alice");
  const auto bob = AddUser(org.id, "bob");
  {
    auto txn = Write();
    MUST(txn->CreateSession(SessionFor(alice.id, 1, 100)));
    MUST(txn->CreateSession(SessionFor(alice.id, 2, 100)));
    MUST(txn->CreateSession(SessionFor(alice.id, 3, 100)));
    MUST(txn->CreateSession(SessionFor(bob.id, 4, 100)));
    EXPECT_TRUE(FailsWith(txn->CreateSession(SessionFor(bob.id, 4, 100)), Errc::kAlreadyExists));
    EXPECT_TRUE(FailsWith(txn->CreateSession(SessionFor(model::PrincipalId{999}, 5, 100)),
                          Errc::kNotFound));
    MUST(txn->Commit());
  }
  auto found = MUST(Read()->FindSession(std::vector<std::uint8_t>(32, 2)));
  EXPECT_EQ(found.principal, alice.id);
  EXPECT_EQ(found.csrf, "csrf-2");
  EXPECT_EQ(found.password_digest, (std::vector<std::uint8_t>{2, 1}));
  EXPECT_TRUE(FailsWith(Read()->FindSession(std::vector<std::uint8_t>(32, 9)), Errc::kNotFound));
  {
    auto txn = Write();
    found.last_seen = 150;
    found.password_digest = {7, 7};
    MUST(txn->UpdateSession(found));
    // Ends alice's other sessions, keeps session 2 and bob's.
    EXPECT_EQ(MUST(txn->DeleteSessionsOf(alice.id, found.digest)), 2u);
    MUST(txn->Commit());
  }
  found = MUST(Read()->FindSession(found.digest));
  EXPECT_EQ(found.last_seen, 150);
  EXPECT_EQ(found.password_digest, (std::vector<std::uint8_t>{7, 7}));
  EXPECT_TRUE(FailsWith(Read()->FindSession(std::vector<std::uint8_t>(32, 1)), Errc::kNotFound));
  {
    auto txn = Write();
    // Idle since before 120: bob's (last seen at 100) goes, alice's (150) stays.
    EXPECT_EQ(MUST(txn->DeleteExpiredSessions(120, 0)), 1u);
    // Created before 101: alice's goes too.
    EXPECT_EQ(MUST(txn->DeleteExpiredSessions(0, 101)), 1u);
    MUST(txn->DeleteSession(found.digest));  // Idempotent: already gone.
    EXPECT_TRUE(FailsWith(txn->UpdateSession(found), Errc::kNotFound));
    MUST(txn->Commit());
  }
  EXPECT_TRUE(FailsWith(Read()->FindSession(found.digest), Errc::kNotFound));
}

INSTANTIATE_TEST_SUITE_P(AllBackends, MetadataStoreConformance,
                         ::testing::ValuesIn(MetadataBackends()),
                         [](const auto& param_info) { return param_info.param.name; });

}  // namespace
}  // namespace regie::storage::testing
