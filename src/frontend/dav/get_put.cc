// GET, HEAD and PUT of files (RFC 9110 §9.3.1-§9.3.4, RFC 4918 §9.4, §9.7).
#include <memory>

#include "frontend/dav/dav_properties.h"
#include "frontend/dav/dav_response.h"
#include "frontend/dav/file_dav_handler.h"
#include "frontend/dav/write_check.h"
#include "proto/http/conditional.h"
#include "proto/http/query.h"
#include "proto/http/range.h"

namespace regie::frontend::dav {

using proto::http::Reply;
using proto::http::Response;

namespace {

class BlobBody final : public proto::http::BodySource {
 public:
  // `reader` reads from `offset` on.
  BlobBody(std::unique_ptr<storage::BlobReader> reader, std::uint64_t offset)
      : reader_(std::move(reader)), offset_(offset) {}
  Result<std::size_t> Read(std::span<char> out) override { return reader_->Read(out); }
  std::optional<FileSpan> file() const override {
    if (reader_->native_handle() < 0) return std::nullopt;
    return FileSpan{.fd = reader_->native_handle(), .offset = offset_};
  }

 private:
  std::unique_ptr<storage::BlobReader> reader_;
  std::uint64_t offset_;
};

void DescribeItem(Response& res, const model::Item& item) {
  res.headers.Set("ETag", proto::http::QuoteEtag(item.etag));
  res.headers.Set("Last-Modified", proto::http::FormatHttpDate(item.modified));
}

Response NotModified(const model::Item& item) {
  Response res;
  res.status = 304;
  DescribeItem(res, item);
  res.omit_body = true;
  return res;
}

// RFC 9110 §13.2.2: If-Match, If-Unmodified-Since, If-None-Match, If-Modified-Since, in order.
std::optional<Response> EvaluateReadConditions(const proto::http::Headers& headers,
                                               const model::Item& item) {
  const auto conditions = proto::http::ParsePreconditions(headers);
  if (!conditions.if_match.empty() || conditions.if_match_any) {
    if (!conditions.IfMatchHolds(item.etag)) {
      return DavError(
          MakeError(Errc::kPreconditionFailed, "If-Match failed", "precondition failed"));
    }
  } else if (auto since = headers.Get("If-Unmodified-Since")) {
    const auto date = proto::http::ParseHttpDate(*since);
    if (date && item.modified > *date) {
      return DavError(
          MakeError(Errc::kPreconditionFailed, "modified since", "precondition failed"));
    }
  }
  if (!conditions.if_none_match.empty() || conditions.if_none_match_any) {
    if (!conditions.IfNoneMatchHolds(item.etag)) return NotModified(item);
  } else if (auto since = headers.Get("If-Modified-Since")) {
    const auto date = proto::http::ParseHttpDate(*since);
    if (date && item.modified <= *date) return NotModified(item);
  }
  return std::nullopt;
}

// RFC 9110 §13.1.5: If-Range with an entity tag (strong match) or a date (exact match).
bool RangeStillValid(const proto::http::Headers& headers, const model::Item& item) {
  const auto if_range = headers.Get("If-Range");
  if (!if_range) return true;
  if (if_range->starts_with("\"")) return *if_range == proto::http::QuoteEtag(item.etag);
  const auto date = proto::http::ParseHttpDate(*if_range);
  return date && *date == item.modified;
}

}  // namespace

Reply HandleGet(FileRequestPtr req) {
  if (proto::http::FindQueryParameter(req->http.query, "download") == "zip") {
    return HandleZipDownload(std::move(req));
  }
  const service::FileTarget& target = req->target;
  if (!target.item) {
    if (target.folder) {
      auto res = Response::Text(200, "This is a folder; WebDAV clients list it with PROPFIND.\n");
      return res;
    }
    return DavError(MakeError(Errc::kNotFound, "no file " + target.name, "not found"));
  }
  const model::Item& item = *target.item;
  if (auto answered = EvaluateReadConditions(req->http.headers, item)) return std::move(*answered);
  Response res;
  DescribeItem(res, item);
  res.headers.Set("Content-Type", std::string(ContentTypeOf(item)));
  res.headers.Set("Accept-Ranges", "bytes");
  res.stream_length = item.size;
  std::uint64_t offset = 0;
  if (auto range = req->http.headers.Get("Range");
      range && RangeStillValid(req->http.headers, item)) {
    const auto parsed = proto::http::ParseRange(*range, item.size);
    if (parsed.verdict == proto::http::RangeVerdict::kUnsatisfiable) {
      Response bad = DavError(
          MakeError(Errc::kRangeNotSatisfiable, "range outside body", "range not satisfiable"));
      bad.headers.Set("Content-Range", "bytes */" + std::to_string(item.size));
      return bad;
    }
    if (parsed.verdict == proto::http::RangeVerdict::kPartial) {
      res.status = 206;
      offset = parsed.range.first;
      res.stream_length = parsed.range.length;
      res.headers.Set("Content-Range", "bytes " + std::to_string(offset) + "-" +
                                           std::to_string(offset + parsed.range.length - 1) + "/" +
                                           std::to_string(item.size));
    }
  }
  if (req->http.method == "HEAD") {
    res.omit_body = true;
    return res;
  }
  if (target.inline_content && res.status == 200) {
    // A small file's bytes came with Resolve(): they go out with the head in one write.
    res.body = std::move(*req->target.inline_content);
    return res;
  }
  auto opened = req->files.Open(target, offset);
  if (!opened) return DavError(opened.error());
  res.stream = std::make_unique<BlobBody>(std::move(opened->reader), offset);
  return res;
}

namespace {

// Streams a PUT body into the file service; the upload commits once the body is complete.
class PutSink final : public proto::http::UploadSink {
 public:
  explicit PutSink(std::unique_ptr<service::Upload> upload) : upload_(std::move(upload)) {}

  bool Write(std::span<const char> data) override {
    auto written = upload_->Write(data);
    if (!written) failure_ = written.error();
    return written.has_value();
  }

  Response Finish() override {
    if (failure_) {
      auto res = DavError(*failure_);
      res.close = true;  // The rest of the body was not read.
      return res;
    }
    auto outcome = upload_->Commit();
    if (!outcome) return DavError(outcome.error());
    Response res;
    res.status = outcome->created ? 201 : 204;
    DescribeItem(res, outcome->item);
    return res;
  }

 private:
  std::unique_ptr<service::Upload> upload_;
  std::optional<Error> failure_;
};

Reply StartPut(const FileRequestPtr& req) {
  if (auto allowed =
          CheckWrite(*req, {{.path = req->path(), .membership = !req->target.item.has_value()}});
      !allowed) {
    return DavError(allowed.error());
  }
  std::string content_type(req->http.headers.Get("Content-Type").value_or(""));
  auto upload =
      req->files.BeginUpload(req->target, proto::http::ParsePreconditions(req->http.headers),
                             req->http.content_length, std::move(content_type));
  if (!upload) return DavError(upload.error());
  return std::unique_ptr<proto::http::UploadSink>(std::make_unique<PutSink>(std::move(*upload)));
}

}  // namespace

Reply HandlePut(FileRequestPtr req) {
  // RFC 9110 §14.4: a server that does not support partial PUT must refuse Content-Range.
  if (req->http.headers.Has("Content-Range")) {
    return DavError(
        MakeError(Errc::kInvalidInput, "PUT with Content-Range", "partial PUT is not supported"));
  }
  // Without an If header the lock check reads only the lock table; with one, it may read the
  // store for tagged resources, which is blocking work.
  if (req->http.headers.Has("If")) {
    return proto::http::BlockingStep([req]() -> Reply { return StartPut(req); });
  }
  return StartPut(req);
}

}  // namespace regie::frontend::dav
