// Spectral visemes: X in silences, opening follows loudness, vowels differ,
// deterministic.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <map>

#include "audio_test_util.h"
#include "avatar/visemes.h"

using namespace avatar;

namespace {

void expectGapFree(const VisemeTrack& track, double duration) {
  ASSERT_FALSE(track.empty());
  EXPECT_DOUBLE_EQ(track.front().startSec, 0.0);
  for (size_t i = 1; i < track.size(); ++i) {
    EXPECT_DOUBLE_EQ(track[i].startSec, track[i - 1].endSec);
    EXPECT_NE(track[i].shape, track[i - 1].shape);
  }
  for (const auto& c : track) EXPECT_GT(c.endSec, c.startSec);
  EXPECT_NEAR(track.back().endSec, duration, 1e-9);
}

double pearson(const std::vector<double>& a, const std::vector<double>& b) {
  const size_t n = std::min(a.size(), b.size());
  double ma = 0, mb = 0;
  for (size_t i = 0; i < n; ++i) {
    ma += a[i];
    mb += b[i];
  }
  ma /= n;
  mb /= n;
  double sab = 0, saa = 0, sbb = 0;
  for (size_t i = 0; i < n; ++i) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) * (a[i] - ma);
    sbb += (b[i] - mb) * (b[i] - mb);
  }
  return sab / std::sqrt(saa * sbb + 1e-30);
}

std::string letters(const VisemeTrack& t) {
  std::string s;
  for (const auto& c : t) s += visemeLetter(c.shape);
  return s;
}

// Opening implied by the visemes vs the loudness envelope, per 25 fps frame.
double openingLoudnessCorrelation(const AudioSamples& audio, const char* label) {
  SpeechAnalysis a;
  EXPECT_TRUE(analyzeSpeech(audio, 25, VisemeOptions{}, &a).isOk());
  expectGapFree(a.visemes, audio.durationSec());
  std::vector<double> opening, loud;
  for (size_t i = 0; i < a.envelope.size(); ++i) {
    opening.push_back(visemeMouthOpening(visemeAt(a.visemes, (i + 0.5) / 25.0)));
    loud.push_back(a.envelope[i]);
  }
  const double r = pearson(opening, loud);
  std::map<char, double> seconds;
  for (const auto& c : a.visemes) seconds[visemeLetter(c.shape)] += c.endSec - c.startSec;
  std::printf("[visemes] %s: %zu cues, r(opening, loudness) = %.3f, shares:", label,
              a.visemes.size(), r);
  for (auto& [k, v] : seconds) std::printf(" %c %.0f%%", k, 100 * v / audio.durationSec());
  std::printf("\n[visemes] %s: %s\n", label, letters(a.visemes).c_str());
  return r;
}

// The speaking shape (not X) held longest inside [t0, t1).
Viseme dominantShape(const VisemeTrack& track, double t0, double t1) {
  std::map<Viseme, double> d;
  for (const auto& c : track) {
    if (c.shape == Viseme::X) continue;
    const double a = std::max(t0, c.startSec), b = std::min(t1, c.endSec);
    if (b > a) d[c.shape] += b - a;
  }
  Viseme best = Viseme::X;
  double most = -1;
  for (auto& [v, s] : d) {
    if (s > most) {
      most = s;
      best = v;
    }
  }
  return best;
}

}  // namespace

TEST(SpectralVisemes, SilenceIsAllX) {
  AudioSamples silence{16000, std::vector<float>(40000, 0.0f)};
  VisemeTrack track;
  ASSERT_TRUE(estimateVisemes(silence, &track).isOk());
  ASSERT_EQ(track.size(), 1u);
  EXPECT_EQ(track[0].shape, Viseme::X);
  EXPECT_DOUBLE_EQ(track[0].endSec, 2.5);
  AudioSamples wrong{8000, std::vector<float>(100, 0.1f)};
  EXPECT_EQ(estimateVisemes(wrong, &track).code(), ErrorCode::InvalidArgument);
  EXPECT_TRUE(track.empty());
}

TEST(SpectralVisemes, NonFiniteSamplesAreTreatedAsSilence) {
  AudioSamples audio{16000, std::vector<float>(16000, 0.0f)};
  for (size_t i = 0; i < audio.samples.size(); i += 7) {
    audio.samples[i] = std::numeric_limits<float>::quiet_NaN();
  }
  audio.samples[100] = std::numeric_limits<float>::infinity();
  SpeechAnalysis a;
  ASSERT_TRUE(analyzeSpeech(audio, 25, VisemeOptions{}, &a).isOk());
  ASSERT_EQ(a.visemes.size(), 1u);
  EXPECT_EQ(a.visemes[0].shape, Viseme::X);
  for (float v : a.envelope) EXPECT_EQ(v, 0.0f);
}

TEST(SpectralVisemes, XDuringInsertedSilenceAndDeterministic) {
  AudioSamples a, b;
  std::string why;
  if (!audio_test::speak("Hello, my name is Alice", &a, &why)) GTEST_SKIP() << why;
  if (!audio_test::speak("I like to talk about the weather", &b, &why)) GTEST_SKIP() << why;
  AudioSamples audio{16000, a.samples};
  const double gapStart = audio.durationSec();
  audio.samples.insert(audio.samples.end(), 9600, 0.0f);
  const double gapEnd = audio.durationSec();
  audio.samples.insert(audio.samples.end(), b.samples.begin(), b.samples.end());

  VisemeTrack track, again;
  ASSERT_TRUE(estimateVisemes(audio, &track).isOk());
  expectGapFree(track, audio.durationSec());
  for (double t = gapStart + 0.05; t < gapEnd - 0.05; t += 0.01) {
    ASSERT_EQ(visemeAt(track, t), Viseme::X) << "at " << t << " s inside the inserted gap";
  }
  // Speech is not all one shape: at least 4 different shapes, some closures.
  std::map<Viseme, int> used;
  for (const auto& c : track) used[c.shape]++;
  EXPECT_GE(used.size(), 5u);
  EXPECT_GT(used[Viseme::A], 0);
  openingLoudnessCorrelation(audio, "espeak two phrases");

  ASSERT_TRUE(estimateVisemes(audio, &again).isOk());
  ASSERT_EQ(track.size(), again.size());
  for (size_t i = 0; i < track.size(); ++i) {
    EXPECT_EQ(track[i].shape, again[i].shape);
    EXPECT_EQ(track[i].startSec, again[i].startSec);
  }
}

TEST(SpectralVisemes, OpeningFollowsLoudnessOnRealSpeech) {
  int tested = 0;
  for (const char* rel : {"audio/hello.wav", "audio/RD_Radio31_000.wav"}) {
    const std::string path = audio_test::testdataFile(rel);
    if (path.empty()) continue;
    EXPECT_GT(openingLoudnessCorrelation(audio_test::decode16k(path), rel), 0.5) << rel;
    ++tested;
  }
  const std::string demo = audio_test::demoFile("speech.wav");
  if (!demo.empty()) {
    EXPECT_GT(openingLoudnessCorrelation(audio_test::decode16k(demo), "demo/speech.wav"), 0.5);
    ++tested;
  }
  if (tested == 0) GTEST_SKIP() << "no AVATAR_TESTDATA audio and no demo/speech.wav";
}

TEST(SpectralVisemes, OpenAndRoundedVowelsDiffer) {
  // Sustained vowels from espeak-ng phoneme input: "aa" (father) vs "uw" (you).
  AudioSamples open, rounded;
  std::string why;
  if (!audio_test::speak("[[pA:::::::]]", &open, &why)) GTEST_SKIP() << why;
  if (!audio_test::speak("[[pu:::::::]]", &rounded, &why)) GTEST_SKIP() << why;
  VisemeTrack a, b;
  ASSERT_TRUE(estimateVisemes(open, &a).isOk());
  ASSERT_TRUE(estimateVisemes(rounded, &b).isOk());
  std::printf("[visemes] aa: %s\n[visemes] uw: %s\n", letters(a).c_str(), letters(b).c_str());
  const Viseme va = dominantShape(a, 0, open.durationSec());
  const Viseme vb = dominantShape(b, 0, rounded.durationSec());
  EXPECT_TRUE(va == Viseme::D || va == Viseme::C) << visemeLetter(va);
  EXPECT_TRUE(vb == Viseme::E || vb == Viseme::F) << visemeLetter(vb);
  EXPECT_GT(visemeMouthOpening(va), visemeMouthOpening(vb));
}

TEST(EnglishPhonemeVisemes, RecognisesClosuresAndKeepsSilences) {
  std::string why;
  if (!englishPhonemeVisemesAvailable("", &why)) GTEST_SKIP() << why;
  AudioSamples a, b;
  if (!audio_test::speak("My mom bought a map", &a, &why)) GTEST_SKIP() << why;
  if (!audio_test::speak("Who knew you would go", &b, &why)) GTEST_SKIP() << why;
  AudioSamples audio{16000, a.samples};
  const double gapStart = audio.durationSec();
  audio.samples.insert(audio.samples.end(), 9600, 0.0f);
  const double gapEnd = audio.durationSec();
  audio.samples.insert(audio.samples.end(), b.samples.begin(), b.samples.end());

  VisemeOptions options;
  options.method = VisemeMethod::EnglishPhonemes;
  SpeechAnalysis an;
  ASSERT_TRUE(analyzeSpeech(audio, 25, options, &an).isOk());
  expectGapFree(an.visemes, audio.durationSec());
  std::printf("[english] %s\n", letters(an.visemes).c_str());
  for (double t = gapStart + 0.05; t < gapEnd - 0.05; t += 0.01) {
    ASSERT_EQ(visemeAt(an.visemes, t), Viseme::X) << "at " << t;
  }
  // "My mom bought a map": four bilabials -> several closures; "who knew you
  // would go": rounded vowels.
  int closures = 0;
  double rounded = 0;
  for (const auto& c : an.visemes) {
    if (c.shape == Viseme::A && c.endSec <= gapStart) ++closures;
    if ((c.shape == Viseme::F || c.shape == Viseme::E) && c.startSec >= gapEnd) {
      rounded += c.endSec - c.startSec;
    }
  }
  EXPECT_GE(closures, 2);
  EXPECT_GT(rounded, 0.2);

  VisemeTrack track;
  options.phonemeModelDir = "/nonexistent/model";
  const Status s = estimateVisemes(audio, options, &track);
  EXPECT_EQ(s.code(), ErrorCode::ModelMissing);
  EXPECT_NE(s.detail().find("/nonexistent/model"), std::string::npos) << s.message();
}
