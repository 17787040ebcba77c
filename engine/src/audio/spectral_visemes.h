// Visemes without a transcript: a deterministic rule classifier over 10 ms
// speech features (level, voicing, band energies, flatness, LPC formants
// normalised per speaker), then segmentation into cues.
#pragma once

#include <cstdint>
#include <vector>

#include "audio/speech_activity.h"
#include "audio/speech_features.h"
#include "avatar/visemes.h"

namespace avatar::detail {

// One shape per 10 ms frame. `speech` and `loudness` are per frame as
// speechMask() and frameLoudness() give them.
std::vector<Viseme> classifyVisemeFrames(const SpeechFeatures& features, const LevelReference& ref,
                                         const std::vector<uint8_t>& speech,
                                         const std::vector<float>& loudness);

// Overwrites spectral per-frame shapes with those of recognised phones
// (diphthongs split in half) inside speech. Silence phones inside speech keep
// the spectral shape (the recogniser's short pauses are often closures);
// frames outside speech stay X.
struct PhoneSegment;
void applyPhones(const std::vector<PhoneSegment>& phones, const std::vector<uint8_t>& speech,
                 std::vector<Viseme>* frames);

// Merges too-short runs into their neighbours and turns frames into cues
// covering [0, durationSec].
VisemeTrack cuesFromFrames(const std::vector<Viseme>& frames, double durationSec);

}  // namespace avatar::detail
