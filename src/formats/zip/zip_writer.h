// Writes a ZIP archive as a stream, with libarchive: entries stored uncompressed, names in UTF-8
// with the language encoding flag (APPNOTE.TXT 4.4.4, general purpose bit 11), and ZIP64 records
// only where an entry of 4 GiB or more, an offset past 4 GiB or more than 65,535 entries need
// them. Each call appends the archive bytes it produced to output(); the caller drains it.
//
// Memory: output() holds what the last call produced (a local header, or the data passed to
// Write()), and libarchive keeps the central directory until Finish(), because a ZIP ends with an
// index of every entry: about 100 bytes plus the path per entry. ZipLimits caps that index, so a
// huge folder fails with kTooLarge instead of exhausting memory.
//
// Not thread-safe. No I/O: the archive goes to memory only. Errors: kInvalidInput for a path that
// is empty, absolute or not UTF-8; kTooLarge over the limits; kInternal for a file whose bytes do
// not match its declared size or a call out of order. After an error the archive is unusable.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "base/result.h"

struct archive;

namespace regie::formats::zip {

struct ZipLimits {
  // Bytes of central directory the writer may hold (estimated as kIndexBytesPerEntry + path).
  std::uint64_t max_index_bytes = std::uint64_t{32} * 1024 * 1024;
};

// The central directory's bytes per entry beside its path: the fixed header (46), the extended
// timestamp (9), the Unix owner field (15) and room for a ZIP64 field (28), rounded up.
inline constexpr std::uint64_t kIndexBytesPerEntry = 100;

class ZipWriter {
 public:
  static Result<std::unique_ptr<ZipWriter>> Open(ZipLimits limits);
  ~ZipWriter();
  ZipWriter(const ZipWriter&) = delete;
  ZipWriter& operator=(const ZipWriter&) = delete;

  // Adds the folder entry "path/" (`path` without the trailing slash), so that an empty folder
  // survives extraction. `modified` is Unix seconds.
  Result<void> AddFolder(std::string_view path, std::int64_t modified);
  // Starts a file of exactly `size` bytes: Write() them all, then EndFile().
  Result<void> BeginFile(std::string_view path, std::uint64_t size, std::int64_t modified);
  Result<void> Write(std::span<const char> data);
  Result<void> EndFile();
  // Writes the central directory; the archive is complete once output() is drained.
  Result<void> Finish();

  // Archive bytes produced and not yet taken; the caller erases what it sent.
  std::string& output() { return output_; }
  // The central directory's estimated size so far.
  std::uint64_t index_bytes() const { return index_bytes_; }

 private:
  explicit ZipWriter(ZipLimits limits);
  Result<void> CheckLibarchive(int status, std::string_view what);
  Result<void> AddEntry(std::string_view path, unsigned int type, std::uint64_t size,
                        std::int64_t modified);

  ZipLimits limits_;
  struct archive* archive_ = nullptr;
  std::string output_;
  std::uint64_t index_bytes_ = 0;
  bool in_file_ = false;
  std::uint64_t declared_ = 0;  // The size of the file being written.
  std::uint64_t written_ = 0;   // Its bytes written so far.
};

}  // namespace regie::formats::zip
