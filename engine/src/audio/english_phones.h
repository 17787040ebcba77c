// Optional English phoneme recognition (CMU pocketsphinx, phone loop with the
// en-us phonetic language model), for the EnglishPhonemes viseme method, and
// forced alignment of a known transcript (a linear grammar of its words over
// the CMU dictionary; each word's time is shared among its dictionary phones).
// Built only when CMake found pocketsphinx (AVATAR_HAVE_POCKETSPHINX); at run
// time it also needs the pocketsphinx-en-us model files.
#pragma once

#include <string>
#include <vector>

#include "avatar/status.h"
#include "avatar/visemes.h"

namespace avatar::detail {

struct PhoneSegment {
  double startSec = 0;
  double endSec = 0;
  std::string phone;  // ARPAbet without stress ("AA", "M", "SIL")
};

// `modelDir` "" = the default en-us model directory. False with the reason
// when the build or the installation lacks something.
bool englishPhonesAvailable(const std::string& modelDir, std::string* why);

// Phones of each speech span of 16 kHz audio (spans longer than 30 s are cut
// into 30 s utterances). Thread-safe: one decoder per call.
Status recognizeEnglishPhones(const float* samples, size_t count,
                              const std::vector<TimeSpan>& speech, const std::string& modelDir,
                              std::vector<PhoneSegment>* phones);

struct WordSegment {
  double startSec = 0;
  double endSec = 0;
  std::string word;  // lower case, as in the dictionary ("read(2)" for a variant)
};

struct TranscriptAlignment {
  bool aligned = false;              // false: use the phone loop instead (notes say why)
  std::vector<WordSegment> words;    // the transcript's words in order, with their times
  std::vector<PhoneSegment> phones;  // dictionary phones of each word, and SIL between
  std::vector<std::string> notes;    // skipped words, why it did not align
};

// Words of a transcript as the dictionary spells them: lower case, leading
// and trailing punctuation removed. Bytes are not assumed to be UTF-8.
std::vector<std::string> transcriptWords(const std::string& transcript);

// Aligns `transcript` to the speech of 16 kHz audio (one utterance from the
// first speech span to the last). Words missing from the dictionary are
// skipped with a note; audio longer than the alignment limit, or a
// transcript the audio cannot be matched to, leaves aligned == false with a
// note. Errors only for a missing or broken model.
Status alignEnglishTranscript(const float* samples, size_t count,
                              const std::vector<TimeSpan>& speech, const std::string& transcript,
                              const std::string& modelDir, TranscriptAlignment* out);

}  // namespace avatar::detail
