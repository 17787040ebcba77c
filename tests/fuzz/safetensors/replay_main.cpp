// Replays the fuzz corpus through the fuzz target without libFuzzer (any
// compiler), plus deterministic mutations of every seed (bit flips, cuts,
// length-field edits), so CI exercises the parser on malformed input too.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

std::vector<uint8_t> readFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void run(const std::vector<uint8_t>& b) {
  LLVMFuzzerTestOneInput(b.data(), b.size());
}

size_t mutate(const std::vector<uint8_t>& seed, std::mt19937& rng, int count) {
  size_t runs = 0;
  for (int i = 0; i < count; ++i) {
    std::vector<uint8_t> m = seed;
    switch (rng() % 5) {
      case 0:  // flip bits
        for (int k = 0; k < 1 + int(rng() % 4) && !m.empty(); ++k)
          m[rng() % m.size()] ^= uint8_t(1u << (rng() % 8));
        break;
      case 1:  // truncate
        m.resize(m.empty() ? 0 : rng() % m.size());
        break;
      case 2:  // rewrite the length field
        if (m.size() >= 8) m[rng() % 8] = uint8_t(rng());
        break;
      case 3:  // replace a digit in the header (offsets, shapes)
        for (size_t k = 8; k < m.size(); ++k) {
          if (m[k] >= '0' && m[k] <= '9' && rng() % 4 == 0) {
            m[k] = uint8_t('0' + rng() % 10);
            break;
          }
        }
        break;
      default:  // append or drop data bytes
        if (rng() % 2) {
          m.resize(m.size() + 1 + rng() % 16, 0);
        } else if (!m.empty()) {
          m.pop_back();
        }
    }
    run(m);
    ++runs;
  }
  return runs;
}

}  // namespace

int main(int argc, char** argv) {
  int mutations = 0;
  size_t runs = 0, seeds = 0;
  std::mt19937 rng(12345);
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind("--mutations=", 0) == 0) {
      mutations = std::stoi(arg.substr(12));
      continue;
    }
    std::vector<std::filesystem::path> files;
    if (std::filesystem::is_directory(arg)) {
      for (const auto& e : std::filesystem::directory_iterator(arg)) files.push_back(e.path());
    } else {
      files.push_back(arg);
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      const auto bytes = readFile(f);
      run(bytes);
      ++runs;
      ++seeds;
      runs += mutate(bytes, rng, mutations);
    }
  }
  if (seeds == 0) {
    std::fprintf(stderr, "no corpus files given\n");
    return 1;
  }
  std::printf("replayed %zu seeds, %zu inputs in all: no crash\n", seeds, runs);
  return 0;
}
