// GET <folder>/?download=zip: the folder and everything below it as one ZIP archive, streamed
// (docs/api.md, "Files beyond WebDAV"). service::FolderWalk yields the tree a page at a time,
// formats::zip::ZipWriter turns it into archive bytes, and ZipBody hands them to the transport:
// memory per download is a page of members, a piece of one file and the archive's index.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <memory>
#include <utility>
#include <variant>
#include <vector>

#include "formats/zip/zip_writer.h"
#include "frontend/dav/dav_response.h"
#include "frontend/dav/file_dav_handler.h"
#include "proto/http/content_disposition.h"
#include "service/folder_walk.h"

namespace regie::frontend::dav {

using proto::http::Reply;
using proto::http::Response;

namespace {

// Bytes of a file read per step: the transport sends 64 KiB chunks, so the archive's pending
// output stays near one chunk plus one piece.
constexpr std::size_t kPieceBytes = std::size_t{64} * 1024;

class ZipBody final : public proto::http::BodySource {
 public:
  ZipBody(service::FolderWalk walk, std::unique_ptr<formats::zip::ZipWriter> writer,
          std::string top, std::string label)
      : walk_(std::move(walk)),
        writer_(std::move(writer)),
        top_(std::move(top)),
        label_(std::move(label)),
        piece_(kPieceBytes) {}

  bool blocking() const override { return true; }

  Result<std::size_t> Read(std::span<char> out) override {
    std::string& produced = writer_->output();
    while (produced.size() - taken_ < out.size() && !finished_) {
      if (auto more = Produce(); !more) {
        // The head (200) is gone: failing the read makes the transport cut the connection
        // before the last chunk, so the client sees a broken download, never a short archive
        // that looks complete.
        spdlog::error("zip download of {} aborted: {}", label_, more.error().message);
        return Fail(more.error());
      }
    }
    const std::size_t n = std::min(out.size(), produced.size() - taken_);
    std::copy_n(produced.data() + taken_, n, out.data());
    taken_ += n;
    // What was sent goes once it is at least as long as what is left, so each byte moves at most
    // once: erasing every chunk from the front would be quadratic in the central directory that
    // Finish() appends in one piece (megabytes for a big folder).
    if (taken_ >= produced.size() - taken_) {
      produced.erase(0, taken_);
      taken_ = 0;
    }
    return n;
  }

 private:
  Result<void> Produce() {
    if (reader_) return CopyPiece();
    if (!started_) {
      started_ = true;
      return writer_->AddFolder(top_, walk_.start().folder->modified);
    }
    auto next = walk_.Next();
    if (!next) return Fail(next.error());
    if (!*next) {
      finished_ = true;
      return writer_->Finish();
    }
    const std::string path = top_ + "/" + (*next)->path;
    if (const auto* folder = std::get_if<model::Collection>(&(*next)->member)) {
      return writer_->AddFolder(path, folder->modified);
    }
    const auto& item = std::get<model::Item>((*next)->member);
    if (auto begun = writer_->BeginFile(path, item.size, item.modified); !begun) return begun;
    auto reader = walk_.Open(item);
    if (!reader) return Fail(reader.error());
    reader_ = std::move(*reader);
    return Ok();
  }

  Result<void> CopyPiece() {
    auto n = reader_->Read(piece_);
    if (!n) return Fail(n.error());
    if (*n == 0) {
      reader_.reset();
      return writer_->EndFile();  // kInternal when the blob was shorter than the item's size.
    }
    return writer_->Write({piece_.data(), *n});
  }

  service::FolderWalk walk_;
  std::unique_ptr<formats::zip::ZipWriter> writer_;
  std::string top_;    // The archive's top folder: the downloaded folder's name.
  std::string label_;  // For logs: "<login>/<path>".
  std::vector<char> piece_;
  std::unique_ptr<storage::BlobReader> reader_;  // The file being copied, if any.
  std::size_t taken_ = 0;  // Bytes at the front of writer_->output() already sent.
  bool started_ = false;
  bool finished_ = false;
};

// Walks the tree once without reading content, so that a folder too large for one archive is
// refused with 413 before the 200 goes out, instead of cut off midway. The writer checks again
// while streaming, for a tree that grew in between.
Result<void> CheckArchiveFits(const FileRequest& req, const std::string& top) {
  const std::uint64_t limit = req.options.zip.max_index_bytes;
  std::uint64_t index = formats::zip::kIndexBytesPerEntry + top.size();
  service::FolderWalk walk(req.files, req.target, req.options.propfind_page);
  while (index <= limit) {
    auto next = walk.Next();
    if (!next) return Fail(next.error());
    if (!*next) return Ok();
    index += formats::zip::kIndexBytesPerEntry + top.size() + 1 + (*next)->path.size();
  }
  return Fail(Errc::kTooLarge, "zip download of " + top + " over its index limit",
              "too many entries for one archive");
}

}  // namespace

Reply HandleZipDownload(FileRequestPtr req) {
  const service::FileTarget& target = req->target;
  if (!target.folder) {
    // A file is already one download; zipping it would only rename it.
    if (target.item) {
      return DavError(
          MakeError(Errc::kInvalidInput, "zip download of a file", "zip download needs a folder"));
    }
    return DavError(MakeError(Errc::kNotFound, "no folder " + target.name, "not found"));
  }
  // The pre-walk reads the whole tree's metadata: the blocking pool's work, never an I/O
  // thread's (a cached Basic caller reaches this on one).
  return proto::http::BlockingStep([req = std::move(req)]() -> Reply {
    const service::FileTarget& folder = req->target;
    // The root of a tree has no name of its own: its archive is named after its owner.
    const std::string top = folder.folder->name.empty() ? req->owner_login() : folder.folder->name;
    if (auto fits = CheckArchiveFits(*req, top); !fits) return DavError(fits.error());
    auto writer = formats::zip::ZipWriter::Open(req->options.zip);
    if (!writer) return DavError(writer.error());
    Response res;
    res.headers.Set("Content-Type", "application/zip");
    res.headers.Set("Content-Disposition", proto::http::AttachmentDisposition(top + ".zip"));
    res.stream_length = Response::kUnknownLength;
    if (req->http.method == "HEAD") {
      res.omit_body = true;
      return res;
    }
    std::string label = req->owner_login();
    for (const auto& segment : req->path()) label += "/" + segment;
    res.stream = std::make_unique<ZipBody>(
        service::FolderWalk(req->files, folder, req->options.propfind_page), std::move(*writer),
        top, std::move(label));
    return res;
  });
}

}  // namespace regie::frontend::dav
