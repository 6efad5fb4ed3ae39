// Runs a fuzz target over files (its committed corpus) without libFuzzer, so that every build,
// including g++ ones, replays the corpus as a regression test. Usage: replay FILE_OR_DIR...
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

int main(int argc, char** argv) {
  std::size_t runs = 0;
  for (int i = 1; i < argc; ++i) {
    std::vector<std::filesystem::path> files;
    if (std::filesystem::is_directory(argv[i])) {
      for (const auto& entry : std::filesystem::directory_iterator(argv[i])) {
        if (entry.is_regular_file()) files.push_back(entry.path());
      }
    } else {
      files.emplace_back(argv[i]);
    }
    for (const auto& file : files) {
      std::ifstream in(file, std::ios::binary);
      const std::string bytes((std::istreambuf_iterator<char>(in)),
                              std::istreambuf_iterator<char>());
      // An exactly-sized heap copy, as libFuzzer passes it: a parser reading one byte past the
      // input must trip AddressSanitizer here too, not land on std::string's terminating NUL.
      const auto input = std::make_unique<std::uint8_t[]>(bytes.size());
      std::memcpy(input.get(), bytes.data(), bytes.size());
      LLVMFuzzerTestOneInput(input.get(), bytes.size());
      ++runs;
    }
  }
  std::printf("replayed %zu inputs\n", runs);
  return runs > 0 ? 0 : 1;
}
