#include "storage_test_util.h"

#include <cstdlib>
#include <string>
#include <system_error>

#include "base/crypto.h"

namespace regie::storage::testing {

ScratchDir::ScratchDir() {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern =
      std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/regie-storage-test-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

ScratchDir::~ScratchDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

bool SkippingAllowed() {
  const char* ci = std::getenv("CI");
  return ci == nullptr || *ci == '\0';
}

model::BlobHash HashOf(std::string_view content) { return model::BlobHash{Sha256::Of(content)}; }

}  // namespace regie::storage::testing
