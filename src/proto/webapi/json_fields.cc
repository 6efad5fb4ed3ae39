#include "proto/webapi/json_fields.h"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

namespace regie::proto::webapi {

namespace {

Error WrongType(std::string_view name, std::string_view expected) {
  return MakeError(Errc::kInvalidInput, "json member of wrong type",
                   std::string(name) + " must be " + std::string(expected));
}

}  // namespace

Result<boost::json::object> ParseObject(std::string_view body) {
  boost::json::error_code ec;
  boost::json::value value = boost::json::parse(body, ec);
  if (ec || !value.is_object()) {
    return Fail(Errc::kInvalidInput, "request body is not a json object",
                "the body must be a JSON object");
  }
  return std::move(value.as_object());
}

Result<std::optional<std::string>> OptionalString(const boost::json::object& object,
                                                  std::string_view name) {
  const auto* member = object.if_contains(name);
  if (member == nullptr || member->is_null()) return std::optional<std::string>();
  if (!member->is_string()) return Fail(WrongType(name, "a string"));
  return std::optional<std::string>(std::string(member->as_string()));
}

Result<std::string> RequiredString(const boost::json::object& object, std::string_view name) {
  auto value = OptionalString(object, name);
  if (!value) return Fail(value.error());
  if (!*value) {
    return Fail(Errc::kInvalidInput, "json member missing", std::string(name) + " is required");
  }
  return std::move(**value);
}

Result<std::optional<std::uint64_t>> OptionalSize(const boost::json::object& object,
                                                  std::string_view name) {
  const auto* member = object.if_contains(name);
  if (member == nullptr || member->is_null()) return std::optional<std::uint64_t>();
  if (member->is_uint64()) return std::optional<std::uint64_t>(member->as_uint64());
  if (member->is_int64() && member->as_int64() >= 0) {
    return std::optional<std::uint64_t>(static_cast<std::uint64_t>(member->as_int64()));
  }
  return Fail(WrongType(name, "a number of bytes"));
}

Result<std::optional<bool>> OptionalBool(const boost::json::object& object, std::string_view name) {
  const auto* member = object.if_contains(name);
  if (member == nullptr || member->is_null()) return std::optional<bool>();
  if (!member->is_bool()) return Fail(WrongType(name, "true or false"));
  return std::optional<bool>(member->as_bool());
}

}  // namespace regie::proto::webapi
