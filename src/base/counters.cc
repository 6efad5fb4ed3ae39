#include "base/counters.h"

namespace regie {

StoreCounters& GlobalStoreCounters() {
  static StoreCounters counters;
  return counters;
}

}  // namespace regie
