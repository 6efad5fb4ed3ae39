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

}  // namespace
}  // namespace regie::service
