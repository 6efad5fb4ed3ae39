// BlobStore conformance: every test runs against every backend in BlobBackends(), each on a fresh,
// empty store. Checks of the localfs files on disk are in localfs_blob_store_test.cc.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "base/counters.h"
#include "base/crypto.h"
#include "storage/blob_store.h"
#include "storage/localfs/localfs_blob_store.h"
#include "storage_test_util.h"

namespace regie::storage::testing {
namespace {

struct BlobBackend {
  std::string name;
  // Opens the backend's store for `scratch` (fresh per test); nullptr when not configured.
  std::function<std::unique_ptr<BlobStore>(const std::filesystem::path& scratch)> open;
};

// Test names and failure messages show the backend's name, not its bytes.
void PrintTo(const BlobBackend& backend, std::ostream* os) { *os << backend.name; }

BlobBackend LocalFsBackend() {
  return {"LocalFs", [](const std::filesystem::path& scratch) -> std::unique_ptr<BlobStore> {
            auto store = localfs::OpenLocalFsBlobStore(scratch / "blobs");
            if (!store) {
              ADD_FAILURE() << "open localfs: " << store.error().message;
              return nullptr;
            }
            return std::move(*store);
          }};
}

// S3 joins here (configured by REGIE_TEST_S3_ENDPOINT), returning nullptr when unset.
std::vector<BlobBackend> BlobBackends() { return {LocalFsBackend()}; }

// sha256("abc"), FIPS 180-2 appendix B.1.
constexpr char kAbcSha256[] = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
constexpr char kEmptySha256[] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

class BlobStoreConformance : public ::testing::TestWithParam<BlobBackend> {
 protected:
  void SetUp() override {
    store_ = GetParam().open(scratch_.path());
    if (!store_ && !SkippingAllowed()) FAIL() << GetParam().name << " is not configured under CI";
    if (!store_) GTEST_SKIP() << GetParam().name << " is not configured on this machine";
  }

  model::BlobHash WriteBlob(std::string_view org, std::string_view content) {
    auto writer = MUST(store_->BeginWrite(org));
    MUST(writer->Write(content));
    EXPECT_EQ(writer->size(), content.size());
    return MUST(writer->Commit());
  }

  std::string ReadBlob(std::string_view org, const model::BlobHash& hash,
                       std::uint64_t offset = 0) {
    auto reader = MUST(store_->Open(org, hash, offset));
    std::string out;
    std::array<char, 7> buffer{};  // Small and odd, so reads straddle any internal boundary.
    for (;;) {
      const std::size_t n = MUST(reader->Read(buffer));
      if (n == 0) break;
      out.append(buffer.data(), n);
    }
    return out;
  }

  ScratchDir scratch_;
  std::unique_ptr<BlobStore> store_;
};

TEST_P(BlobStoreConformance, HashIsSha256OfTheContent) {
  EXPECT_EQ(WriteBlob("acme", "abc").Hex(), kAbcSha256);
  EXPECT_EQ(WriteBlob("acme", "").Hex(), kEmptySha256);
}

TEST_P(BlobStoreConformance, CommittedBytesReadBackExactly) {
  std::string content;
  for (int i = 0; i < 5000; ++i) content.push_back(static_cast<char>(i * 7 % 256));
  auto writer = MUST(store_->BeginWrite("acme"));
  for (std::size_t at = 0; at < content.size(); at += 999) {
    MUST(writer->Write(std::string_view(content).substr(at, 999)));
  }
  const auto hash = MUST(writer->Commit());
  EXPECT_EQ(hash, HashOf(content));
  EXPECT_TRUE(MUST(store_->Exists("acme", hash)));
  EXPECT_EQ(MUST(store_->Open("acme", hash, 0))->size(), content.size());
  EXPECT_EQ(ReadBlob("acme", hash), content);
}

TEST_P(BlobStoreConformance, EmptyBlobReadsAsEmpty) {
  const auto hash = WriteBlob("acme", "");
  EXPECT_EQ(ReadBlob("acme", hash), "");
}

TEST_P(BlobStoreConformance, ReadStartsAtTheOffset) {
  const auto hash = WriteBlob("acme", "0123456789");
  EXPECT_EQ(ReadBlob("acme", hash, 4), "456789");
  EXPECT_EQ(ReadBlob("acme", hash, 10), "");
  EXPECT_EQ(MUST(store_->Open("acme", hash, 4))->size(), 10u);  // size() is the whole blob.
  EXPECT_TRUE(FailsWith(store_->Open("acme", hash, 11), Errc::kInvalidInput));
}

TEST_P(BlobStoreConformance, MissingBlobIsNotFound) {
  EXPECT_TRUE(FailsWith(store_->Open("acme", HashOf("never written"), 0), Errc::kNotFound));
  EXPECT_FALSE(MUST(store_->Exists("acme", HashOf("never written"))));
}

TEST_P(BlobStoreConformance, AbandonedWriterLeavesNothingVisible) {
  {
    auto writer = MUST(store_->BeginWrite("acme"));
    MUST(writer->Write(std::string_view("abandoned")));
  }
  EXPECT_FALSE(MUST(store_->Exists("acme", HashOf("abandoned"))));
  EXPECT_EQ(MUST(store_->RemoveStaleTemporaries()), 0u);
}

TEST_P(BlobStoreConformance, DuplicateCommitKeepsOneBlob) {
  const auto first = WriteBlob("acme", "twice");
  const auto second = WriteBlob("acme", "twice");
  EXPECT_EQ(first, second);
  EXPECT_EQ(ReadBlob("acme", first), "twice");
  MUST(store_->Remove("acme", first));  // One removal is enough: there was one blob.
  EXPECT_FALSE(MUST(store_->Exists("acme", first)));
}

TEST_P(BlobStoreConformance, CommitsAndRemovalsAreCountedForMetrics) {
  auto& counters = GlobalStoreCounters();
  const auto bytes = counters.blob_bytes_written.load();
  const auto removed = counters.blobs_removed.load();
  const auto hash = WriteBlob("acme", "12345");
  EXPECT_EQ(counters.blob_bytes_written.load(), bytes + 5);
  WriteBlob("acme", "12345");  // A duplicate adds no bytes to the store.
  EXPECT_EQ(counters.blob_bytes_written.load(), bytes + 5);
  MUST(store_->Remove("acme", hash));
  MUST(store_->Remove("acme", hash));  // Already gone: not counted again.
  EXPECT_EQ(counters.blobs_removed.load(), removed + 1);
}

TEST_P(BlobStoreConformance, WriterRejectsUseAfterCommit) {
  auto writer = MUST(store_->BeginWrite("acme"));
  MUST(writer->Write(std::string_view("x")));
  MUST(writer->Commit());
  EXPECT_TRUE(FailsWith(writer->Write(std::string_view("y")), Errc::kInternal));
  EXPECT_TRUE(FailsWith(writer->Commit(), Errc::kInternal));
}

TEST_P(BlobStoreConformance, BlobsBelongToTheirOrg) {
  const auto hash = WriteBlob("acme", "mine");
  EXPECT_FALSE(MUST(store_->Exists("other", hash)));
  EXPECT_TRUE(FailsWith(store_->Open("other", hash, 0), Errc::kNotFound));
  MUST(store_->Remove("other", hash));
  EXPECT_TRUE(MUST(store_->Exists("acme", hash)));
}

TEST_P(BlobStoreConformance, RemoveDeletesAndToleratesMissing) {
  const auto hash = WriteBlob("acme", "doomed");
  MUST(store_->Remove("acme", hash));
  EXPECT_FALSE(MUST(store_->Exists("acme", hash)));
  MUST(store_->Remove("acme", hash));
  MUST(store_->Remove("never-used", hash));
}

TEST_P(BlobStoreConformance, RemoveOrgRemovesThatOrgOnly) {
  const auto a = WriteBlob("acme", "a");
  const auto b = WriteBlob("acme", "b");
  const auto other = WriteBlob("other", "a");
  MUST(store_->RemoveOrg("acme"));
  EXPECT_FALSE(MUST(store_->Exists("acme", a)));
  EXPECT_FALSE(MUST(store_->Exists("acme", b)));
  EXPECT_TRUE(MUST(store_->Exists("other", other)));
  MUST(store_->RemoveOrg("acme"));       // Nothing left: still fine.
  EXPECT_EQ(WriteBlob("acme", "a"), a);  // The org can store again.
}

TEST_P(BlobStoreConformance, InvalidOrgNameIsRejected) {
  const auto hash = HashOf("x");
  for (const char* org : {"", "..", "../acme", "acme/x", "Acme", ".hidden", "a b"}) {
    EXPECT_TRUE(FailsWith(store_->BeginWrite(org), Errc::kInvalidInput)) << org;
    EXPECT_TRUE(FailsWith(store_->Open(org, hash, 0), Errc::kInvalidInput)) << org;
    EXPECT_TRUE(FailsWith(store_->Exists(org, hash), Errc::kInvalidInput)) << org;
    EXPECT_TRUE(FailsWith(store_->Remove(org, hash), Errc::kInvalidInput)) << org;
    EXPECT_TRUE(FailsWith(store_->RemoveOrg(org), Errc::kInvalidInput)) << org;
  }
}

TEST_P(BlobStoreConformance, ConcurrentWritersAllCommit) {
  constexpr int kThreads = 4;
  std::vector<std::string> errors(kThreads);
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        // Half the contents are shared between threads: concurrent commits of one hash.
        const std::string content = "blob " + std::to_string(i % 2 == 0 ? i : t * 100 + i);
        auto writer = store_->BeginWrite("acme");
        auto written = writer ? (*writer)->Write(content) : Result<void>(Fail(writer.error()));
        auto hash = written ? (*writer)->Commit() : Result<model::BlobHash>(Fail(written.error()));
        if (!hash) errors[t] = hash.error().message;
        if (hash && *hash != HashOf(content)) errors[t] = "wrong hash";
        if (!errors[t].empty()) return;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (const auto& error : errors) EXPECT_EQ(error, "");
  EXPECT_EQ(ReadBlob("acme", HashOf("blob 4")), "blob 4");
}

// 64 MiB streamed in 1 MiB chunks: the writer and reader hold one chunk at a time, never the
// whole body (DESIGN principle 6).
TEST_P(BlobStoreConformance, LargeBlobStreamsInChunks) {
  constexpr std::size_t kChunk = 1 << 20;
  constexpr int kChunks = 64;
  std::string chunk(kChunk, '\0');
  Sha256 expected;
  auto writer = MUST(store_->BeginWrite("acme"));
  for (int i = 0; i < kChunks; ++i) {
    for (std::size_t j = 0; j < kChunk; j += 4096) chunk[j] = static_cast<char>(i + j / 4096);
    expected.Update(chunk);
    MUST(writer->Write(chunk));
  }
  const auto hash = MUST(writer->Commit());
  EXPECT_EQ(hash, model::BlobHash{expected.Finish()});
  auto reader = MUST(store_->Open("acme", hash, 0));
  EXPECT_EQ(reader->size(), kChunk * kChunks);
  Sha256 read_back;
  std::uint64_t total = 0;
  for (;;) {
    const std::size_t n = MUST(reader->Read(chunk));
    if (n == 0) break;
    read_back.Update(std::span<const char>(chunk.data(), n));
    total += n;
  }
  EXPECT_EQ(total, kChunk * kChunks);
  EXPECT_EQ(model::BlobHash{read_back.Finish()}, hash);
}

// --- Integrity (fsck, scrub) and the removal gate of backups

// Every blob the store has, as "org/hex size", sorted; fails on any stray entry.
std::vector<std::string> Scan(BlobStore& store) {
  std::vector<std::string> out;
  MUST(store.ScanBlobs(
      [&](const StoredBlob& blob) -> Result<void> {
        out.push_back(blob.org + "/" + blob.hash.Hex() + " " + std::to_string(blob.size));
        return Ok();
      },
      [](const std::string& path) -> Result<void> {
        ADD_FAILURE() << "stray entry " << path;
        return Ok();
      }));
  std::sort(out.begin(), out.end());
  return out;
}

TEST_P(BlobStoreConformance, ScanVisitsCommittedBlobsOnly) {
  const auto abc = WriteBlob("acme", "abc");
  const auto empty = WriteBlob("other", "");
  auto pending = MUST(store_->BeginWrite("acme"));
  MUST(pending->Write(std::string_view("not committed")));
  EXPECT_EQ(Scan(*store_),
            (std::vector<std::string>{"acme/" + abc.Hex() + " 3", "other/" + empty.Hex() + " 0"}));
}

TEST_P(BlobStoreConformance, QuarantinedBlobIsGoneUntilWrittenAgain) {
  const auto hash = WriteBlob("acme", "abc");
  const std::string where = MUST(store_->Quarantine("acme", hash));
  EXPECT_FALSE(where.empty());
  EXPECT_TRUE(FailsWith(store_->Open("acme", hash, 0), Errc::kNotFound));
  EXPECT_FALSE(MUST(store_->Exists("acme", hash)));
  EXPECT_TRUE(Scan(*store_).empty());
  EXPECT_TRUE(FailsWith(store_->Quarantine("acme", hash), Errc::kNotFound));
  EXPECT_EQ(WriteBlob("acme", "abc"), hash);
  EXPECT_EQ(ReadBlob("acme", hash), "abc");
}

TEST_P(BlobStoreConformance, PausedRemovalsRefuseRemoveAndPermits) {
  const auto hash = WriteBlob("acme", "abc");
  {
    auto pause = MUST(store_->PauseRemovals(std::chrono::seconds(5)));
    EXPECT_TRUE(FailsWith(store_->Remove("acme", hash), Errc::kUnavailable));
    EXPECT_TRUE(FailsWith(store_->RemoveOrg("acme"), Errc::kUnavailable));
    EXPECT_TRUE(FailsWith(store_->PermitRemovals(), Errc::kUnavailable));
    EXPECT_EQ(ReadBlob("acme", hash), "abc");
  }
  MUST(store_->Remove("acme", hash));
  EXPECT_FALSE(MUST(store_->Exists("acme", hash)));
}

TEST_P(BlobStoreConformance, PauseWaitsForPermitsAndTimesOut) {
  auto permit = MUST(store_->PermitRemovals());
  auto nested = MUST(store_->PermitRemovals());
  EXPECT_TRUE(FailsWith(store_->PauseRemovals(std::chrono::milliseconds(50)), Errc::kUnavailable));
  permit.reset();
  // One permit is still held.
  EXPECT_TRUE(FailsWith(store_->PauseRemovals(std::chrono::milliseconds(50)), Errc::kUnavailable));
  nested.reset();
  auto pause = MUST(store_->PauseRemovals(std::chrono::milliseconds(50)));
  EXPECT_TRUE(FailsWith(store_->PermitRemovals(), Errc::kUnavailable));
}

TEST_P(BlobStoreConformance, PauseHoldsAcrossStoresOnTheSameData) {
  // A second store on the same data stands for a second process (a backup beside the server).
  auto other = GetParam().open(scratch_.path());
  ASSERT_TRUE(other);
  const auto hash = WriteBlob("acme", "abc");
  {
    auto pause = MUST(other->PauseRemovals(std::chrono::seconds(5)));
    EXPECT_TRUE(FailsWith(store_->Remove("acme", hash), Errc::kUnavailable));
  }
  MUST(store_->Remove("acme", hash));
}

INSTANTIATE_TEST_SUITE_P(AllBackends, BlobStoreConformance, ::testing::ValuesIn(BlobBackends()),
                         [](const auto& param_info) { return param_info.param.name; });

}  // namespace
}  // namespace regie::storage::testing
