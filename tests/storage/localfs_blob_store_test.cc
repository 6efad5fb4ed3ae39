// What the localfs backend leaves on disk: the layout archivists rely on and no stray temporaries.
// The behaviour every backend shares is in blob_store_conformance_test.cc.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "storage/localfs/localfs_blob_store.h"
#include "storage_test_util.h"

namespace regie::storage::testing {
namespace {

namespace fs = std::filesystem;

class LocalFsBlobStore : public ::testing::Test {
 protected:
  void SetUp() override { store_ = MUST(localfs::OpenLocalFsBlobStore(root())); }

  fs::path root() const { return scratch_.path() / "blobs"; }

  // Every regular file below `dir`, relative to the blob root.
  std::vector<std::string> FilesUnder(const fs::path& dir) const {
    std::vector<std::string> out;
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
      if (entry.is_regular_file()) out.push_back(fs::relative(entry.path(), root()).string());
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  model::BlobHash WriteBlob(std::string_view org, std::string_view content) {
    auto writer = MUST(store_->BeginWrite(org));
    MUST(writer->Write(content));
    return MUST(writer->Commit());
  }

  ScratchDir scratch_;
  std::unique_ptr<BlobStore> store_;
};

TEST_F(LocalFsBlobStore, BlobLivesAtOrgFanOutHex) {
  const auto hash = WriteBlob("acme", "abc");
  const std::string hex = hash.Hex();
  EXPECT_EQ(FilesUnder(root()), std::vector<std::string>{"acme/ba/78/" + hex});
  std::ifstream file(root() / "acme" / "ba" / "78" / hex, std::ios::binary);
  const std::string content((std::istreambuf_iterator<char>(file)), {});
  EXPECT_EQ(content, "abc");
}

TEST_F(LocalFsBlobStore, AbandonedWriterLeavesNoTemporaryFile) {
  {
    auto writer = MUST(store_->BeginWrite("acme"));
    MUST(writer->Write(std::string_view("partial")));
    EXPECT_EQ(FilesUnder(root()).size(), 1u);  // The temporary exists while writing...
  }
  EXPECT_TRUE(FilesUnder(root()).empty());  // ...and not after.
}

TEST_F(LocalFsBlobStore, DuplicateCommitLeavesOneFileAndNoTemporary) {
  WriteBlob("acme", "twice");
  WriteBlob("acme", "twice");
  EXPECT_EQ(FilesUnder(root()).size(), 1u);
}

TEST_F(LocalFsBlobStore, RemoveStaleTemporariesRemovesCrashLeftovers) {
  // A crashed writer's temporaries, and files that are not temporaries and must survive.
  fs::create_directories(root() / "acme" / "tmp");
  fs::create_directories(root() / "other" / "tmp");
  std::ofstream(root() / "acme" / "tmp" / "leftover-1") << "x";
  std::ofstream(root() / "acme" / "tmp" / "leftover-2") << "y";
  std::ofstream(root() / "other" / "tmp" / "leftover-3") << "z";
  std::ofstream(root() / "README") << "not a temporary";
  const auto kept = WriteBlob("acme", "kept");
  EXPECT_EQ(MUST(store_->RemoveStaleTemporaries()), 3u);
  EXPECT_EQ(FilesUnder(root()),
            (std::vector<std::string>{"README", "acme/" + kept.Hex().substr(0, 2) + "/" +
                                                    kept.Hex().substr(2, 2) + "/" + kept.Hex()}));
  EXPECT_EQ(MUST(store_->RemoveStaleTemporaries()), 0u);
}

TEST_F(LocalFsBlobStore, InvalidOrgCreatesNothingOutsideTheRoot) {
  EXPECT_FALSE(store_->BeginWrite("../escape"));
  EXPECT_FALSE(fs::exists(scratch_.path() / "escape"));
  EXPECT_FALSE(fs::exists(root() / ".." / "escape"));
}

TEST_F(LocalFsBlobStore, NativeHandleIsPositionedAtTheReader) {
  const auto hash = WriteBlob("acme", "0123456789");
  auto reader = MUST(store_->Open("acme", hash, 3));
  const int fd = reader->native_handle();
  ASSERT_GE(fd, 0);
  EXPECT_EQ(::lseek(fd, 0, SEEK_CUR), 3);
  EXPECT_NE(::fcntl(fd, F_GETFD) & FD_CLOEXEC, 0);
  std::array<char, 4> buffer{};
  EXPECT_EQ(MUST(reader->Read(buffer)), 4u);
  EXPECT_EQ(::lseek(fd, 0, SEEK_CUR), 7);
}

TEST_F(LocalFsBlobStore, ReopeningKeepsBlobs) {
  const auto hash = WriteBlob("acme", "durable");
  store_ = MUST(localfs::OpenLocalFsBlobStore(root()));
  EXPECT_TRUE(MUST(store_->Exists("acme", hash)));
}

}  // namespace
}  // namespace regie::storage::testing
