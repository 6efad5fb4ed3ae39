#include "frontend/http/request_body.h"

#include "frontend/http/error_response.h"

namespace regie::frontend::http {

using proto::http::Reply;
using proto::http::Response;

namespace {

class BufferSink final : public proto::http::UploadSink {
 public:
  BufferSink(std::size_t limit, std::function<Response(std::string)> then)
      : limit_(limit), then_(std::move(then)) {}

  bool Write(std::span<const char> data) override {
    if (body_.size() + data.size() > limit_) {
      too_large_ = true;
      return false;
    }
    body_.append(data.data(), data.size());
    return true;
  }

  Response Finish() override {
    if (too_large_) {
      Response res = ErrorResponse(
          MakeError(Errc::kTooLarge, "request body over the limit", "request body too large"));
      res.close = true;  // The rest of the body was not read.
      return res;
    }
    return then_(std::move(body_));
  }

 private:
  std::size_t limit_;
  std::function<Response(std::string)> then_;
  std::string body_;
  bool too_large_ = false;
};

}  // namespace

Reply WithBody(const proto::http::Request& request, std::size_t limit,
               std::function<Response(std::string body)> then) {
  if (request.content_length && *request.content_length > limit) {
    Response res = ErrorResponse(
        MakeError(Errc::kTooLarge, "request body over the limit", "request body too large"));
    return res;
  }
  if (!request.has_body) {
    return proto::http::BlockingStep([then = std::move(then)]() -> Reply { return then({}); });
  }
  return std::unique_ptr<proto::http::UploadSink>(
      std::make_unique<BufferSink>(limit, std::move(then)));
}

}  // namespace regie::frontend::http
