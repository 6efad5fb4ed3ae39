// Storage quotas of users and organisations, checked the same way by every service that stores
// content (files, calendar objects, vCards). Internal to service/.
#pragma once

#include <cstdint>
#include <limits>

#include "base/result.h"
#include "model/account.h"
#include "storage/metadata_store.h"

namespace regie::service {

// No quota applies.
inline constexpr std::uint64_t kUnbounded = std::numeric_limits<std::uint64_t>::max();

// The bytes `owner` may still store, as the tighter of the user's and the organisation's quota
// (kUnbounded when neither has one), counting `replaced_size` bytes that a write frees.
Result<std::uint64_t> RemainingQuota(storage::Txn& txn, const model::Principal& owner,
                                     const model::Org& org, std::uint64_t replaced_size);

}  // namespace regie::service
