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
  if (path == req.path()) {
    if (req.target.item) state.etag = proto::http::QuoteEtag(req.target.item->etag);
    return state;
  }
  auto other = req.files.Resolve(req.caller, req.owner_login(), path);
  if (other && other->item) state.etag = proto::http::QuoteEtag(other->item->etag);
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

// The lock tokens the lists name (not negated): the tokens the request submits.
std::vector<std::string> TokensOf(const std::vector<proto::dav::IfList>& lists) {
  std::vector<std::string> tokens;
  for (const auto& list : lists) {
    for (const auto& condition : list.conditions) {
      if (condition.kind == proto::dav::IfConditionKind::kStateToken && !condition.negated) {
        tokens.push_back(condition.value);
      }
    }
  }
  return tokens;
}

// RFC 4918 §10.4.2: the header holds when at least one list holds for its resource; no lists,
// no condition.
Result<void> HeaderHolds(const FileRequest& req, const std::vector<proto::dav::IfList>& lists) {
  if (lists.empty()) return Ok();
  for (const auto& list : lists) {
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

}  // namespace

std::vector<std::string> SubmittedTokens(const FileRequest& req) {
  auto lists = IfLists(req);
  return lists ? TokensOf(*lists) : std::vector<std::string>{};
}

Result<void> EvaluateIf(const FileRequest& req) {
  auto lists = IfLists(req);
  if (!lists) return Fail(lists.error());
  return HeaderHolds(req, *lists);
}

Result<void> CheckWrite(const FileRequest& req, const std::vector<WriteScope>& scopes) {
  auto lists = IfLists(req);
  if (!lists) return Fail(lists.error());
  if (auto holds = HeaderHolds(req, *lists); !holds) return holds;
  const auto tokens = TokensOf(*lists);
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
        error.condition_href = LockRootHref(req, lock);
        return Fail(std::move(error));
      }
    }
  }
  return Ok();
}

}  // namespace regie::frontend::dav
