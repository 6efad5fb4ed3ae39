// The HTTP front end: routes each request to health, metrics or file handlers, authenticating
// where needed. The net/ transport calls Handle() on an I/O thread (proto/http/handler.h).
#pragma once

#include <atomic>
#include <memory>

#include "frontend/http/authenticate.h"
#include "proto/http/handler.h"
#include "service/auth_service.h"
#include "service/file_service.h"

namespace regie::frontend::http {

struct FrontendOptions {
  AuthPolicy auth;
  bool metrics_public = false;  // /healthz, /readyz, /metrics for non-loopback peers.
};

class HttpFrontend final : public proto::http::Handler {
 public:
  HttpFrontend(FrontendOptions options, std::shared_ptr<service::AuthService> auth,
               std::shared_ptr<service::FileService> files);

  proto::http::Reply Handle(proto::http::Request& request) override;
  // From now on /readyz answers 503, so load balancers stop sending new work.
  void SetDraining() { draining_ = true; }

 private:
  proto::http::Reply HandleOperational(const proto::http::Request& request);

  FrontendOptions options_;
  std::shared_ptr<service::AuthService> auth_;
  std::shared_ptr<service::FileService> files_;
  std::atomic<bool> draining_{false};
};

}  // namespace regie::frontend::http
