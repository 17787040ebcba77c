// Transcript alignment for the English phoneme path: the words of a known
// text land where they are spoken (two espeak-ng phrases with a measured gap),
// the visemes follow the dictionary phones, and unusable transcripts say why.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "audio/english_phones.h"
#include "audio_test_util.h"
#include "avatar/visemes.h"

using namespace avatar;

namespace {

// First and last sample above -40 dBFS: where espeak's speech really starts
// and ends (its WAVs have some leading and trailing silence).
std::pair<double, double> spokenPart(const AudioSamples& a) {
  size_t first = a.samples.size(), last = 0;
  for (size_t i = 0; i < a.samples.size(); ++i) {
    if (std::fabs(a.samples[i]) > 0.01f) {
      first = std::min(first, i);
      last = i;
    }
  }
  return {double(first) / a.sampleRate, double(last) / a.sampleRate};
}

struct TwoPhrases {
  AudioSamples audio;
  double firstEnd = 0;     // end of "... map" in the joined audio
  double secondStart = 0;  // start of "Who ..." in the joined audio
};

bool twoPhrases(TwoPhrases* out, std::string* why) {
  AudioSamples a, b;
  if (!audio_test::speak("My mom bought a map", &a, why)) return false;
  if (!audio_test::speak("Who knew you would go", &b, why)) return false;
  out->audio = AudioSamples{16000, a.samples};
  out->firstEnd = spokenPart(a).second;
  const double offset = a.durationSec() + 0.8;
  out->audio.samples.insert(out->audio.samples.end(), 12800, 0.0f);
  out->audio.samples.insert(out->audio.samples.end(), b.samples.begin(), b.samples.end());
  out->secondStart = offset + spokenPart(b).first;
  return true;
}

SpeechAnalysis analyse(const AudioSamples& audio, const std::string& transcript) {
  VisemeOptions options;
  options.method = VisemeMethod::EnglishPhonemes;
  options.transcript = transcript;
  SpeechAnalysis an;
  const Status s = analyzeSpeech(audio, 25, options, &an);
  EXPECT_TRUE(s.isOk()) << s.message();
  return an;
}

bool hasNote(const SpeechAnalysis& an, const std::string& part) {
  for (const auto& n : an.notes)
    if (n.find(part) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST(TranscriptWords, LowerCasedWithoutPunctuation) {
  EXPECT_EQ(detail::transcriptWords("  Hello, WORLD!  don't \"stop\"-now..."),
            (std::vector<std::string>{"hello", "world", "don't", "stop", "now"}));
  EXPECT_TRUE(detail::transcriptWords(" ... ! ").empty());
  // Bytes that are not UTF-8 stay in their word (which the dictionary lacks).
  EXPECT_EQ(detail::transcriptWords("caf\xe9 ok").size(), 2u);
}

TEST(TranscriptAlignment, WordsLandWhereTheyAreSpoken) {
  std::string why;
  if (!englishPhonemeVisemesAvailable("", &why)) GTEST_SKIP() << why;
  TwoPhrases p;
  if (!twoPhrases(&p, &why)) GTEST_SKIP() << why;
  VoiceActivity activity;
  ASSERT_TRUE(detectVoiceActivity(p.audio, VoiceActivityOptions{}, &activity).isOk());
  detail::TranscriptAlignment al;
  const Status s = detail::alignEnglishTranscript(
      p.audio.samples.data(), p.audio.samples.size(), activity.speech,
      "My mom bought a map. Who knew you would go!", "", &al);
  ASSERT_TRUE(s.isOk()) << s.message();
  ASSERT_TRUE(al.aligned) << (al.notes.empty() ? "" : al.notes[0]);
  const std::vector<std::string> expected = {"my",  "mom",  "bought", "a",     "map",
                                             "who", "knew", "you",    "would", "go"};
  ASSERT_EQ(al.words.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(al.words[i].word.substr(0, al.words[i].word.find('(')), expected[i]);
    EXPECT_GT(al.words[i].endSec, al.words[i].startSec);
    if (i) EXPECT_GE(al.words[i].startSec, al.words[i - 1].endSec - 1e-9);
    std::printf("[align] %-6s %.2f-%.2f\n", al.words[i].word.c_str(), al.words[i].startSec,
                al.words[i].endSec);
  }
  // The phrases are where the audio has them: no word in the 0.8 s gap, the
  // second phrase starts within 100 ms of its first sound, the first ends
  // within 300 ms of its last (espeak's final "p" is a faint release).
  for (size_t i = 0; i < 5; ++i) EXPECT_LE(al.words[i].endSec, p.firstEnd + 0.05) << i;
  for (size_t i = 5; i < 10; ++i) EXPECT_GE(al.words[i].startSec, p.secondStart - 0.1) << i;
  EXPECT_NEAR(al.words[5].startSec, p.secondStart, 0.1);
  EXPECT_NEAR(al.words[4].endSec, p.firstEnd, 0.3);
  EXPECT_LE(al.words[9].endSec, p.audio.durationSec());
  // The phones are the dictionary's: "map" is M AE P.
  std::string mapPhones;
  for (const auto& ph : al.phones) {
    if (ph.startSec >= al.words[4].startSec - 1e-9 && ph.endSec <= al.words[4].endSec + 1e-9) {
      mapPhones += (mapPhones.empty() ? "" : " ") + ph.phone;
    }
  }
  EXPECT_EQ(mapPhones, "M AE P");
}

TEST(TranscriptAlignment, VisemesFollowTheTranscript) {
  std::string why;
  if (!englishPhonemeVisemesAvailable("", &why)) GTEST_SKIP() << why;
  TwoPhrases p;
  if (!twoPhrases(&p, &why)) GTEST_SKIP() << why;
  const SpeechAnalysis free = analyse(p.audio, "");
  const SpeechAnalysis aligned = analyse(p.audio, "My mom bought a map. Who knew you would go!");
  EXPECT_TRUE(hasNote(aligned, "transcript aligned")) << testing::PrintToString(aligned.notes);
  EXPECT_TRUE(free.notes.empty());
  // Five bilabials in "my mom bought a map": each a lip closure (A) in the
  // first phrase; the rounded vowels of the second phrase are E/F.
  int closures = 0;
  double rounded = 0;
  for (const auto& c : aligned.visemes) {
    if (c.shape == Viseme::A && c.endSec <= p.firstEnd + 0.1) ++closures;
    if ((c.shape == Viseme::F || c.shape == Viseme::E) && c.startSec >= p.secondStart - 0.1) {
      rounded += c.endSec - c.startSec;
    }
  }
  EXPECT_GE(closures, 4);
  EXPECT_GT(rounded, 0.3);
  // Silence stays closed whatever the transcript says.
  for (const auto& c : aligned.visemes) {
    if (c.startSec > p.firstEnd + 0.15 && c.endSec < p.secondStart - 0.15) {
      EXPECT_EQ(c.shape, Viseme::X);
    }
  }
}

TEST(TranscriptAlignment, UnusableTranscriptsSayWhy) {
  std::string why;
  if (!englishPhonemeVisemesAvailable("", &why)) GTEST_SKIP() << why;
  TwoPhrases p;
  if (!twoPhrases(&p, &why)) GTEST_SKIP() << why;
  // Words the dictionary lacks are skipped and named (printable bytes only).
  const SpeechAnalysis oov = analyse(p.audio, "My mom bought a zqxmap\xff. Who knew you would go");
  EXPECT_TRUE(hasNote(oov, "1 word(s) not in the pronunciation dictionary skipped (zqxmap?)"))
      << testing::PrintToString(oov.notes);
  const SpeechAnalysis none = analyse(p.audio, "zqx vvkq");
  EXPECT_TRUE(hasNote(none, "none of its words is in the dictionary"));
  EXPECT_FALSE(none.visemes.empty());  // the phone loop still gives visemes
  // The spectral method does not read a transcript and says so.
  VisemeOptions spectral;
  spectral.transcript = "My mom bought a map";
  SpeechAnalysis an;
  ASSERT_TRUE(analyzeSpeech(p.audio, 25, spectral, &an).isOk());
  EXPECT_TRUE(hasNote(an, "visemeMethod spectral does not read it"));
}
