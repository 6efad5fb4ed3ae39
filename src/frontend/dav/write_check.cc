#include "frontend/dav/write_check.h"

#include <algorithm>

#include "frontend/dav/dav_properties.h"
#include "proto/dav/dav_headers.h"
#include "proto/http/conditional.h"

namespace regie::frontend::dav {
namespace {

Result<std::vector<proto::dav::IfList>> IfLists(const FileRequest& req) {
  const auto header = req.http.headers.Get("If");
  if (!header) return std::vector<proto::dav::IfList>{};
  return proto::dav::ParseIfHeader(*header);
}

// The state a condition is compared with: the resource's locks and its entity tag.
struct ResourceState {
  std::vector<service::LockInfo> locks;
  std::optional<std::string> etag;  // Quoted; empty when the resource has none.
};

ResourceState StateOf(const FileRequest& req, const std::vector<std::string>& path) {
  ResourceState state;
  state.locks = req.locks.Covering(req.LockPath(path));
  const service::FileTarget* target = &req.target;
  Result<service::FileTarget> other = req.target;
  if (path != req.path()) {
    other = req.files.Resolve(req.caller, req.owner_login(), path);
    target = other ? &*other : nullptr;
  }
  if (target && target->item) state.etag = proto::http::QuoteEtag(target->item->etag);
  return state;
}

bool Holds(const proto::dav::IfCondition& condition, const ResourceState& state) {
  bool matched = false;
  if (condition.kind == proto::dav::IfConditionKind::kStateToken) {
    matched = std::any_of(state.locks.begin(), state.locks.end(),
                          [&](const service::LockInfo& l) { return l.token == condition.value; });
  } else {
    // Strong comparison: a weak tag never matches (RFC 9110 §8.8.3.2).
    matched = state.etag && !condition.value.starts_with("W/") && *state.etag == condition.value;
  }
  return matched != condition.negated;
}

}  // namespace

std::vector<std::string> SubmittedTokens(const FileRequest& req) {
  std::vector<std::string> tokens;
  auto lists = IfLists(req);
  if (!lists) return tokens;
  for (const auto& list : *lists) {
    for (const auto& condition : list.conditions) {
      if (condition.kind == proto::dav::IfConditionKind::kStateToken && !condition.negated) {
        tokens.push_back(condition.value);
      }
    }
  }
  return tokens;
}

Result<void> EvaluateIf(const FileRequest& req) {
  auto lists = IfLists(req);
  if (!lists) return Fail(lists.error());
  if (lists->empty()) return Ok();
  // RFC 4918 §10.4.2: the header holds when at least one list holds for its resource.
  for (const auto& list : *lists) {
    std::vector<std::string> path = req.path();
    if (list.resource) {
      auto tagged = PathOfUrl(req, *list.resource);
      if (!tagged) continue;  // A resource elsewhere has no state here: the list cannot hold.
      path = std::move(*tagged);
    }
    const ResourceState state = StateOf(req, path);
    if (std::all_of(list.conditions.begin(), list.conditions.end(),
                    [&](const proto::dav::IfCondition& c) { return Holds(c, state); })) {
      return Ok();
    }
  }
  return Fail(Errc::kPreconditionFailed, "If header does not hold", "the If header does not match");
}

Result<void> CheckWrite(const FileRequest& req, const std::vector<WriteScope>& scopes) {
  if (auto holds = EvaluateIf(req); !holds) return holds;
  const auto tokens = SubmittedTokens(req);
  const auto submitted = [&](const service::LockInfo& lock) {
    return lock.principal == req.caller.principal.id &&
           std::find(tokens.begin(), tokens.end(), lock.token) != tokens.end();
  };
  for (const auto& scope : scopes) {
    const std::string key = req.LockPath(scope.path);
    auto locks = scope.recursive ? req.locks.Affecting(key) : req.locks.Covering(key);
    if (scope.membership && !scope.path.empty()) {
      const std::vector<std::string> parent(scope.path.begin(), scope.path.end() - 1);
      auto on_parent = req.locks.Covering(req.LockPath(parent));
      locks.insert(locks.end(), on_parent.begin(), on_parent.end());
    }
    for (const auto& lock : locks) {
      if (!submitted(lock)) {
        // RFC 4918 §16: the condition names the locked resource (href) the token was for.
        Error error = MakeError(Errc::kLocked, "locked: " + key, "the resource is locked");
        error.condition = {"DAV:", "lock-token-submitted"};
        error.condition_href =
            req.HrefOf(SplitLockRoot(lock.root),
                       lock.root_is_collection ? HrefKind::kCollection : HrefKind::kMember);
        return Fail(std::move(error));
      }
    }
  }
  return Ok();
}

}  // namespace regie::frontend::dav
