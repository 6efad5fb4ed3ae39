// What the localfs backend leaves on disk: the layout archivists rely on and no stray temporaries.
// The behaviour every backend shares is in blob_store_conformance_test.cc.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
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

TEST_F(LocalFsBlobStore, NativeHandleIsTheBlobForPositionalReads) {
  const auto hash = WriteBlob("acme", "0123456789");
  auto reader = MUST(store_->Open("acme", hash, 3));
  const int fd = reader->native_handle();
  ASSERT_GE(fd, 0);
  EXPECT_NE(::fcntl(fd, F_GETFD) & FD_CLOEXEC, 0);
  std::array<char, 4> buffer{};
  ASSERT_EQ(::pread(fd, buffer.data(), buffer.size(), 3), 4);
  EXPECT_EQ(std::string(buffer.data(), 4), "3456");
  EXPECT_EQ(MUST(reader->Read(buffer)), 4u);
  EXPECT_EQ(std::string(buffer.data(), 4), "3456");
}

TEST_F(LocalFsBlobStore, ReopeningKeepsBlobs) {
  const auto hash = WriteBlob("acme", "durable");
  store_ = MUST(localfs::OpenLocalFsBlobStore(root()));
  EXPECT_TRUE(MUST(store_->Exists("acme", hash)));
}

std::string ReadAll(BlobReader& reader, std::size_t chunk) {
  std::string out;
  std::string buf(chunk, '\0');
  for (;;) {
    const std::size_t n = MUST(reader.Read(buf));
    if (n == 0) return out;
    out.append(buf, 0, n);
  }
}

TEST_F(LocalFsBlobStore, ReadersSharingACachedDescriptorKeepTheirOwnOffsets) {
  const auto hash = WriteBlob("acme", "0123456789");
  auto first = MUST(store_->Open("acme", hash, 0));
  auto second = MUST(store_->Open("acme", hash, 4));  // Served from the open-blob cache.
  std::array<char, 3> buf{};
  ASSERT_EQ(MUST(first->Read(buf)), 3U);
  EXPECT_EQ(std::string(buf.data(), 3), "012");
  EXPECT_EQ(ReadAll(*second, 2), "456789");
  EXPECT_EQ(ReadAll(*first, 4), "3456789");
}

TEST_F(LocalFsBlobStore, RemovedBlobIsNotServedFromTheCache) {
  const auto hash = WriteBlob("acme", "cached then removed");
  EXPECT_EQ(ReadAll(*MUST(store_->Open("acme", hash, 0)), 64), "cached then removed");
  MUST(store_->Remove("acme", hash));
  auto gone = store_->Open("acme", hash, 0);
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code, Errc::kNotFound);
  const auto other = WriteBlob("acme", "org removed");
  EXPECT_TRUE(store_->Open("acme", other, 0));
  MUST(store_->RemoveOrg("acme"));
  EXPECT_FALSE(store_->Open("acme", other, 0));
}

TEST_F(LocalFsBlobStore, ScanReportsWhatIsNotABlobAndLeavesItThere) {
  const auto hash = WriteBlob("acme", "abc");
  const std::string hex = hash.Hex();
  const fs::path fan = root() / "acme" / hex.substr(0, 2) / hex.substr(2, 2);
  std::ofstream(fan / "notes.txt") << "mine";
  std::ofstream(root() / "README") << "mine";
  // A hash in the wrong directories is not where Open() would find it.
  const std::string other = WriteBlob("acme", "xyz").Hex();
  fs::create_directories(root() / "acme" / "00" / "00");
  fs::rename(root() / "acme" / other.substr(0, 2) / other.substr(2, 2) / other,
             root() / "acme" / "00" / "00" / other);
  std::vector<std::string> blobs, strays;
  MUST(store_->ScanBlobs(
      [&](const StoredBlob& b) -> Result<void> {
        blobs.push_back(b.org + "/" + b.hash.Hex());
        return Ok();
      },
      [&](const std::string& path) -> Result<void> {
        strays.push_back(path);
        return Ok();
      }));
  std::sort(strays.begin(), strays.end());
  EXPECT_EQ(blobs, std::vector<std::string>{"acme/" + hex});
  EXPECT_EQ(strays, (std::vector<std::string>{
                        "README", "acme/00/00/" + other,
                        "acme/" + hex.substr(0, 2) + "/" + hex.substr(2, 2) + "/notes.txt"}));
  EXPECT_TRUE(fs::exists(fan / "notes.txt"));
}

TEST_F(LocalFsBlobStore, QuarantineAndGateLiveBesideTheRoot) {
  const auto hash = WriteBlob("acme", "abc");
  const std::string where = MUST(store_->Quarantine("acme", hash));
  EXPECT_EQ(fs::path(where).parent_path(), scratch_.path() / "quarantine" / "acme");
  EXPECT_EQ(fs::path(where).filename().string().substr(0, 65), hash.Hex() + ".");
  std::ifstream in(where);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), "abc");
  auto pause = MUST(store_->PauseRemovals(std::chrono::seconds(1)));
  EXPECT_TRUE(fs::exists(scratch_.path() / "removal.lock"));
  EXPECT_TRUE(FilesUnder(root()).empty());
}

TEST_F(LocalFsBlobStore, BlobQuarantinedByAnotherStoreIsNotServedFromTheCache) {
  const auto hash = WriteBlob("acme", "held open by the server");
  const auto other = WriteBlob("acme", "not damaged");
  EXPECT_EQ(ReadAll(*MUST(store_->Open("acme", hash, 0)), 64), "held open by the server");
  // Another process (regie scrub) opens the same directory and quarantines the blob.
  auto scrubber = MUST(localfs::OpenLocalFsBlobStore(root()));
  MUST(scrubber->Quarantine("acme", hash));
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // The look is once a second.
  auto gone = store_->Open("acme", hash, 0);
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code, Errc::kNotFound);
  EXPECT_EQ(ReadAll(*MUST(store_->Open("acme", other, 0)), 64), "not damaged");
}

}  // namespace
}  // namespace regie::storage::testing
