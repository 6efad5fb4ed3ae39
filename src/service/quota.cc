#include "service/quota.h"

#include <algorithm>

namespace regie::service {

Result<std::uint64_t> RemainingQuota(storage::Txn& txn, const model::Principal& owner,
                                     const model::Org& org, std::uint64_t replaced_size) {
  std::uint64_t remaining = kUnbounded;
  const auto apply = [&](std::uint64_t quota, std::uint64_t used) {
    if (quota == 0) return;
    const std::uint64_t after_release = used > replaced_size ? used - replaced_size : 0;
    remaining = std::min(remaining, quota > after_release ? quota - after_release : 0);
  };
  auto user_used = txn.PrincipalUsage(owner.id);
  if (!user_used) return Fail(user_used.error());
  apply(owner.quota, *user_used);
  auto org_used = txn.OrgUsage(org.id);
  if (!org_used) return Fail(org_used.error());
  apply(org.quota, *org_used);
  return remaining;
}

}  // namespace regie::service
