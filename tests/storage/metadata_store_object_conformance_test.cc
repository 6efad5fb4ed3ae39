// MetadataStore conformance, part 4: calendars and address books with their own change logs,
// and the index rows of their objects (UIDs, spans, instances). Instantiated over every backend
// in metadata_store_conformance_test.cc.
#include "metadata_store_conformance.h"

namespace regie::storage::testing {
namespace {

constexpr std::int64_t kHour = 3600;
constexpr std::int64_t kDay = 24 * kHour;
constexpr std::int64_t kJan1 = 1767225600;  // 2026-01-01T00:00:00Z

class ObjectIndexTest : public MetadataStoreConformance {
 protected:
  void SetUp() override {
    MetadataStoreConformance::SetUp();
    if (!store_) return;
    alice_ = AddUser(AddOrg("acme").id, "alice");
    home_ = AddRoot(alice_, model::CollectionKind::kCalendar);
    auto txn = Write();
    calendar_ = MUST(txn->CreateCollection({.org = home_.org,
                                            .owner = alice_.id,
                                            .parent = home_.id,
                                            .kind = model::CollectionKind::kCalendar,
                                            .name = "personal",
                                            .sync_root = SyncRoot::kOwn}));
    MUST(txn->Commit());
  }

  model::Item Event(const std::string& name, model::ObjectIndex index) {
    auto item = Put(calendar_, name, "BEGIN:VCALENDAR " + name).item;
    auto txn = Write();
    MUST(txn->SetObjectIndex(item.org, item.id, index));
    MUST(txn->Commit());
    return item;
  }

  std::vector<std::string> Query(model::ObjectQuery query, bool decided_only = false) {
    auto txn = Read();
    std::vector<std::string> names;
    for (const auto& hit : MUST(txn->QueryObjects(calendar_.org, calendar_.id, query, "", 100))) {
      if (!decided_only || hit.verdict == model::IndexVerdict::kMatches) {
        names.push_back(hit.item.name);
      }
    }
    return names;
  }

  model::Principal alice_;
  model::Collection home_;
  model::Collection calendar_;
};

TEST_P(ObjectIndexTest, ACalendarKeepsItsOwnChangeLogApartFromItsHome) {
  EXPECT_EQ(calendar_.sync_root, calendar_.id);
  const auto home_seq = MUST(Read()->CurrentSeq(home_.id));
  EXPECT_EQ(home_seq, 1U);  // The calendar's creation.
  Put(calendar_, "a.ics", "a");
  Put(calendar_, "b.ics", "b");
  auto txn = Read();
  EXPECT_EQ(MUST(txn->CurrentSeq(calendar_.id)), 2U);
  EXPECT_EQ(MUST(txn->CurrentSeq(home_.id)), home_seq);
  const auto changes = MUST(txn->ChangesSince(calendar_.id, 0, 10));
  ASSERT_EQ(changes.size(), 2U);
  EXPECT_EQ(changes[1].name, "b.ics");
}

TEST_P(ObjectIndexTest, DeletingACalendarIsLoggedInItsHome) {
  Put(calendar_, "a.ics", "a");
  auto txn = Write();
  MUST(txn->DeleteCollection(calendar_.org, calendar_.id));
  MUST(txn->Commit());
  const auto changes = MUST(Read()->ChangesSince(home_.id, 0, 10));
  ASSERT_EQ(changes.size(), 2U);
  EXPECT_EQ(changes[1].name, "personal");
  EXPECT_EQ(changes[1].op, model::ChangeOp::kDeleted);
  EXPECT_EQ(changes[1].member, model::MemberKind::kCollection);
}

TEST_P(ObjectIndexTest, FindsAnObjectByUidInItsCollectionOnly) {
  Event("a.ics", {.uid = "uid-1", .component = "VEVENT"});
  auto other_txn = Write();
  auto other = MUST(other_txn->CreateCollection({.org = home_.org,
                                                 .owner = alice_.id,
                                                 .parent = home_.id,
                                                 .kind = model::CollectionKind::kCalendar,
                                                 .name = "work",
                                                 .sync_root = SyncRoot::kOwn}));
  MUST(other_txn->Commit());
  auto txn = Read();
  EXPECT_EQ(MUST(txn->FindByUid(calendar_.org, calendar_.id, "uid-1")).name, "a.ics");
  EXPECT_TRUE(FailsWith(txn->FindByUid(calendar_.org, other.id, "uid-1"), Errc::kNotFound));
  EXPECT_TRUE(FailsWith(txn->FindByUid(calendar_.org, calendar_.id, "uid-2"), Errc::kNotFound));
}

TEST_P(ObjectIndexTest, IndexRowsGoWithTheirItem) {
  Event("a.ics", {.uid = "uid-1", .component = "VEVENT"});
  auto txn = Write();
  MUST(txn->DeleteItem(calendar_.org, calendar_.id, "a.ics"));
  EXPECT_TRUE(FailsWith(txn->FindByUid(calendar_.org, calendar_.id, "uid-1"), Errc::kNotFound));
}

TEST_P(ObjectIndexTest, FixedEventsAreDecidedByTheirSpan) {
  Event("jan1.ics",
        {.uid = "1", .component = "VEVENT", .span_start = kJan1, .span_end = kJan1 + kHour});
  Event("jan3.ics", {.uid = "3",
                     .component = "VEVENT",
                     .span_start = kJan1 + 2 * kDay,
                     .span_end = kJan1 + 2 * kDay + kHour});
  Event("zero.ics",
        {.uid = "z", .component = "VEVENT", .span_start = kJan1 + kDay, .span_end = kJan1 + kDay});
  EXPECT_EQ(Query({.start = kJan1, .end = kJan1 + kDay}, true),
            (std::vector<std::string>{"jan1.ics"}));
  // A zero-length event at the range start is inside; one at the range end is not (§9.9).
  EXPECT_EQ(Query({.start = kJan1 + kDay, .end = kJan1 + 2 * kDay}, true),
            (std::vector<std::string>{"zero.ics"}));
  EXPECT_EQ(Query({.start = kJan1 + kHour, .end = kJan1 + kDay}, true),
            (std::vector<std::string>{}));
  EXPECT_EQ(Query({}).size(), 3U);
}

TEST_P(ObjectIndexTest, RecurringEventsAreDecidedByInstancesWithinTheHorizon) {
  // Weekly from Jan 1, indexed for four weeks, no end.
  model::ObjectIndex weekly{.uid = "w",
                            .component = "VEVENT",
                            .span_start = kJan1,
                            .recurring = true,
                            .indexed_until = kJan1 + 28 * kDay};
  for (int week = 0; week < 4; ++week) {
    weekly.instances.push_back({kJan1 + week * 7 * kDay, kJan1 + week * 7 * kDay + kHour});
  }
  Event("weekly.ics", weekly);
  EXPECT_EQ(Query({.start = kJan1 + 7 * kDay, .end = kJan1 + 8 * kDay}, true),
            (std::vector<std::string>{"weekly.ics"}));
  EXPECT_EQ(Query({.start = kJan1 + 2 * kDay, .end = kJan1 + 6 * kDay}),
            (std::vector<std::string>{}));
  // Beyond the horizon the index cannot decide: the object is a candidate to check.
  auto txn = Read();
  const auto far = MUST(txn->QueryObjects(
      calendar_.org, calendar_.id, {.start = kJan1 + 60 * kDay, .end = kJan1 + 61 * kDay}, "", 10));
  ASSERT_EQ(far.size(), 1U);
  EXPECT_EQ(far[0].verdict, model::IndexVerdict::kCheckObject);
}

TEST_P(ObjectIndexTest, FloatingAndNonEventObjectsAreLeftToTheObjectCheck) {
  Event("allday.ics", {.uid = "d",
                       .component = "VEVENT",
                       .span_start = kJan1,
                       .span_end = kJan1 + kDay,
                       .floating = true});
  Event("todo.ics", {.uid = "t", .component = "VTODO"});
  // Floating: a candidate even for a range that ends 10 hours before its UTC start.
  auto txn = Read();
  const auto hits = MUST(txn->QueryObjects(
      calendar_.org, calendar_.id, {.start = kJan1 - kDay, .end = kJan1 - 10 * kHour}, "", 10));
  ASSERT_EQ(hits.size(), 2U);
  EXPECT_EQ(hits[0].verdict, model::IndexVerdict::kCheckObject);
  EXPECT_EQ(hits[1].verdict, model::IndexVerdict::kCheckObject);
  EXPECT_EQ(Query({.component = "VTODO"}), (std::vector<std::string>{"todo.ics"}));
}

TEST_P(ObjectIndexTest, QueriesPageInNameOrder) {
  for (const char* name : {"c.ics", "a.ics", "b.ics"}) {
    Event(name,
          {.uid = name, .component = "VEVENT", .span_start = kJan1, .span_end = kJan1 + kHour});
  }
  auto txn = Read();
  auto page = MUST(txn->QueryObjects(calendar_.org, calendar_.id, {}, "a.ics", 1));
  ASSERT_EQ(page.size(), 1U);
  EXPECT_EQ(page[0].item.name, "b.ics");
}

TEST_P(ObjectIndexTest, SharesListWhatIsSharedWithWhomAndGoWithTheCollection) {
  const auto bob = AddUser(alice_.org, "bob");
  auto txn = Write();
  MUST(txn->SetShare(
      alice_.org,
      {.collection = calendar_.id, .sharee = bob.id, .access = model::ShareAccess::kRead}));
  MUST(txn->SetShare(
      alice_.org,
      {.collection = calendar_.id, .sharee = bob.id, .access = model::ShareAccess::kReadWrite}));
  MUST(txn->Commit());
  auto shared = MUST(Read()->ListSharedWith(alice_.org, bob.id, model::CollectionKind::kCalendar));
  ASSERT_EQ(shared.size(), 1U);
  EXPECT_EQ(shared[0].collection.name, "personal");
  EXPECT_EQ(shared[0].owner_login, "alice");
  EXPECT_EQ(shared[0].access, model::ShareAccess::kReadWrite);
  EXPECT_TRUE(MUST(Read()->ListSharedWith(alice_.org, bob.id, model::CollectionKind::kAddressBook))
                  .empty());
  EXPECT_EQ(MUST(Read()->ListShares(alice_.org, calendar_.id)).size(), 1U);
  // Another organisation's principal cannot be a sharee.
  const auto eve = AddUser(AddOrg("other").id, "eve");
  auto cross = Write();
  EXPECT_TRUE(FailsWith(cross->SetShare(alice_.org, {.collection = calendar_.id,
                                                     .sharee = eve.id,
                                                     .access = model::ShareAccess::kRead}),
                        Errc::kNotFound));
  cross.reset();  // One writer at a time.
  auto del = Write();
  MUST(del->DeleteCollection(calendar_.org, calendar_.id));
  MUST(del->Commit());
  EXPECT_TRUE(
      MUST(Read()->ListSharedWith(alice_.org, bob.id, model::CollectionKind::kCalendar)).empty());
}

TEST_P(ObjectIndexTest, AShareWithAGroupReachesItsMembersWithTheWidestAccess) {
  const auto bob = AddUser(alice_.org, "bob");
  const auto carol = AddUser(alice_.org, "carol");
  const auto staff = AddUser(alice_.org, "staff", model::PrincipalKind::kGroup);
  auto txn = Write();
  MUST(txn->AddGroupMember(alice_.org, staff.id, bob.id));
  MUST(txn->AddGroupMember(alice_.org, staff.id, alice_.id));  // The owner is in the group too.
  MUST(txn->SetShare(
      alice_.org,
      {.collection = calendar_.id, .sharee = staff.id, .access = model::ShareAccess::kReadWrite}));
  MUST(txn->Commit());
  auto shared = MUST(Read()->ListSharedWith(alice_.org, bob.id, model::CollectionKind::kCalendar));
  ASSERT_EQ(shared.size(), 1U);
  EXPECT_EQ(shared[0].collection.id, calendar_.id);
  EXPECT_EQ(shared[0].access, model::ShareAccess::kReadWrite);
  // Not a member: nothing. The owner never sees their own collection as shared.
  EXPECT_TRUE(
      MUST(Read()->ListSharedWith(alice_.org, carol.id, model::CollectionKind::kCalendar)).empty());
  EXPECT_TRUE(MUST(Read()->ListSharedWith(alice_.org, alice_.id, model::CollectionKind::kCalendar))
                  .empty());
  // Shared read-only with bob himself as well: listed once, with the group's wider access.
  auto direct = Write();
  MUST(direct->SetShare(
      alice_.org,
      {.collection = calendar_.id, .sharee = bob.id, .access = model::ShareAccess::kRead}));
  MUST(direct->Commit());
  shared = MUST(Read()->ListSharedWith(alice_.org, bob.id, model::CollectionKind::kCalendar));
  ASSERT_EQ(shared.size(), 1U);
  EXPECT_EQ(shared[0].access, model::ShareAccess::kReadWrite);
  // Leaving the group leaves the direct share.
  auto leave = Write();
  EXPECT_TRUE(MUST(leave->RemoveGroupMember(alice_.org, staff.id, bob.id)));
  EXPECT_FALSE(MUST(leave->RemoveGroupMember(alice_.org, staff.id, bob.id)));
  MUST(leave->Commit());
  shared = MUST(Read()->ListSharedWith(alice_.org, bob.id, model::CollectionKind::kCalendar));
  ASSERT_EQ(shared.size(), 1U);
  EXPECT_EQ(shared[0].access, model::ShareAccess::kRead);
}

TEST_P(ObjectIndexTest, RemovingAShareSaysWhetherThereWasOne) {
  const auto bob = AddUser(alice_.org, "bob");
  auto txn = Write();
  MUST(txn->SetShare(
      alice_.org,
      {.collection = calendar_.id, .sharee = bob.id, .access = model::ShareAccess::kRead}));
  EXPECT_TRUE(MUST(txn->RemoveShare(alice_.org, calendar_.id, bob.id)));
  EXPECT_FALSE(MUST(txn->RemoveShare(alice_.org, calendar_.id, bob.id)));
}

TEST_P(ObjectIndexTest, PublicationTokensFindTheirCalendarUntilRemoved) {
  auto txn = Write();
  MUST(txn->AddPublication(calendar_.org, calendar_.id, "token-1"));
  EXPECT_TRUE(
      FailsWith(txn->AddPublication(calendar_.org, calendar_.id, "token-1"), Errc::kAlreadyExists));
  MUST(txn->Commit());
  EXPECT_EQ(MUST(Read()->FindPublication("token-1")).id, calendar_.id);
  EXPECT_EQ(MUST(Read()->ListPublications(calendar_.org, calendar_.id)),
            std::vector<std::string>{"token-1"});
  EXPECT_TRUE(FailsWith(Read()->FindPublication("token-2"), Errc::kNotFound));
  auto remove = Write();
  EXPECT_EQ(MUST(remove->RemovePublications(calendar_.org, calendar_.id)), 1U);
  MUST(remove->Commit());
  EXPECT_TRUE(FailsWith(Read()->FindPublication("token-1"), Errc::kNotFound));
}

INSTANTIATE_TEST_SUITE_P(AllBackends, ObjectIndexTest, ::testing::ValuesIn(MetadataBackends()),
                         [](const auto& param_info) { return param_info.param.name; });

}  // namespace
}  // namespace regie::storage::testing
