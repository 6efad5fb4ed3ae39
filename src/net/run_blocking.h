// RunBlocking(): moves a blocking call off the I/O threads. The calling coroutine suspends, `fn`
// runs on `pool`, and the coroutine resumes on its own executor with the result. Internal to net/.
#pragma once

#include <functional>
#include <utility>

#include "net/asio_pch.h"

namespace regie::net {

template <typename R>
boost::asio::awaitable<R> RunBlocking(boost::asio::thread_pool& pool, std::function<R()> fn) {
  namespace asio = boost::asio;
  return asio::async_initiate<const asio::use_awaitable_t<>, void(R)>(
      [&pool](auto handler, std::function<R()> f) {
        // The work guard keeps the I/O context running while the call is away on the pool.
        auto work = asio::make_work_guard(asio::get_associated_executor(handler));
        asio::post(pool, [handler = std::move(handler), f = std::move(f),
                          work = std::move(work)]() mutable {
          R result = f();
          auto executor = asio::get_associated_executor(handler);
          asio::post(executor,
                     [handler = std::move(handler), result = std::move(result)]() mutable {
                       std::move(handler)(std::move(result));
                     });
          work.reset();
        });
      },
      asio::use_awaitable, std::move(fn));
}

}  // namespace regie::net
