#include "service/snapshot_memo.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

namespace regie::service {
namespace {

using namespace std::chrono_literals;

std::shared_ptr<const std::string> Value(const char* text) {
  return std::make_shared<const std::string>(text);
}

TEST(SnapshotMemo, FindsOnlyAtTheStampItWasReadAt) {
  SnapshotMemo<std::string> memo(1024, 1h);
  memo.Remember(5, "k", Value("five"), 10);
  ASSERT_TRUE(memo.Find(5, "k"));
  EXPECT_EQ(*memo.Find(5, "k"), "five");
  EXPECT_FALSE(memo.Find(6, "k"));
  EXPECT_FALSE(memo.Find(4, "k"));
  EXPECT_FALSE(memo.Find(5, "other"));
}

TEST(SnapshotMemo, ANewerStampDropsOlderEntriesAndAnOlderOneIsIgnored) {
  SnapshotMemo<std::string> memo(1024, 1h);
  memo.Remember(5, "a", Value("a5"), 10);
  memo.Remember(6, "b", Value("b6"), 10);
  EXPECT_FALSE(memo.Find(5, "a"));
  EXPECT_FALSE(memo.Find(6, "a"));
  // A slow reader that began before the last write must not bring its stale value back.
  memo.Remember(5, "a", Value("stale"), 10);
  EXPECT_FALSE(memo.Find(5, "a"));
  EXPECT_FALSE(memo.Find(6, "a"));
  EXPECT_EQ(*memo.Find(6, "b"), "b6");
}

TEST(SnapshotMemo, StaysWithinItsByteBudget) {
  SnapshotMemo<std::string> memo(100, 1h);
  memo.Remember(1, "too big", Value("x"), 101);
  EXPECT_FALSE(memo.Find(1, "too big"));
  memo.Remember(1, "a", Value("a"), 60);
  memo.Remember(1, "b", Value("b"), 60);  // Over budget: starts again with just this one.
  EXPECT_FALSE(memo.Find(1, "a"));
  EXPECT_TRUE(memo.Find(1, "b"));
  SnapshotMemo<std::string> disabled(0, 1h);
  disabled.Remember(1, "a", Value("a"), 0);
  EXPECT_FALSE(disabled.Find(1, "a"));
}

TEST(SnapshotMemo, EntriesExpireEvenWhileTheStampStands) {
  SnapshotMemo<std::string> memo(1024, 20ms);
  memo.Remember(1, "a", Value("a"), 10);
  EXPECT_TRUE(memo.Find(1, "a"));
  std::this_thread::sleep_for(40ms);
  EXPECT_FALSE(memo.Find(1, "a"));
}

}  // namespace
}  // namespace regie::service
