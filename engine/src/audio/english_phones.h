// Optional English phoneme recognition (CMU pocketsphinx, phone loop with the
// en-us phonetic language model), for the EnglishPhonemes viseme method.
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

}  // namespace avatar::detail
