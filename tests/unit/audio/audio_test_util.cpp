#include "audio_test_util.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>

#include "avatar/media.h"

namespace fs = std::filesystem;

namespace audio_test {

std::string testdataFile(const std::string& rel) {
  const char* dir = std::getenv("AVATAR_TESTDATA");
  if (!dir || !*dir) return "";
  const fs::path p = fs::path(dir) / rel;
  return fs::exists(p) ? p.string() : "";
}

std::string demoFile(const std::string& name) {
  const char* dir = std::getenv("AVATAR_SOURCE_DIR");
  if (!dir || !*dir) return "";
  const fs::path p = fs::path(dir) / "demo" / name;
  return fs::exists(p) ? p.string() : "";
}

std::string tempPath(const std::string& name) {
  static std::atomic<int> counter{0};
  const char* dir = std::getenv("AVATAR_TEST_TMP");
  fs::path base = (dir && *dir) ? fs::path(dir) : fs::temp_directory_path();
  base /= "audio-" + std::to_string(::getpid());
  fs::create_directories(base);
  return (base / (std::to_string(counter++) + "-" + name)).string();
}

avatar::AudioSamples decode16k(const std::string& path) {
  avatar::AudioSamples audio;
  const avatar::Status s = avatar::decodeAudio(path, 16000, &audio);
  EXPECT_TRUE(s.isOk()) << s.message();
  return audio;
}

int run(const std::string& command) {
  const int rc = std::system(command.c_str());
  return rc;
}

bool speak(const std::string& text, avatar::AudioSamples* out, std::string* why) {
  if (run("command -v espeak-ng >/dev/null 2>&1") != 0) {
    *why = "espeak-ng is not installed (apt-get install espeak-ng)";
    return false;
  }
  const std::string wav = tempPath("speech.wav");
  if (run("espeak-ng -v en-us -s 150 -w '" + wav + "' \"" + text + "\" 2>/dev/null") != 0) {
    *why = "espeak-ng failed";
    return false;
  }
  *out = decode16k(wav);
  return !out->samples.empty();
}

}  // namespace audio_test
