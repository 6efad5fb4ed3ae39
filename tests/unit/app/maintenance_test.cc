// The last scrub and backup as /metrics shows them: records written by one process (the CLI)
// and read by another (the server), never half-written.
#include "app/maintenance.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace regie::app {
namespace {

namespace fs = std::filesystem;

class MaintenanceRecords : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("regie-maintenance-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(MaintenanceRecords, NeverRunShowsZeros) {
  EXPECT_FALSE(ReadRunRecord(dir_, kScrubRecord).has_value());
  const std::string text = RenderMaintenanceMetrics(dir_);
  EXPECT_NE(text.find("\nregie_scrub_last_timestamp_seconds 0\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\nregie_backup_last_success 0\n"), std::string::npos) << text;
  EXPECT_NE(text.find("# TYPE regie_backup_last_snapshot_seq gauge\n"), std::string::npos);
}

TEST_F(MaintenanceRecords, WrittenRecordReadsBackAndRenders) {
  ASSERT_TRUE(WriteRunRecord(dir_, kScrubRecord,
                             {.finished = 1'700'000'000,
                              .ok = false,
                              .seconds = 1.5,
                              .blobs = 42,
                              .bytes = 4096,
                              .problems = 2}));
  ASSERT_TRUE(WriteRunRecord(dir_, kBackupRecord,
                             {.finished = 1'700'000'100, .ok = true, .snapshot_seq = 977}));
  const auto scrub = ReadRunRecord(dir_, kScrubRecord);
  ASSERT_TRUE(scrub);
  EXPECT_EQ(scrub->finished, 1'700'000'000);
  EXPECT_FALSE(scrub->ok);
  EXPECT_DOUBLE_EQ(scrub->seconds, 1.5);
  EXPECT_EQ(scrub->blobs, 42u);
  EXPECT_EQ(scrub->problems, 2u);
  const std::string text = RenderMaintenanceMetrics(dir_);
  EXPECT_NE(text.find("\nregie_scrub_last_timestamp_seconds 1700000000\n"), std::string::npos);
  EXPECT_NE(text.find("\nregie_scrub_last_damaged_blobs 2\n"), std::string::npos);
  EXPECT_NE(text.find("\nregie_scrub_last_success 0\n"), std::string::npos);
  EXPECT_NE(text.find("\nregie_backup_last_success 1\n"), std::string::npos);
  EXPECT_NE(text.find("\nregie_backup_last_snapshot_seq 977\n"), std::string::npos);
  // Atomic replacement leaves no temporaries behind.
  std::size_t files = 0;
  for (const auto& e : fs::directory_iterator(dir_ / "status")) files += e.is_regular_file();
  EXPECT_EQ(files, 2u);
}

TEST_F(MaintenanceRecords, DamagedRecordReadsAsNeverRun) {
  fs::create_directories(dir_ / "status");
  std::ofstream(dir_ / "status" / "scrub.json") << "{\"finished\": 12";
  EXPECT_FALSE(ReadRunRecord(dir_, kScrubRecord).has_value());
  EXPECT_NE(RenderMaintenanceMetrics(dir_).find("\nregie_scrub_last_timestamp_seconds 0\n"),
            std::string::npos);
}

}  // namespace
}  // namespace regie::app
