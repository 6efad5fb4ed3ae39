// The contract between the transport (net/) and the request handlers (frontend/).
//
// The transport reads a request head and calls Handler::Handle() on an I/O thread. Handle() must
// return quickly: it answers at once, or hands back blocking work (password hashing, fsync) for
// the transport to run on its blocking pool, or asks for the request body to be streamed into an
// UploadSink. The transport owns the Request until the response is written, so continuations may
// hold references to it.
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <variant>

#include "proto/http/message.h"

namespace regie::proto::http {

// Receives a request body as it arrives. Destroying a sink without Finish() abandons the upload
// (client gone, timeout): it must leave nothing visible behind.
class UploadSink {
 public:
  virtual ~UploadSink() = default;
  // Called on an I/O thread for each piece of the body; must be short (a local file write).
  // Returns false to stop reading: the body is refused, Finish() then says why.
  virtual bool Write(std::span<const char> data) = 0;
  // Called on the blocking pool after the whole body arrived or Write() returned false.
  virtual Response Finish() = 0;
};

struct Reply;
// Blocking work, run on the transport's blocking pool; yields the next step.
using BlockingStep = std::function<Reply()>;

struct Reply {
  std::variant<Response, BlockingStep, std::unique_ptr<UploadSink>> next;

  Reply(Response r) : next(std::move(r)) {}                           // NOLINT
  Reply(BlockingStep step) : next(std::move(step)) {}                 // NOLINT
  Reply(std::unique_ptr<UploadSink> sink) : next(std::move(sink)) {}  // NOLINT
};

class Handler {
 public:
  virtual ~Handler() = default;
  // Called on an I/O thread once the request head is read. `request` outlives every step.
  virtual Reply Handle(Request& request) = 0;
};

}  // namespace regie::proto::http
