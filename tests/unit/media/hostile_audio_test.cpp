// decodeAudio against headers that lie and samples that are not numbers:
// memory follows what is decoded, the duration limit holds, NaN/Inf become
// silence, and rates no speech has are refused by name.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>

#include "avatar/media.h"
#include "test_support.h"

using namespace avatar;
using avatar_test::ScratchDir;

namespace {

void put32(std::string& s, uint32_t v) {
  for (int i = 0; i < 4; ++i) s += char((v >> (8 * i)) & 0xFF);
}
void put16(std::string& s, uint16_t v) {
  s += char(v & 0xFF);
  s += char(v >> 8);
}

// A mono WAV: format 1 (int16) or 3 (float32). `claimedDataBytes` is what
// the header says, whatever follows.
std::string wav(int format, int rate, const std::vector<float>& samples,
                uint32_t claimedDataBytes = 0) {
  const int bytes = format == 3 ? 4 : 2;
  std::string data;
  for (float x : samples) {
    if (format == 3) {
      uint32_t u;
      std::memcpy(&u, &x, 4);
      put32(data, u);
    } else {
      put16(data, uint16_t(int16_t(std::lround(std::max(-1.f, std::min(1.f, x)) * 32767))));
    }
  }
  const uint32_t dataBytes = claimedDataBytes ? claimedDataBytes : uint32_t(data.size());
  std::string out = "RIFF";
  put32(out, 36 + dataBytes);
  out += "WAVEfmt ";
  put32(out, 16);
  put16(out, uint16_t(format));
  put16(out, 1);
  put32(out, uint32_t(rate));
  put32(out, uint32_t(rate * bytes));
  put16(out, uint16_t(bytes));
  put16(out, uint16_t(bytes * 8));
  out += "data";
  put32(out, dataBytes);
  return out + data;
}

std::vector<float> tone(double sec, int rate) {
  std::vector<float> s(size_t(sec * rate));
  for (size_t i = 0; i < s.size(); ++i) s[i] = 0.4f * float(std::sin(2 * M_PI * 220 * i / rate));
  return s;
}

std::string write(const ScratchDir& dir, const std::string& name, const std::string& bytes) {
  const std::string p = dir.file(name);
  std::ofstream(p, std::ios::binary) << bytes;
  return p;
}

}  // namespace

TEST(HostileAudio, AHeaderClaimingDaysCostsOnlyWhatIsDecoded) {
  ScratchDir dir("claim");
  const std::string p = write(dir, "claims.wav", wav(1, 16000, tone(1.0, 16000), 0xFFFFFF00));
  AudioSamples audio;
  AudioInfo info;
  ASSERT_TRUE(decodeAudio(p, 16000, &audio, &info));
  EXPECT_NEAR(audio.durationSec(), 1.0, 0.01);
  EXPECT_NEAR(info.durationSec, 1.0, 0.01) << "the duration reported is the decoded one";
  EXPECT_LE(audio.samples.capacity(), size_t(1 << 17)) << "capacity at most doubles the audio";
}

TEST(HostileAudio, ATruthfulHeaderGetsCapacityWithinOnePercent) {
  ScratchDir dir("truth");
  const std::string p = write(dir, "ten.wav", wav(1, 16000, tone(10.0, 16000)));
  AudioSamples audio;
  ASSERT_TRUE(decodeAudio(p, 16000, &audio));
  EXPECT_EQ(audio.samples.size(), 160000u);
  EXPECT_LE(double(audio.samples.capacity()), 160000 * 1.01 + 65536 + 4096);
}

TEST(HostileAudio, LongerThanTheLimitIsInputTooLongNamingFileAndLimit) {
  ScratchDir dir("long");
  const std::string p = write(dir, "six.wav", wav(1, 8000, tone(6.0, 8000)));
  AudioSamples audio;
  const Status s = decodeAudio(p, 16000, &audio, nullptr, 5.0);
  EXPECT_EQ(s.code(), ErrorCode::InputTooLong);
  EXPECT_EQ(s.subject(), p);
  EXPECT_NE(s.detail().find("5 s"), std::string::npos) << s.detail();
  EXPECT_TRUE(audio.samples.empty());
  EXPECT_TRUE(decodeAudio(p, 16000, &audio, nullptr, 6.5));
  EXPECT_EQ(decodeAudio(p, 16000, &audio, nullptr, 0).code(), ErrorCode::InvalidArgument);
  EXPECT_EQ(decodeAudio(p, 16000, &audio, nullptr, 1e9).code(), ErrorCode::InvalidArgument);
}

TEST(HostileAudio, RatesAndChannelCountsNoSpeechHasAreRefused) {
  ScratchDir dir("rate");
  const std::string p = write(dir, "one_hz.wav", wav(1, 1, std::vector<float>(500000, 0.1f)));
  AudioSamples audio;
  const Status s = decodeAudio(p, 16000, &audio);
  EXPECT_EQ(s.code(), ErrorCode::UnsupportedMedia);
  EXPECT_EQ(s.subject(), p);
  EXPECT_NE(s.detail().find("1 Hz"), std::string::npos) << s.detail();
  // Found by fuzz_audio_probe: at 268 MHz building the resampler alone took
  // minutes.
  const std::string fast = write(dir, "fast.wav", wav(3, 268443456, tone(0.01, 16000)));
  const Status f = decodeAudio(fast, 16000, &audio);
  EXPECT_EQ(f.code(), ErrorCode::UnsupportedMedia);
  EXPECT_NE(f.detail().find("268443456 Hz"), std::string::npos) << f.detail();
}

TEST(HostileAudio, NanAndInfSamplesBecomeSilence) {
  ScratchDir dir("nan");
  std::vector<float> s = tone(1.0, 16000);
  for (size_t i = 0; i < s.size(); i += 1000) s[i] = std::numeric_limits<float>::quiet_NaN();
  s[7] = std::numeric_limits<float>::infinity();
  s[9] = -std::numeric_limits<float>::infinity();
  for (int rate : {16000, 44100}) {  // without and with resampling
    const std::string p = write(dir, "nan" + std::to_string(rate) + ".wav", wav(3, rate, s));
    AudioSamples audio;
    ASSERT_TRUE(decodeAudio(p, 16000, &audio)) << rate;
    size_t loud = 0;
    for (float x : audio.samples) {
      ASSERT_TRUE(std::isfinite(x)) << rate;
      loud += std::fabs(x) > 0.2f;
    }
    EXPECT_GT(loud, audio.samples.size() / 4) << "the tone survives";
  }
}
