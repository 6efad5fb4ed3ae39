#include "formats/zip/zip_writer.h"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>
#include <locale.h>

#include <cstdint>
#include <string>
#include <vector>

namespace regie::formats::zip {
namespace {

struct ReadEntry {
  std::string path;
  bool folder = false;
  std::int64_t size = 0;
  std::int64_t mtime = 0;
  std::string bytes;
};

// Switches this thread to a UTF-8 locale for as long as it lives: libarchive's reader converts
// names to the locale's charset, and under the C locale a UTF-8 name has no such form.
class Utf8Locale {
 public:
  Utf8Locale() : utf8_(newlocale(LC_ALL_MASK, "C.UTF-8", nullptr)), old_(uselocale(utf8_)) {}
  ~Utf8Locale() {
    uselocale(old_);
    freelocale(utf8_);
  }
  Utf8Locale(const Utf8Locale&) = delete;
  Utf8Locale& operator=(const Utf8Locale&) = delete;

 private:
  locale_t utf8_;
  locale_t old_;
};

// Reads the archive back with libarchive's reader, which checks every CRC as it goes.
std::vector<ReadEntry> ReadBack(const std::string& zip) {
  const Utf8Locale locale;
  struct archive* a = archive_read_new();
  archive_read_support_format_zip(a);
  EXPECT_EQ(archive_read_open_memory(a, zip.data(), zip.size()), ARCHIVE_OK);
  std::vector<ReadEntry> out;
  struct archive_entry* entry = nullptr;
  while (archive_read_next_header(a, &entry) == ARCHIVE_OK) {
    ReadEntry e;
    e.path = archive_entry_pathname(entry);
    e.folder = archive_entry_filetype(entry) == AE_IFDIR;
    e.size = archive_entry_size(entry);
    e.mtime = archive_entry_mtime(entry);
    char buf[4096];
    la_ssize_t n = 0;
    while ((n = archive_read_data(a, buf, sizeof buf)) > 0) e.bytes.append(buf, n);
    EXPECT_EQ(n, 0) << archive_error_string(a);
    out.push_back(std::move(e));
  }
  archive_read_free(a);
  return out;
}

std::uint32_t Le(const std::string& s, std::size_t at, int bytes) {
  std::uint32_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(s[at + i]);
  return v;
}

struct CentralEntry {
  std::string name;
  std::uint32_t flags = 0;
  std::uint32_t method = 0;
};

// The central directory as written (APPNOTE.TXT 4.3.12, 4.3.16): what a reader would not show.
std::vector<CentralEntry> CentralDirectory(const std::string& zip) {
  const std::size_t end = zip.size() - 22;  // No archive comment.
  EXPECT_EQ(zip.substr(end, 4), std::string("PK\5\6"));
  std::size_t at = Le(zip, end + 16, 4);
  std::vector<CentralEntry> out;
  while (zip.compare(at, 4, "PK\1\2") == 0) {
    const std::uint32_t name = Le(zip, at + 28, 2);
    out.push_back({zip.substr(at + 46, name), Le(zip, at + 8, 2), Le(zip, at + 10, 2)});
    at += 46 + name + Le(zip, at + 30, 2) + Le(zip, at + 32, 2);
  }
  return out;
}

std::string Pattern(std::size_t n) {
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>((i * 31 + i / 7) & 0xff);
  return s;
}

std::string WriteFile(ZipWriter& w, const std::string& path, const std::string& bytes) {
  EXPECT_TRUE(w.BeginFile(path, bytes.size(), 1'700'000'000));
  for (std::size_t at = 0; at < bytes.size(); at += 5000) {
    EXPECT_TRUE(w.Write({bytes.data() + at, std::min<std::size_t>(5000, bytes.size() - at)}));
  }
  EXPECT_TRUE(w.EndFile());
  std::string out;
  out.swap(w.output());
  return out;
}

TEST(ZipWriter, ArchiveReadsBackStoredWithUtf8NamesBytesAndEmptyFolders) {
  auto w = ZipWriter::Open({});
  ASSERT_TRUE(w);
  ASSERT_TRUE((*w)->AddFolder("top", 1'600'000'000));
  ASSERT_TRUE((*w)->AddFolder("top/empty", 1'600'000'000));
  const std::string big = Pattern(200'000);
  std::string zip = (*w)->output();
  (*w)->output().clear();
  zip += WriteFile(**w, "top/caf\xC3\xA9 #1.txt", "hello");
  zip += WriteFile(**w, "top/sub dir/big.bin", big);
  zip += WriteFile(**w, "top/nothing", "");
  ASSERT_TRUE((*w)->Finish());
  zip += (*w)->output();

  const auto entries = ReadBack(zip);
  ASSERT_EQ(entries.size(), 5u);
  EXPECT_EQ(entries[0].path, "top/");
  EXPECT_TRUE(entries[0].folder);
  EXPECT_EQ(entries[1].path, "top/empty/");
  EXPECT_TRUE(entries[1].folder);
  EXPECT_EQ(entries[2].path, "top/caf\xC3\xA9 #1.txt");
  EXPECT_EQ(entries[2].bytes, "hello");
  EXPECT_EQ(entries[2].size, 5);
  EXPECT_EQ(entries[2].mtime, 1'700'000'000);
  EXPECT_EQ(entries[3].path, "top/sub dir/big.bin");
  EXPECT_EQ(entries[3].size, 200'000);
  EXPECT_TRUE(entries[3].bytes == big);
  EXPECT_EQ(entries[4].path, "top/nothing");
  EXPECT_EQ(entries[4].bytes, "");

  const auto central = CentralDirectory(zip);
  ASSERT_EQ(central.size(), 5u);
  for (const auto& e : central) EXPECT_EQ(e.method, 0u) << e.name;  // Stored.
  EXPECT_EQ(central[2].name, "top/caf\xC3\xA9 #1.txt");
  EXPECT_NE(central[2].flags & 0x0800, 0u);  // Bit 11: the name is UTF-8.
}

TEST(ZipWriter, MoreThan65535EntriesGetZip64EndRecords) {
  auto w = ZipWriter::Open({});
  ASSERT_TRUE(w);
  std::string zip;
  constexpr std::uint32_t kEntries = 0x10000;  // One more than the classic end record can count.
  for (std::uint32_t i = 0; i < kEntries; ++i) zip += WriteFile(**w, "f" + std::to_string(i), "");
  ASSERT_TRUE((*w)->Finish());
  zip += (*w)->output();
  // APPNOTE.TXT 4.3.14: the ZIP64 end of central directory record counts the entries in 8 bytes;
  // the classic one (4.3.16) says 0xFFFF, "see the ZIP64 record".
  const std::size_t zip64_end = zip.rfind("PK\6\6");
  ASSERT_NE(zip64_end, std::string::npos);
  EXPECT_EQ(Le(zip, zip64_end + 32, 4), kEntries);
  EXPECT_EQ(Le(zip, zip.size() - 22 + 10, 2), 0xFFFFu);
}

TEST(ZipWriter, FileShorterThanDeclaredFails) {
  auto w = ZipWriter::Open({});
  ASSERT_TRUE(w);
  ASSERT_TRUE((*w)->BeginFile("a", 10, 0));
  ASSERT_TRUE((*w)->Write({"12345", 5}));
  auto ended = (*w)->EndFile();
  ASSERT_FALSE(ended);
  EXPECT_EQ(ended.error().code, Errc::kInternal);
}

TEST(ZipWriter, FileLongerThanDeclaredFails) {
  auto w = ZipWriter::Open({});
  ASSERT_TRUE(w);
  ASSERT_TRUE((*w)->BeginFile("a", 3, 0));
  auto written = (*w)->Write({"12345", 5});
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().code, Errc::kInternal);
}

TEST(ZipWriter, IndexOverTheLimitIsTooLarge) {
  auto w = ZipWriter::Open({.max_index_bytes = 3 * (kIndexBytesPerEntry + 2)});
  ASSERT_TRUE(w);
  for (const char* name : {"f1", "f2", "f3"}) ASSERT_TRUE((*w)->AddFolder(name, 0));
  auto fourth = (*w)->AddFolder("f4", 0);
  ASSERT_FALSE(fourth);
  EXPECT_EQ(fourth.error().code, Errc::kTooLarge);
}

TEST(ZipWriter, AbsoluteEmptyAndNonUtf8PathsAreRefused) {
  auto w = ZipWriter::Open({});
  ASSERT_TRUE(w);
  for (std::string_view bad : {"/etc/passwd", "", "caf\xE9"}) {
    auto added = (*w)->AddFolder(bad, 0);
    ASSERT_FALSE(added) << bad;
    EXPECT_EQ(added.error().code, Errc::kInvalidInput);
  }
}

}  // namespace
}  // namespace regie::formats::zip
