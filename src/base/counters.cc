#include "base/counters.h"

namespace regie {

StoreCounters& GlobalStoreCounters() {
  static StoreCounters counters;
  return counters;
}

ParseCounters& GlobalParseCounters() {
  static ParseCounters counters;
  return counters;
}

AuthCounters& GlobalAuthCounters() {
  static AuthCounters counters;
  return counters;
}

}  // namespace regie
