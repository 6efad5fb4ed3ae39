#include "proto/http/query.h"

#include <boost/url/params_view.hpp>
#include <boost/url/parse_query.hpp>

namespace regie::proto::http {

std::optional<std::string> FindQueryParameter(std::string_view query, std::string_view key) {
  // Boost.URL 1.81's parse_query measures the query it returns with strlen (it hands s.data()
  // to query_ref's string_view constructor), so it needs a NUL right after the query: a view
  // into a larger buffer is read past its end, a null one crashes. Found by fuzz_web_api_fields;
  // its regression inputs are corpus/web_api_fields/empty-fields and unterminated-query.
  if (query.empty()) return std::nullopt;
  const std::string terminated(query);
  auto parsed = boost::urls::parse_query(terminated);
  if (!parsed) return std::nullopt;
  const boost::urls::params_view params = *parsed;
  const auto it = params.find(key);
  if (it == params.end()) return std::nullopt;
  const boost::urls::param found = *it;
  return found.value;
}

}  // namespace regie::proto::http
