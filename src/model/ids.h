// Strongly typed row identifiers: an OrgId cannot be passed where a PrincipalId is expected.
#pragma once

#include <compare>
#include <cstdint>
#include <functional>

namespace regie::model {

template <typename Tag>
struct Id {
  std::int64_t value = 0;
  constexpr auto operator<=>(const Id&) const = default;
  constexpr bool valid() const { return value > 0; }
};

using OrgId = Id<struct OrgTag>;
using PrincipalId = Id<struct PrincipalTag>;
using CollectionId = Id<struct CollectionTag>;
using ItemId = Id<struct ItemTag>;

}  // namespace regie::model

template <typename Tag>
struct std::hash<regie::model::Id<Tag>> {
  std::size_t operator()(const regie::model::Id<Tag>& id) const noexcept {
    return std::hash<std::int64_t>()(id.value);
  }
};
