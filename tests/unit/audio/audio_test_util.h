// Helpers shared by the audio tests: real inputs and generated speech.
#pragma once

#include <string>
#include <vector>

#include "avatar/image.h"

namespace audio_test {

// $AVATAR_TESTDATA/<rel>, or "" when the directory or file is absent.
std::string testdataFile(const std::string& rel);
// $AVATAR_SOURCE_DIR/demo/<name>, or "" when absent.
std::string demoFile(const std::string& name);
// A fresh path in $AVATAR_TEST_TMP (or /tmp).
std::string tempPath(const std::string& name);

// Decodes any audio file to 16 kHz mono; fails the test on error.
avatar::AudioSamples decode16k(const std::string& path);

// Speaks `text` with espeak-ng into a WAV and decodes it at 16 kHz. Returns
// false (with a reason) when espeak-ng is not installed.
bool speak(const std::string& text, avatar::AudioSamples* out, std::string* why);

// Runs a shell command, returns its exit status.
int run(const std::string& command);

}  // namespace audio_test
