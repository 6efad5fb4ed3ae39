#include "proto/http/query.h"

#include <boost/url/params_view.hpp>
#include <boost/url/parse_query.hpp>

namespace regie::proto::http {

std::optional<std::string> FindQueryParameter(std::string_view query, std::string_view key) {
  auto parsed = boost::urls::parse_query(query);
  if (!parsed) return std::nullopt;
  const boost::urls::params_view params = *parsed;
  const auto it = params.find(key);
  if (it == params.end()) return std::nullopt;
  const boost::urls::param found = *it;
  return found.value;
}

}  // namespace regie::proto::http
