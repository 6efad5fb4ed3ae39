#include "service/groupware_service.h"

#include <gtest/gtest.h>

#include "base/counters.h"
#include "service_test_env.h"

namespace regie::service {
namespace {

using model::CollectionKind;

std::string Event(const std::string& uid, const std::string& start, const std::string& end,
                  const std::string& extra = "") {
  return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:" + uid +
         "\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:" + start + "\r\nDTEND:" + end +
         "\r\nSUMMARY:x\r\n" + extra + "END:VEVENT\r\nEND:VCALENDAR\r\n";
}

std::string Card(const std::string& uid, const std::string& fn) {
  return "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:" + uid + "\r\nFN:" + fn + "\r\nEND:VCARD\r\n";
}

formats::ical::CompFilter Range(std::int64_t start, std::int64_t end) {
  formats::ical::CompFilter event;
  event.name = "VEVENT";
  event.time_range = formats::ical::TimeRange{start, end};
  formats::ical::CompFilter root;
  root.name = "VCALENDAR";
  root.comps.push_back(event);
  return root;
}

class GroupwareServiceTest : public ServiceTestEnv {
 protected:
  void SetUp() override {
    ServiceTestEnv::SetUp();
    groupware_ = std::make_shared<GroupwareService>(store_, keeper_, auth_, GroupwareLimits{});
    bob_ = *auth_->Verify("bob", "bob-password-1", "127.0.0.1");
  }

  GroupwareTarget At(CollectionKind kind, std::vector<std::string> path) {
    auto target = groupware_->Resolve(bob_, kind, "bob", path);
    EXPECT_TRUE(target) << target.error().message;
    return *target;
  }

  Result<WriteOutcome> Put(CollectionKind kind, const std::string& collection,
                           const std::string& name, const std::string& body) {
    return groupware_->PutObject(At(kind, {collection, name}), body, "", {});
  }

  std::shared_ptr<GroupwareService> groupware_;
  Caller bob_;
};

TEST_F(GroupwareServiceTest, HomesAreMadeOnFirstUseWithADefaultCollection) {
  const auto home = At(CollectionKind::kCalendar, {});
  auto members = groupware_->List(home, home.home.id, "", 10);
  ASSERT_TRUE(members);
  ASSERT_EQ(members->size(), 1U);
  EXPECT_EQ(std::get<model::Collection>(members->front()).name, "personal");
  EXPECT_TRUE(At(CollectionKind::kAddressBook, {"contacts"}).collection);
}

TEST_F(GroupwareServiceTest, OtherUsersHomesAreNotFound) {
  auto target = groupware_->Resolve(bob_, CollectionKind::kCalendar, "admin", {});
  ASSERT_FALSE(target);
  EXPECT_EQ(target.error().code, Errc::kNotFound);
}

TEST_F(GroupwareServiceTest, UidsAreUniquePerCollection) {
  ASSERT_TRUE(Put(CollectionKind::kAddressBook, "contacts", "a.vcf", Card("u1", "Anna")));
  auto clash = Put(CollectionKind::kAddressBook, "contacts", "b.vcf", Card("u1", "Anna B"));
  ASSERT_FALSE(clash);
  EXPECT_EQ(clash.error().condition.name, "no-uid-conflict");
  EXPECT_EQ(clash.error().condition_href, "a.vcf");
  auto changed = Put(CollectionKind::kAddressBook, "contacts", "a.vcf", Card("u2", "Anna"));
  ASSERT_FALSE(changed);
  EXPECT_EQ(changed.error().condition.name, "no-uid-conflict");
}

TEST_F(GroupwareServiceTest, PlainTimeRangeQueriesAreAnsweredByTheIndex) {
  for (int day = 1; day <= 9; ++day) {
    const std::string d = "2026030" + std::to_string(day);
    ASSERT_TRUE(Put(CollectionKind::kCalendar, "personal", d + ".ics",
                    Event(d, d + "T100000Z", d + "T110000Z")));
  }
  const auto before = GlobalParseCounters().calendar_objects.load();
  // 2026-03-04T00:00Z .. 2026-03-06T00:00Z
  auto hits = groupware_->QueryCalendar(At(CollectionKind::kCalendar, {"personal"}),
                                        {.filter = Range(1772582400, 1772755200)});
  ASSERT_TRUE(hits);
  ASSERT_EQ(hits->size(), 2U);
  EXPECT_EQ(hits->at(0).item.name, "20260304.ics");
  EXPECT_NE(hits->at(0).text.find("UID:20260304"), std::string::npos);
  EXPECT_EQ(GlobalParseCounters().calendar_objects.load(), before);
}

TEST_F(GroupwareServiceTest, AnInitialSyncListsTheMembersAsTheyAre) {
  ASSERT_TRUE(Put(CollectionKind::kCalendar, "personal", "a.ics",
                  Event("a", "20260301T100000Z", "20260301T110000Z")));
  ASSERT_TRUE(Put(CollectionKind::kCalendar, "personal", "b.ics",
                  Event("b", "20260301T100000Z", "20260301T110000Z")));
  ASSERT_TRUE(Put(CollectionKind::kCalendar, "personal", "c.ics",
                  Event("c", "20260301T100000Z", "20260301T110000Z")));
  ASSERT_TRUE(groupware_->Delete(At(CollectionKind::kCalendar, {"personal", "b.ics"}), {}));
  const auto target = At(CollectionKind::kCalendar, {"personal"});
  auto initial = groupware_->ChangesSince(target, 0, 100);
  ASSERT_TRUE(initial);
  ASSERT_EQ(initial->changes.size(), 2U);  // The deleted b.ics is not mentioned.
  EXPECT_EQ(initial->changes[0].name, "a.ics");
  EXPECT_EQ(initial->changes[1].name, "c.ics");
  EXPECT_EQ(initial->seq, *groupware_->CurrentSeq(target, *target.collection));
  // Over the limit the log answers, truncated, with a position to resume from.
  auto truncated = groupware_->ChangesSince(target, 0, 1);
  ASSERT_TRUE(truncated);
  EXPECT_TRUE(truncated->truncated);
}

TEST_F(GroupwareServiceTest, ChangesSinceReportsTheLatestStatePerName) {
  ASSERT_TRUE(Put(CollectionKind::kCalendar, "personal", "seed.ics",
                  Event("seed", "20260301T100000Z", "20260301T110000Z")));
  const auto start = At(CollectionKind::kCalendar, {"personal"});
  auto seq = groupware_->CurrentSeq(start, *start.collection);
  ASSERT_TRUE(seq);
  ASSERT_TRUE(Put(CollectionKind::kCalendar, "personal", "a.ics",
                  Event("a", "20260301T100000Z", "20260301T110000Z")));
  ASSERT_TRUE(Put(CollectionKind::kCalendar, "personal", "b.ics",
                  Event("b", "20260301T100000Z", "20260301T110000Z")));
  ASSERT_TRUE(groupware_->Delete(At(CollectionKind::kCalendar, {"personal", "b.ics"}), {}));
  auto changes = groupware_->ChangesSince(start, *seq, 100);
  ASSERT_TRUE(changes);
  ASSERT_EQ(changes->changes.size(), 2U);
  EXPECT_EQ(changes->changes[0].name, "a.ics");
  EXPECT_TRUE(changes->changes[0].item);
  EXPECT_EQ(changes->changes[1].name, "b.ics");
  EXPECT_FALSE(changes->changes[1].item);
  auto ahead = groupware_->ChangesSince(start, changes->seq + 5, 100);
  ASSERT_FALSE(ahead);
  EXPECT_EQ(ahead.error().condition.name, "valid-sync-token");
}

TEST_F(GroupwareServiceTest, CardQueriesHonourTheClientsLimit) {
  for (const char* name : {"a", "b", "c"}) {
    ASSERT_TRUE(Put(CollectionKind::kAddressBook, "contacts", std::string(name) + ".vcf",
                    Card(name, std::string("Person ") + name)));
  }
  auto result =
      groupware_->QueryCards(At(CollectionKind::kAddressBook, {"contacts"}), {.limit = 2});
  ASSERT_TRUE(result);
  EXPECT_EQ(result->objects.size(), 2U);
  EXPECT_TRUE(result->truncated);
}

TEST_F(GroupwareServiceTest, DeletingACollectionReleasesItsObjects) {
  ASSERT_TRUE(groupware_->MakeCollection(At(CollectionKind::kCalendar, {"work"}), {}));
  ASSERT_TRUE(Put(CollectionKind::kCalendar, "work", "a.ics",
                  Event("a", "20260301T100000Z", "20260301T110000Z")));
  ASSERT_TRUE(groupware_->Delete(At(CollectionKind::kCalendar, {"work"}), {}));
  EXPECT_FALSE(At(CollectionKind::kCalendar, {"work"}).collection);
  auto home = groupware_->Delete(At(CollectionKind::kCalendar, {}), {});
  ASSERT_FALSE(home);
  EXPECT_EQ(home.error().code, Errc::kForbidden);
}

std::vector<std::string> ObjectNames(GroupwareService& groupware, const GroupwareTarget& target) {
  std::vector<std::string> names;
  auto members = groupware.List(target, target.collection->id, "", 100);
  EXPECT_TRUE(members);
  if (!members) return names;
  for (const auto& member : *members) {
    if (const auto* item = std::get_if<model::Item>(&member)) names.push_back(item->name);
  }
  return names;
}

TEST_F(GroupwareServiceTest, TheDirectoryListsTheOrganisationsEnabledUsersReadOnly) {
  ASSERT_TRUE(accounts_->AddOrg("other", {}, 0));
  ASSERT_TRUE(accounts_->AddUser({.login = "eve", .org = "other", .password = "eve-password-1"}));
  ASSERT_TRUE(accounts_->AddUser({.login = "carol",
                                  .org = "default",
                                  .email = "carol@museum.example",
                                  .password = "carol-password-1",
                                  .display_name = "Carol Zoë Dupont"}));
  auto directory = At(CollectionKind::kAddressBook, {"directory"});
  ASSERT_TRUE(directory.collection);
  EXPECT_EQ(directory.access, model::ShareAccess::kRead);
  EXPECT_EQ(ObjectNames(*groupware_, directory),
            (std::vector<std::string>{"admin.vcf", "bob.vcf", "carol.vcf"}));
  auto carol = groupware_->ReadObject(At(CollectionKind::kAddressBook, {"directory", "carol.vcf"}));
  ASSERT_TRUE(carol);
  EXPECT_NE(carol->find("FN:Carol Zoë Dupont\r\n"), std::string::npos) << *carol;
  EXPECT_NE(carol->find("EMAIL;TYPE=INTERNET,WORK:carol@museum.example\r\n"), std::string::npos);
  formats::vcard::CardFilter by_name;
  formats::vcard::PropFilter fn;
  fn.name = "FN";
  fn.text_matches.push_back({.text = "zoë"});
  by_name.props.push_back(fn);
  auto found = groupware_->QueryCards(directory, {.filter = by_name});
  ASSERT_TRUE(found);
  ASSERT_EQ(found->objects.size(), 1U);
  EXPECT_EQ(found->objects[0].item.name, "carol.vcf");

  // The home lists it; nobody writes, renames or removes it.
  auto home = At(CollectionKind::kAddressBook, {});
  auto entries = groupware_->SharedWith(home);
  ASSERT_TRUE(entries);
  ASSERT_EQ(entries->size(), 1U);
  EXPECT_EQ((*entries)[0].segment, "directory");
  EXPECT_EQ(Put(CollectionKind::kAddressBook, "directory", "x.vcf", Card("x", "X")).error().code,
            Errc::kForbidden);
  EXPECT_EQ(groupware_->Delete(directory, {}).error().code, Errc::kForbidden);
  EXPECT_EQ(groupware_->Delete(At(CollectionKind::kAddressBook, {"directory", "bob.vcf"}), {})
                .error()
                .code,
            Errc::kForbidden);
  EXPECT_FALSE(groupware_->PatchProperties(directory, {}));
  EXPECT_EQ(groupware_->Share(directory, "carol", model::ShareAccess::kRead).error().code,
            Errc::kForbidden);

  // Account changes reach it at once, and sync clients learn of them.
  auto seq = groupware_->CurrentSeq(directory, *directory.collection);
  ASSERT_TRUE(seq);
  ASSERT_TRUE(accounts_->DisableUser("carol"));
  ASSERT_TRUE(accounts_->DeleteUser("admin"));
  EXPECT_EQ(ObjectNames(*groupware_, At(CollectionKind::kAddressBook, {"directory"})),
            std::vector<std::string>{"bob.vcf"});
  auto changes = groupware_->ChangesSince(directory, *seq, 100);
  ASSERT_TRUE(changes);
  ASSERT_EQ(changes->changes.size(), 2U);  // In log order, both gone.
  EXPECT_EQ(changes->changes[0].name, "carol.vcf");
  EXPECT_EQ(changes->changes[1].name, "admin.vcf");
  EXPECT_FALSE(changes->changes[0].item);
  EXPECT_FALSE(changes->changes[1].item);
  // A password change rewrites nothing.
  auto before = groupware_->CurrentSeq(directory, *directory.collection);
  ASSERT_TRUE(accounts_->SetPassword("bob", std::string("bob-password-2")));
  EXPECT_EQ(*groupware_->CurrentSeq(directory, *directory.collection), *before);
}

TEST_F(GroupwareServiceTest, ADirectoryIsMadeOnFirstUseWhereItIsMissing) {
  // As in a data directory from before the directory existed: remove it behind the service.
  {
    auto txn = *store_->Begin(storage::TxnMode::kWrite);
    auto system = txn->FindPrincipal("#directory.default");
    ASSERT_TRUE(system);
    ASSERT_TRUE(txn->DeletePrincipal(system->id));
    ASSERT_TRUE(txn->Commit());
  }
  auto entries = groupware_->SharedWith(At(CollectionKind::kAddressBook, {}));
  ASSERT_TRUE(entries);
  ASSERT_EQ(entries->size(), 1U);
  EXPECT_EQ(ObjectNames(*groupware_, At(CollectionKind::kAddressBook, {"directory"})),
            (std::vector<std::string>{"admin.vcf", "bob.vcf"}));
  auto own = groupware_->MakeCollection(At(CollectionKind::kAddressBook, {"directory"}), {});
  ASSERT_FALSE(own);
  EXPECT_EQ(own.error().code, Errc::kMethodNotAllowed);
}

TEST_F(GroupwareServiceTest, AShareWithAGroupReachesItsMembersWhileTheyBelong) {
  ASSERT_TRUE(accounts_->AddUser(
      {.login = "carol", .org = "default", .password = std::string("carol-password-1")}));
  ASSERT_TRUE(accounts_->AddGroup("press", "default", "Press office"));
  ASSERT_TRUE(accounts_->AddGroupMember("press", "carol"));
  ASSERT_TRUE(groupware_->Share(At(CollectionKind::kCalendar, {"personal"}),
                                "principal:principals/groups/press",
                                model::ShareAccess::kReadWrite));
  auto shares = groupware_->Shares(At(CollectionKind::kCalendar, {"personal"}));
  ASSERT_TRUE(shares);
  ASSERT_EQ(shares->size(), 1U);
  EXPECT_EQ((*shares)[0].login, "press");
  EXPECT_TRUE((*shares)[0].group);

  const Caller carol = *auth_->Verify("carol", "carol-password-1", "127.0.0.1");
  auto home = groupware_->Resolve(carol, CollectionKind::kCalendar, "carol", {});
  ASSERT_TRUE(home);
  auto entries = groupware_->SharedWith(*home);
  ASSERT_TRUE(entries);
  ASSERT_EQ(entries->size(), 1U);
  EXPECT_EQ((*entries)[0].segment, "personal_shared_by_bob");
  auto event = groupware_->Resolve(carol, CollectionKind::kCalendar, "carol",
                                   {"personal_shared_by_bob", "e.ics"});
  ASSERT_TRUE(event);
  ASSERT_TRUE(
      groupware_->PutObject(*event, Event("e", "20260301T100000Z", "20260301T110000Z"), "", {}));
  // A member cannot leave a group's share on their own; the group can.
  auto shared =
      groupware_->Resolve(carol, CollectionKind::kCalendar, "carol", {"personal_shared_by_bob"});
  ASSERT_TRUE(shared);
  EXPECT_EQ(groupware_->Delete(*shared, {}).error().code, Errc::kForbidden);
  ASSERT_TRUE(accounts_->RemoveGroupMember("press", "carol"));
  shared =
      groupware_->Resolve(carol, CollectionKind::kCalendar, "carol", {"personal_shared_by_bob"});
  ASSERT_TRUE(shared);
  EXPECT_FALSE(shared->collection);
  // Deleting the group ends its shares.
  ASSERT_TRUE(accounts_->DeleteGroup("press"));
  EXPECT_TRUE(groupware_->Shares(At(CollectionKind::kCalendar, {"personal"}))->empty());
}

TEST_F(GroupwareServiceTest, GroupsAndSystemPrincipalsAreNoUsers) {
  ASSERT_TRUE(accounts_->AddGroup("press", "default", ""));
  EXPECT_EQ(accounts_->AddUser({.login = "press", .org = "default"}).error().code,
            Errc::kAlreadyExists);
  EXPECT_EQ(accounts_->SetPassword("press", std::string("password-123")).error().code,
            Errc::kNotFound);
  EXPECT_EQ(accounts_->AddAppPassword("#directory.default", "phone").error().code, Errc::kNotFound);
  EXPECT_EQ(accounts_->DeleteUser("press").error().code, Errc::kNotFound);
  EXPECT_EQ(accounts_->AddGroupMember("bob", "admin").error().code, Errc::kNotFound);
  EXPECT_EQ(accounts_->AddGroupMember("press", "press").error().code, Errc::kNotFound);
  auto users = accounts_->ListUsers(std::nullopt);
  ASSERT_TRUE(users);
  std::vector<std::string> logins;
  for (const auto& user : *users) logins.push_back(user.principal.login);
  EXPECT_EQ(logins, (std::vector<std::string>{"admin", "bob"}));
  auto groups = accounts_->ListGroups(std::string("default"));
  ASSERT_TRUE(groups);
  ASSERT_EQ(groups->size(), 1U);
  EXPECT_EQ((*groups)[0].group.display_name, "press");
  EXPECT_FALSE(auth_->Verify("press", "", "127.0.0.1"));
  EXPECT_FALSE(auth_->Verify("#directory.default", "", "127.0.0.1"));
}

}  // namespace
}  // namespace regie::service
