#include "formats/zip/zip_writer.h"

#include <archive.h>
#include <archive_entry.h>

#include "base/uri.h"

namespace regie::formats::zip {

namespace {

la_ssize_t AppendOutput(struct archive* /*a*/, void* self, const void* data, std::size_t size) {
  static_cast<ZipWriter*>(self)->output().append(static_cast<const char*>(data), size);
  return static_cast<la_ssize_t>(size);
}

// Owns an archive_entry for the length of one header write.
struct EntryDeleter {
  void operator()(archive_entry* entry) const { archive_entry_free(entry); }
};

Error Invalid(std::string_view path, std::string_view why) {
  return MakeError(Errc::kInvalidInput,
                   "zip entry '" + std::string(path) + "': " + std::string(why),
                   "invalid name in archive");
}

}  // namespace

ZipWriter::ZipWriter(ZipLimits limits) : limits_(limits) {}

ZipWriter::~ZipWriter() {
  // An abandoned archive (a client gone, a blob missing) is closed too, which writes its central
  // directory to output_ for nothing: libarchive 3.6.2 frees its output state only in a close,
  // and archive_write_fail() first would leak it.
  if (archive_ != nullptr) archive_write_free(archive_);
}

Result<std::unique_ptr<ZipWriter>> ZipWriter::Open(ZipLimits limits) {
  std::unique_ptr<ZipWriter> writer(new ZipWriter(limits));
  writer->archive_ = archive_write_new();
  if (writer->archive_ == nullptr) return Fail(Errc::kInternal, "archive_write_new failed");
  struct archive* a = writer->archive_;
  if (auto ok = writer->CheckLibarchive(archive_write_set_format_zip(a), "zip format"); !ok) {
    return Fail(ok.error());
  }
  // compression=store: office files and media are compressed already, and storing costs no CPU
  // on a shared server. hdrcharset=UTF-8: names go out as the UTF-8 we give (entries set with
  // archive_entry_set_pathname_utf8) and get bit 11 whatever the process locale is; without it
  // libarchive would use the locale's charset (ASCII under the C locale) and mangle "é".
  // ZIP64 stays libarchive's default: used only where sizes, offsets or counts need it.
  if (auto ok = writer->CheckLibarchive(
          archive_write_set_options(a, "zip:compression=store,zip:hdrcharset=UTF-8"),
          "zip options");
      !ok) {
    return Fail(ok.error());
  }
  // No blocking: every piece goes to AppendOutput as it is made, with no padding to a block.
  if (auto ok = writer->CheckLibarchive(archive_write_set_bytes_per_block(a, 0), "block size");
      !ok) {
    return Fail(ok.error());
  }
  if (auto ok = writer->CheckLibarchive(
          archive_write_open2(a, writer.get(), nullptr, AppendOutput, nullptr, nullptr), "open");
      !ok) {
    return Fail(ok.error());
  }
  return writer;
}

Result<void> ZipWriter::CheckLibarchive(int status, std::string_view what) {
  // ARCHIVE_WARN counts as failure too: for a header it means the name could not be written as
  // given, and a silently renamed entry is a broken download.
  if (status == ARCHIVE_OK) return Ok();
  const char* message = archive_error_string(archive_);
  return Fail(Errc::kInternal, "libarchive " + std::string(what) + ": " +
                                   (message != nullptr ? message : "unknown error"));
}

Result<void> ZipWriter::AddEntry(std::string_view path, unsigned int type, std::uint64_t size,
                                 std::int64_t modified) {
  if (archive_ == nullptr) return Fail(Errc::kInternal, "zip entry after the end");
  if (in_file_) return Fail(Errc::kInternal, "zip entry started before the last one ended");
  if (path.empty()) return Fail(Invalid(path, "empty"));
  if (path.front() == '/') return Fail(Invalid(path, "absolute"));
  if (!IsValidUtf8(path) || path.find('\0') != std::string_view::npos) {
    return Fail(Invalid(path, "not UTF-8"));
  }
  index_bytes_ += kIndexBytesPerEntry + path.size();
  if (index_bytes_ > limits_.max_index_bytes) {
    return Fail(Errc::kTooLarge,
                "zip index over " + std::to_string(limits_.max_index_bytes) + " bytes at " +
                    std::string(path),
                "too many entries for one archive");
  }
  std::unique_ptr<archive_entry, EntryDeleter> entry(archive_entry_new());
  if (!entry) return Fail(Errc::kInternal, "archive_entry_new failed");
  const std::string name(path);
  archive_entry_set_pathname_utf8(entry.get(), name.c_str());
  archive_entry_set_filetype(entry.get(), type);
  archive_entry_set_perm(entry.get(), type == AE_IFDIR ? 0755 : 0644);
  archive_entry_set_size(entry.get(), static_cast<la_int64_t>(size));
  archive_entry_set_mtime(entry.get(), static_cast<time_t>(modified), 0);
  return CheckLibarchive(archive_write_header(archive_, entry.get()), "header of " + name);
}

Result<void> ZipWriter::AddFolder(std::string_view path, std::int64_t modified) {
  if (auto added = AddEntry(path, AE_IFDIR, 0, modified); !added) return added;
  return CheckLibarchive(archive_write_finish_entry(archive_), "folder end");
}

Result<void> ZipWriter::BeginFile(std::string_view path, std::uint64_t size,
                                  std::int64_t modified) {
  if (auto added = AddEntry(path, AE_IFREG, size, modified); !added) return added;
  in_file_ = true;
  declared_ = size;
  written_ = 0;
  return Ok();
}

Result<void> ZipWriter::Write(std::span<const char> data) {
  if (!in_file_) return Fail(Errc::kInternal, "zip data outside a file");
  // A stored entry's header already holds its size (and whether it needs ZIP64): more bytes than
  // declared would make the entry lie, so they are an error, not a longer entry.
  if (data.size() > declared_ - written_) {
    return Fail(Errc::kInternal,
                "zip entry longer than its declared " + std::to_string(declared_) + " bytes");
  }
  while (!data.empty()) {
    const la_ssize_t n = archive_write_data(archive_, data.data(), data.size());
    if (n <= 0) return CheckLibarchive(n == 0 ? ARCHIVE_FATAL : static_cast<int>(n), "data");
    written_ += static_cast<std::uint64_t>(n);
    data = data.subspan(static_cast<std::size_t>(n));
  }
  return Ok();
}

Result<void> ZipWriter::EndFile() {
  if (!in_file_) return Fail(Errc::kInternal, "zip file ended twice");
  if (written_ != declared_) {
    return Fail(Errc::kInternal, "zip entry has " + std::to_string(written_) + " of its " +
                                     std::to_string(declared_) + " bytes");
  }
  in_file_ = false;
  return CheckLibarchive(archive_write_finish_entry(archive_), "file end");
}

Result<void> ZipWriter::Finish() {
  if (archive_ == nullptr) return Fail(Errc::kInternal, "zip finished twice");
  if (in_file_) return Fail(Errc::kInternal, "zip finished inside a file");
  auto closed = CheckLibarchive(archive_write_close(archive_), "close");
  if (!closed) return closed;
  archive_write_free(archive_);
  archive_ = nullptr;
  return Ok();
}

}  // namespace regie::formats::zip
