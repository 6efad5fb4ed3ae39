// The HTTP front end: answers health and metrics itself and routes every other request, once
// authenticated, to the handler registered for its path prefix (route.h). The net/ transport
// calls Handle() on an I/O thread (proto/http/handler.h). Every response leaves through one
// place that sets what all of them share (nosniff; a 401 without a Basic challenge for the web
// app, whose browser must not show its own password dialog).
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "frontend/http/authenticate.h"
#include "frontend/http/route.h"
#include "proto/http/handler.h"
#include "service/auth_service.h"

namespace regie::frontend::http {

struct FrontendOptions {
  AuthPolicy auth;
  bool metrics_public = false;  // /healthz, /readyz, /metrics for non-loopback peers.
  // More series for /metrics (Prometheus text), e.g. the last scrub and backup; runs on an I/O
  // thread, so it must be quick and bounded. Empty: none.
  std::function<std::string()> extra_metrics{};
};

class HttpFrontend final : public proto::http::Handler {
 public:
  // `sessions` may be null: then only HTTP Basic authenticates.
  HttpFrontend(FrontendOptions options, std::shared_ptr<service::AuthService> auth,
               std::shared_ptr<service::SessionService> sessions = nullptr);

  // Registers a route before serving starts; not thread-safe against Handle().
  void AddRoute(Route route);
  const std::vector<Route>& routes() const { return routes_; }

  proto::http::Reply Handle(proto::http::Request& request) override;
  // From now on /readyz answers 503, so load balancers stop sending new work.
  void SetDraining() { draining_ = true; }

 private:
  proto::http::Reply HandleOperational(const proto::http::Request& request);
  proto::http::Reply Dispatch(proto::http::Request& request);

  FrontendOptions options_;
  std::shared_ptr<service::AuthService> auth_;
  std::shared_ptr<service::SessionService> sessions_;
  std::vector<Route> routes_;
  std::atomic<bool> draining_{false};
};

}  // namespace regie::frontend::http
