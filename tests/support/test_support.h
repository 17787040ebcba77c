// Helpers shared by the C++ tests: environment, scratch directories,
// running tools that make fixtures, skipping when real data is absent.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

namespace avatar_test {

inline std::string env(const char* name, const char* fallback = "") {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}

// ../shared/testdata/<rel>, or "" when the folder is absent.
inline std::string testdata(const std::string& rel) {
  const std::string dir = env("AVATAR_TESTDATA");
  if (dir.empty()) return {};
  const std::string p = dir + "/" + rel;
  return std::filesystem::exists(p) ? p : std::string();
}

// demo/<name> made by scripts/setup.sh, or "" when absent.
inline std::string demoInput(const std::string& name) {
  const std::string p = env("AVATAR_SOURCE_DIR") + "/demo/" + name;
  return std::filesystem::exists(p) ? p : std::string();
}

inline std::string modelsDir() {
  return env("AVATAR_MODELS_DIR");
}

// A fresh directory under the build tree's test-tmp, removed at destruction.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& tag = "t") {
    std::random_device rd;
    const std::string base = env("AVATAR_TEST_TMP", "/tmp");
    path_ = std::filesystem::path(base) /
            (tag + "-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
             std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Runs a shell command (fixture tools: ffmpeg, sox, espeak-ng); true on exit 0.
inline bool run(const std::string& cmd) {
  return std::system((cmd + " >/dev/null 2>&1").c_str()) == 0;
}

inline bool haveTool(const std::string& tool) {
  return run("command -v " + tool);
}

inline void writeBytes(const std::string& path, const std::vector<unsigned char>& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
}

inline std::vector<unsigned char> readBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Temporary files of the output `out`: <out>.<tag>.part (and <out>.part).
inline int partialFiles(const std::string& out) {
  const std::filesystem::path p(out);
  const std::string prefix = p.filename().string() + ".";
  int n = 0;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(
           p.has_parent_path() ? p.parent_path() : std::filesystem::path("."), ec)) {
    const std::string name = e.path().filename().string();
    if (name.rfind(prefix, 0) == 0 && name.size() >= 5 && name.substr(name.size() - 5) == ".part")
      ++n;
  }
  return n;
}

}  // namespace avatar_test

#define AVATAR_SKIP_UNLESS(cond, why) \
  do {                                \
    if (!(cond)) GTEST_SKIP() << why; \
  } while (0)
