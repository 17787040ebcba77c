#include <gtest/gtest.h>

#include <cmath>

#include "avatar/media.h"
#include "test_support.h"

using namespace avatar;
using avatar_test::ScratchDir;

namespace {

double rms(const std::vector<float>& s, size_t from, size_t to) {
  double acc = 0;
  for (size_t i = from; i < to; ++i) acc += double(s[i]) * s[i];
  return std::sqrt(acc / double(to - from));
}

// 1.0 s of a 440 Hz sine at amplitude 0.5, 44.1 kHz stereo.
const char* kSine =
    "-f lavfi -i sine=frequency=440:sample_rate=44100:duration=1 -af volume=1.0 -ac 2";

}  // namespace

class AudioDecode : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!avatar_test::haveTool("ffmpeg"))
      GTEST_SKIP() << "ffmpeg CLI absent: fixtures cannot be made";
  }
  ScratchDir dir_{"audio"};
  std::string make(const std::string& name, const std::string& args) {
    const std::string path = dir_.file(name);
    EXPECT_TRUE(avatar_test::run("ffmpeg -y -v error " + args + " " + path)) << name;
    return path;
  }
};

TEST_F(AudioDecode, EveryCommonFormatDecodesToMono16k) {
  // ffmpeg's sine source has amplitude 1/8.
  const double expectedRms = 0.125 / std::sqrt(2.0);
  const std::pair<std::string, std::string> cases[] = {
      {"s.wav", kSine},
      {"s.mp3", std::string(kSine) + " -c:a libmp3lame -b:a 128k"},
      {"s.ogg", std::string(kSine) + " -c:a libvorbis"},
      {"s.opus", std::string(kSine) + " -c:a libopus -b:a 96k"},
      {"s.flac", kSine},
      {"s.m4a", std::string(kSine) + " -c:a aac -b:a 128k"},
      {"v.mp4", "-f lavfi -i testsrc=size=64x64:rate=25:duration=1 " + std::string(kSine) +
                    " -c:v libx264 -pix_fmt yuv420p -c:a aac -shortest"},
  };
  for (const auto& [name, args] : cases) {
    const std::string path = make(name, args);
    AudioSamples audio;
    AudioInfo info;
    ASSERT_TRUE(decodeAudio(path, 16000, &audio, &info)) << name;
    EXPECT_EQ(audio.sampleRate, 16000);
    EXPECT_NEAR(audio.durationSec(), 1.0, 0.03) << name;
    EXPECT_NEAR(info.durationSec, audio.durationSec(), 1e-9);
    EXPECT_EQ(info.channels, 2) << name;
    const size_t n = audio.samples.size();
    EXPECT_NEAR(rms(audio.samples, n / 4, 3 * n / 4), expectedRms, 0.1 * expectedRms) << name;
  }
}

TEST_F(AudioDecode, BadAudioGivesDistinctErrorsNamingTheFile) {
  AudioSamples audio;
  const std::string videoOnly =
      make("noaudio.mp4", "-f lavfi -i testsrc=size=64x64:rate=25:duration=1 -c:v libx264");
  Status s = decodeAudio(videoOnly, 16000, &audio);
  EXPECT_EQ(s.code(), ErrorCode::NoAudioStream);
  EXPECT_EQ(s.subject(), videoOnly);
  EXPECT_NE(s.detail().find("video h264"), std::string::npos) << s.message();

  const std::string empty = make("empty.wav", "-f lavfi -i anullsrc=r=16000:cl=mono -t 0");
  EXPECT_EQ(decodeAudio(empty, 16000, &audio).code(), ErrorCode::AudioEmpty);

  const std::string zero = dir_.file("zero.wav");
  avatar_test::writeBytes(zero, {});
  EXPECT_EQ(decodeAudio(zero, 16000, &audio).code(), ErrorCode::InputEmpty);

  const std::string garbage = dir_.file("garbage.wav");
  std::vector<unsigned char> junk(4096);
  for (size_t i = 0; i < junk.size(); ++i) junk[i] = static_cast<unsigned char>((i * 7919) >> 3);
  avatar_test::writeBytes(garbage, junk);
  EXPECT_EQ(decodeAudio(garbage, 16000, &audio).code(), ErrorCode::UnsupportedMedia);

  // A WAV header followed by nothing but a truncated data chunk.
  const std::string wav = make("cut.wav", kSine);
  auto bytes = avatar_test::readBytes(wav);
  bytes.resize(40);
  const std::string cut = dir_.file("cut.wav");
  avatar_test::writeBytes(cut, bytes);
  s = decodeAudio(cut, 16000, &audio);
  EXPECT_TRUE(s.code() == ErrorCode::AudioEmpty || s.code() == ErrorCode::UnsupportedMedia)
      << s.message();

  EXPECT_EQ(decodeAudio(dir_.file("nope.wav"), 16000, &audio).code(), ErrorCode::InputNotFound);
  EXPECT_EQ(decodeAudio(dir_.path().string(), 16000, &audio).code(), ErrorCode::InputNotReadable);
}

TEST_F(AudioDecode, RealSpeechFiles) {
  const std::string hello = avatar_test::testdata("audio/hello.wav");
  const std::string radio = avatar_test::testdata("audio/RD_Radio31_000.wav");
  AVATAR_SKIP_UNLESS(!hello.empty() && !radio.empty(), "../shared/testdata is absent: skipped");
  AudioSamples audio;
  AudioInfo info;
  ASSERT_TRUE(decodeAudio(hello, 16000, &audio, &info));
  EXPECT_EQ(info.sampleRate, 44100);
  EXPECT_NEAR(audio.durationSec(), 2.5, 0.1);
  ASSERT_TRUE(decodeAudio(radio, 16000, &audio, &info));
  EXPECT_EQ(info.channels, 2);
  EXPECT_NEAR(audio.durationSec(), 8.0, 0.2);
}
