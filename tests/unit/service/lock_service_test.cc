#include "service/lock_service.h"

#include <gtest/gtest.h>

namespace regie::service {
namespace {

using std::chrono::seconds;

class LockServiceTest : public ::testing::Test {
 protected:
  LockService locks_{LockLimits{.default_timeout = seconds(60), .max_timeout = seconds(600)},
                     [this] { return now_; }};
  std::chrono::steady_clock::time_point now_{};
  model::PrincipalId alice_{1};
};

TEST_F(LockServiceTest, ExclusiveLocksConflictWithEveryOtherLock) {
  auto lock = locks_.Acquire({.path = "u/a",
                              .scope = LockScope::kExclusive,
                              .depth = LockDepth::kZero,
                              .principal = alice_});
  ASSERT_TRUE(lock);
  EXPECT_TRUE(lock->token.starts_with("urn:uuid:"));
  EXPECT_EQ(locks_
                .Acquire({.path = "u/a",
                          .scope = LockScope::kShared,
                          .depth = LockDepth::kZero,
                          .principal = alice_})
                .error()
                .condition.name,
            "no-conflicting-lock");
  EXPECT_TRUE(locks_.Acquire({.path = "u/ab",
                              .scope = LockScope::kExclusive,
                              .depth = LockDepth::kZero,
                              .principal = alice_}));
}

TEST_F(LockServiceTest, SharedLocksCoexist) {
  ASSERT_TRUE(locks_.Acquire({.path = "u/a",
                              .scope = LockScope::kShared,
                              .depth = LockDepth::kZero,
                              .principal = alice_}));
  ASSERT_TRUE(locks_.Acquire({.path = "u/a",
                              .scope = LockScope::kShared,
                              .depth = LockDepth::kZero,
                              .principal = alice_}));
  EXPECT_EQ(locks_.Covering("u/a").size(), 2U);
  EXPECT_FALSE(locks_.Acquire({.path = "u/a",
                               .scope = LockScope::kExclusive,
                               .depth = LockDepth::kZero,
                               .principal = alice_}));
}

TEST_F(LockServiceTest, DepthInfinityCoversDescendantsAndConflictsWithLocksBelow) {
  ASSERT_TRUE(locks_.Acquire({.path = "u/dir/f",
                              .scope = LockScope::kExclusive,
                              .depth = LockDepth::kZero,
                              .principal = alice_}));
  EXPECT_FALSE(locks_.Acquire({.path = "u/dir",
                               .scope = LockScope::kExclusive,
                               .depth = LockDepth::kInfinity,
                               .principal = alice_}));
  ASSERT_TRUE(locks_.Acquire({.path = "u/other",
                              .scope = LockScope::kExclusive,
                              .depth = LockDepth::kInfinity,
                              .principal = alice_}));
  EXPECT_EQ(locks_.Covering("u/other/deep/x").size(), 1U);
  EXPECT_EQ(locks_.Covering("u/otherwise").size(), 0U);
  EXPECT_EQ(locks_.Affecting("u/dir").size(), 1U);
  locks_.RemoveWithin("u/dir");
  EXPECT_EQ(locks_.Affecting("u/dir").size(), 0U);
}

TEST_F(LockServiceTest, LocksExpireAndRefreshExtendsThem) {
  auto lock = locks_.Acquire({.path = "u/a",
                              .scope = LockScope::kExclusive,
                              .depth = LockDepth::kZero,
                              .principal = alice_,
                              .timeout = seconds(30)});
  ASSERT_TRUE(lock);
  now_ += seconds(20);
  ASSERT_TRUE(locks_.Refresh(lock->token, "u/a", alice_, std::nullopt));
  now_ += seconds(20);
  EXPECT_EQ(locks_.CountForTest(), 1U);  // Refreshed at 20 s for another 30 s.
  now_ += seconds(11);
  EXPECT_EQ(locks_.CountForTest(), 0U);
  EXPECT_EQ(locks_.Refresh(lock->token, "u/a", alice_, std::nullopt).error().code,
            Errc::kPreconditionFailed);
}

TEST_F(LockServiceTest, TimeoutsAreClampedToTheLimit) {
  auto lock = locks_.Acquire({.path = "u/a",
                              .scope = LockScope::kExclusive,
                              .depth = LockDepth::kZero,
                              .principal = alice_,
                              .timeout = seconds::max()});
  ASSERT_TRUE(lock);
  EXPECT_EQ(lock->timeout, seconds(600));
  EXPECT_EQ(locks_
                .Acquire({.path = "u/b",
                          .scope = LockScope::kExclusive,
                          .depth = LockDepth::kZero,
                          .principal = alice_})
                ->timeout,
            seconds(60));
}

TEST_F(LockServiceTest, ReleaseNeedsTheTokenOfALockCoveringThePath) {
  auto lock = locks_.Acquire({.path = "u/a",
                              .scope = LockScope::kExclusive,
                              .depth = LockDepth::kZero,
                              .principal = alice_});
  ASSERT_TRUE(lock);
  EXPECT_EQ(locks_.Release(lock->token, "u/b").error().code, Errc::kConflict);
  EXPECT_EQ(locks_.Release("urn:uuid:nope", "u/a").error().code, Errc::kConflict);
  EXPECT_TRUE(locks_.Release(lock->token, "u/a"));
  EXPECT_EQ(locks_.CountForTest(), 0U);
}

TEST_F(LockServiceTest, OnePrincipalCannotFillTheTable) {
  LockService small(LockLimits{.max_locks_per_principal = 2, .max_owner_bytes = 10});
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(small.Acquire({.path = "u/a", .scope = LockScope::kShared, .principal = alice_}));
  }
  EXPECT_EQ(
      small.Acquire({.path = "u/a", .scope = LockScope::kShared, .principal = alice_}).error().code,
      Errc::kRateLimited);
  EXPECT_TRUE(small.Acquire(
      {.path = "u/a", .scope = LockScope::kShared, .principal = model::PrincipalId{2}}));
  EXPECT_EQ(small.Acquire({.path = "u/b", .owner = std::string(11, 'x'), .principal = alice_})
                .error()
                .code,
            Errc::kTooLarge);
}

TEST_F(LockServiceTest, OnlyTheOwnerRefreshes) {
  auto lock = locks_.Acquire({.path = "u/a", .principal = alice_});
  ASSERT_TRUE(lock);
  EXPECT_FALSE(locks_.Refresh(lock->token, "u/a", model::PrincipalId{2}, std::nullopt));
  EXPECT_TRUE(locks_.Refresh(lock->token, "u/a", alice_, std::nullopt));
}

TEST(PathWithin, ComparesWholeSegments) {
  EXPECT_TRUE(PathWithin("u/a/b", "u/a"));
  EXPECT_TRUE(PathWithin("u/a", "u/a"));
  EXPECT_FALSE(PathWithin("u/ab", "u/a"));
  EXPECT_FALSE(PathWithin("u", "u/a"));
}

}  // namespace
}  // namespace regie::service
