// Helpers for the avatar_nets tests: scratch files, random-weight fixtures,
// and raw safetensors bytes for the bad-input tests.
#pragma once

#include <unistd.h>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "avatar_nets/nets.h"
#include "avatar_nets/weights.h"

namespace nets_test {

inline std::filesystem::path scratchDir() {
  const char* env = std::getenv("AVATAR_TEST_TMP");
  std::filesystem::path dir = std::filesystem::path(env ? env : "/tmp") / "nets-unit";
  std::filesystem::create_directories(dir);
  return dir;
}

inline std::string scratchFile(const std::string& name) {
  return (scratchDir() / name).string();
}

// Random weights written by the test itself (deterministic per seed; written
// under a private name and renamed, so parallel test processes can share it).
inline std::string randomWeights(avatar::nets::NetKind k, uint64_t seed = 1) {
  const std::string path = scratchFile(std::string(avatar::nets::netName(k)) + "-random-v1-seed" +
                                       std::to_string(seed) + ".safetensors");
  if (!std::filesystem::exists(path)) {
    const std::string mine = path + "." + std::to_string(::getpid());
    avatar::nets::NetStatus s = avatar::nets::writeRandomWeights(k, mine, seed);
    EXPECT_TRUE(s) << s.message();
    std::filesystem::rename(mine, path);
  }
  return path;
}

inline std::vector<uint8_t> readBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(in)),
                              std::istreambuf_iterator<char>());
}

inline void writeBytes(const std::string& path, const std::vector<uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
}

// A file: u64 length + `header` (as given, no checks) + `dataBytes` zero bytes.
inline std::vector<uint8_t> rawFile(const std::string& header, size_t dataBytes) {
  std::vector<uint8_t> b(8);
  for (int i = 0; i < 8; ++i) b[size_t(i)] = uint8_t((uint64_t(header.size()) >> (8 * i)) & 0xFF);
  b.insert(b.end(), header.begin(), header.end());
  b.resize(b.size() + dataBytes, 0);
  return b;
}

inline std::vector<float> randomVector(size_t n, uint32_t seed, float lo, float hi) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> d(lo, hi);
  std::vector<float> v(n);
  for (auto& x : v) x = d(rng);
  return v;
}

inline float maxAbsDiff(const std::vector<float>& a, const std::vector<float>& b,
                        size_t offset = 0) {
  float m = 0;
  for (size_t i = 0; i < b.size(); ++i) m = std::max(m, std::abs(a[offset + i] - b[i]));
  return m;
}

}  // namespace nets_test
