// Loudness envelope and voice activity on espeak-ng speech with silent gaps
// of known position, generated at test time.
#include <gtest/gtest.h>

#include <cmath>

#include "audio_test_util.h"
#include "avatar/visemes.h"

using namespace avatar;

namespace {

struct GappedSpeech {
  AudioSamples audio;
  double gapStart = 0;  // the inserted silence
  double gapEnd = 0;
};

// "phrase one" + 600 ms of digital silence + "phrase two".
bool makeGappedSpeech(GappedSpeech* out, std::string* why) {
  AudioSamples a, b;
  if (!audio_test::speak("The quick brown fox jumps over the lazy dog", &a, why)) return false;
  if (!audio_test::speak("Then it ran away into the forest", &b, why)) return false;
  out->audio.sampleRate = 16000;
  out->audio.samples = a.samples;
  out->gapStart = a.durationSec();
  out->audio.samples.insert(out->audio.samples.end(), 9600, 0.0f);
  out->gapEnd = out->audio.durationSec();
  out->audio.samples.insert(out->audio.samples.end(), b.samples.begin(), b.samples.end());
  return true;
}

double meanOver(const std::vector<float>& env, double fps, double t0, double t1) {
  double sum = 0;
  int n = 0;
  for (int i = int(std::ceil(t0 * fps)); i < int(t1 * fps) && i < int(env.size()); ++i) {
    sum += env[i];
    ++n;
  }
  return n ? sum / n : 0;
}

bool insideSilence(const VoiceActivity& va, double t) {
  for (const auto& s : va.silences) {
    if (t >= s.startSec && t < s.endSec) return true;
  }
  return false;
}

}  // namespace

TEST(VoiceActivity, FindsTheInsertedGapAndNoFalsePauses) {
  GappedSpeech g;
  std::string why;
  if (!makeGappedSpeech(&g, &why)) GTEST_SKIP() << why;
  VoiceActivity va;
  ASSERT_TRUE(detectVoiceActivity(g.audio, VoiceActivityOptions{}, &va).isOk());
  for (const auto& s : va.silences)
    std::printf("[vad] silence %.2f - %.2f\n", s.startSec, s.endSec);
  std::printf("[vad] inserted gap %.2f - %.2f\n", g.gapStart, g.gapEnd);

  // The spans tile [0, duration].
  double cursor = 0;
  std::vector<TimeSpan> all = va.speech;
  all.insert(all.end(), va.silences.begin(), va.silences.end());
  std::sort(all.begin(), all.end(),
            [](const TimeSpan& a, const TimeSpan& b) { return a.startSec < b.startSec; });
  for (const auto& s : all) {
    EXPECT_NEAR(s.startSec, cursor, 1e-9);
    cursor = s.endSec;
  }
  EXPECT_NEAR(cursor, g.audio.durationSec(), 1e-9);

  // One silence covers the whole inserted gap (speech padding aside).
  int covering = 0;
  for (const auto& s : va.silences) {
    if (s.startSec <= g.gapStart + 0.05 && s.endSec >= g.gapEnd - 0.05) ++covering;
  }
  EXPECT_EQ(covering, 1);
  // Both phrases are mostly speech: at most two short pauses per phrase.
  double silentInside = 0;
  for (const auto& s : va.silences) {
    const double a = std::max(s.startSec, 0.3), b = std::min(s.endSec, g.gapStart - 0.3);
    if (b > a) silentInside += b - a;
  }
  EXPECT_LT(silentInside, 0.5);
  EXPECT_GE(va.speech.size(), 2u);
}

TEST(VoiceActivity, PureSilenceAndErrors) {
  AudioSamples silence{16000, std::vector<float>(32000, 0.0f)};
  VoiceActivity va;
  ASSERT_TRUE(detectVoiceActivity(silence, VoiceActivityOptions{}, &va).isOk());
  EXPECT_TRUE(va.speech.empty());
  ASSERT_EQ(va.silences.size(), 1u);
  EXPECT_DOUBLE_EQ(va.silences[0].endSec, 2.0);

  AudioSamples wrong{44100, std::vector<float>(100, 0.0f)};
  EXPECT_EQ(detectVoiceActivity(wrong, {}, &va).code(), ErrorCode::InvalidArgument);
  AudioSamples empty{16000, {}};
  EXPECT_EQ(detectVoiceActivity(empty, {}, &va).code(), ErrorCode::AudioEmpty);
  VoiceActivityOptions bad;
  bad.minSilenceMs = -1;
  EXPECT_EQ(detectVoiceActivity(silence, bad, &va).code(), ErrorCode::InvalidArgument);
}

TEST(LoudnessEnvelope, LowInGapHighInSpeechAndLevelIndependent) {
  GappedSpeech g;
  std::string why;
  if (!makeGappedSpeech(&g, &why)) GTEST_SKIP() << why;
  const double fps = 25;
  std::vector<float> env;
  ASSERT_TRUE(computeLoudnessEnvelope(g.audio, fps, &env).isOk());
  EXPECT_EQ(env.size(), size_t(std::ceil(g.audio.durationSec() * fps - 1e-9)));
  for (float v : env) {
    ASSERT_GE(v, 0.0f);
    ASSERT_LE(v, 1.0f);
  }
  const double gap = meanOver(env, fps, g.gapStart + 0.1, g.gapEnd - 0.1);
  const double speech = meanOver(env, fps, 0.3, g.gapStart - 0.3);
  std::printf("[env] mean in gap %.3f, in speech %.3f\n", gap, speech);
  EXPECT_LT(gap, 0.05);
  EXPECT_GT(speech, 0.4);

  // 20 dB quieter: the same envelope (normalised by a high percentile).
  AudioSamples quiet = g.audio;
  for (float& s : quiet.samples) s *= 0.1f;
  std::vector<float> envQuiet;
  ASSERT_TRUE(computeLoudnessEnvelope(quiet, fps, &envQuiet).isOk());
  ASSERT_EQ(envQuiet.size(), env.size());
  double maxDiff = 0;
  for (size_t i = 0; i < env.size(); ++i)
    maxDiff = std::max(maxDiff, double(std::abs(env[i] - envQuiet[i])));
  EXPECT_LT(maxDiff, 0.02);

  // Other frame rates give the matching number of frames.
  ASSERT_TRUE(computeLoudnessEnvelope(g.audio, 30, &env).isOk());
  EXPECT_EQ(env.size(), size_t(std::ceil(g.audio.durationSec() * 30 - 1e-9)));
  EXPECT_EQ(computeLoudnessEnvelope(g.audio, 0, &env).code(), ErrorCode::InvalidArgument);
}

TEST(LoudnessEnvelope, SilenceIsZero) {
  AudioSamples silence{16000, std::vector<float>(16000, 0.0f)};
  std::vector<float> env;
  ASSERT_TRUE(computeLoudnessEnvelope(silence, 25, &env).isOk());
  ASSERT_EQ(env.size(), 25u);
  for (float v : env) EXPECT_EQ(v, 0.0f);
}
