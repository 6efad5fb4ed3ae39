#include "frontend/http/file_routes.h"

#include <memory>

#include "frontend/http/error_response.h"
#include "proto/http/conditional.h"

namespace regie::frontend::http {

using proto::http::Reply;
using proto::http::Request;
using proto::http::Response;

namespace {

constexpr const char* kAllow = "OPTIONS, GET, HEAD, PUT, DELETE";

class BlobBody final : public proto::http::BodySource {
 public:
  explicit BlobBody(std::unique_ptr<storage::BlobReader> reader) : reader_(std::move(reader)) {}
  Result<std::size_t> Read(std::span<char> out) override { return reader_->Read(out); }

 private:
  std::unique_ptr<storage::BlobReader> reader_;
};

void DescribeItem(Response& res, const model::Item& item) {
  res.headers.Set("ETag", proto::http::QuoteEtag(item.etag));
  res.headers.Set("Last-Modified", proto::http::FormatHttpDate(item.modified));
}

Reply Get(Request& request, const service::FileTarget& target, service::FileService& files) {
  if (!target.item) {
    if (target.folder) {
      auto res = Response::Text(405, "this is a folder; list it with PROPFIND (WebDAV)");
      res.headers.Set("Allow", "OPTIONS, PUT");
      return res;
    }
    return ErrorResponse(MakeError(Errc::kNotFound, "no file " + target.name, "not found"));
  }
  const model::Item& item = *target.item;
  const auto conditions = proto::http::ParsePreconditions(request.headers);
  // RFC 9110 §13.1.2: a GET whose If-None-Match matches is answered 304 Not Modified.
  if (!conditions.if_none_match.empty() || conditions.if_none_match_any) {
    if (!conditions.Allow(item.etag)) {
      Response res;
      res.status = 304;
      DescribeItem(res, item);
      res.omit_body = true;
      return res;
    }
  }
  Response res;
  DescribeItem(res, item);
  res.headers.Set("Content-Type",
                  item.content_type.empty() ? "application/octet-stream" : item.content_type);
  res.stream_length = item.size;
  if (request.method == "HEAD") {
    res.omit_body = true;
    return res;
  }
  auto opened = files.Open(target);
  if (!opened) return ErrorResponse(opened.error());
  res.stream = std::make_unique<BlobBody>(std::move(opened->reader));
  return res;
}

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
      auto res = ErrorResponse(*failure_);
      res.close = true;  // The rest of the body was not read.
      return res;
    }
    auto outcome = upload_->Commit();
    if (!outcome) return ErrorResponse(outcome.error());
    Response res;
    res.status = outcome->created ? 201 : 204;
    DescribeItem(res, outcome->item);
    return res;
  }

 private:
  std::unique_ptr<service::Upload> upload_;
  std::optional<Error> failure_;
};

Reply Put(Request& request, const service::FileTarget& target, service::FileService& files) {
  std::string content_type(request.headers.Get("Content-Type").value_or(""));
  auto upload = files.BeginUpload(target, proto::http::ParsePreconditions(request.headers),
                                  request.content_length, std::move(content_type));
  if (!upload) return ErrorResponse(upload.error());
  return std::unique_ptr<proto::http::UploadSink>(std::make_unique<PutSink>(std::move(*upload)));
}

Reply Delete(Request& request, service::FileTarget target, service::FileService& files) {
  auto conditions = proto::http::ParsePreconditions(request.headers);
  return proto::http::BlockingStep(
      [target = std::move(target), conditions = std::move(conditions), &files]() -> Reply {
        auto deleted = files.Delete(target, conditions);
        if (!deleted) return ErrorResponse(deleted.error());
        Response res;
        res.status = 204;
        return res;
      });
}

}  // namespace

Reply HandleFileRequest(Request& request, const service::Caller& caller, const FilePath& path,
                        service::FileService& files) {
  auto target = files.Resolve(caller, path.owner, path.segments);
  if (!target) return ErrorResponse(target.error());
  const std::string& method = request.method;
  if (method == "GET" || method == "HEAD") return Get(request, *target, files);
  if (method == "PUT") return Put(request, *target, files);
  if (method == "DELETE") return Delete(request, std::move(*target), files);
  Response res;
  res.status = method == "OPTIONS" ? 200 : 405;
  res.headers.Set("Allow", kAllow);
  return res;
}

}  // namespace regie::frontend::http
