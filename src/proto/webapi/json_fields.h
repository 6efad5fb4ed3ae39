// Members of the JSON request objects of /api/v1/ (docs/api.md), read strictly: a member of the
// wrong type is an error that names it, never a silent default. Pure parsing, so that the fuzz
// target (tests/fuzz/fuzz_web_api_fields.cc) needs nothing of the server.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"

namespace regie::proto::webapi {

// The body parsed as one JSON object; kInvalidInput otherwise.
Result<boost::json::object> ParseObject(std::string_view body);

// Members of a request object. Absent members are nullopt; a member of the wrong type is
// kInvalidInput naming it.
Result<std::optional<std::string>> OptionalString(const boost::json::object& object,
                                                  std::string_view name);
Result<std::string> RequiredString(const boost::json::object& object, std::string_view name);
Result<std::optional<std::uint64_t>> OptionalSize(const boost::json::object& object,
                                                  std::string_view name);
Result<std::optional<bool>> OptionalBool(const boost::json::object& object, std::string_view name);

}  // namespace regie::proto::webapi
