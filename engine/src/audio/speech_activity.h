// Loudness and voice activity from 10 ms speech features.
#pragma once

#include <cstdint>
#include <vector>

#include "audio/speech_features.h"
#include "avatar/visemes.h"

namespace avatar::detail {

// Level statistics of one recording: what "loud" and "quiet" mean for it.
struct LevelReference {
  float loudDb = kSilenceDb;   // a high percentile of frame levels
  float floorDb = kSilenceDb;  // a low percentile (background noise)
  bool allSilent = true;       // nothing above an absolute floor
};

// Loudest parts below this (dBFS) are treated as silence, whatever the level.
constexpr float kAbsoluteSilenceDb = -60.0f;

LevelReference levelReference(const SpeechFeatures& features);

// Per 10 ms frame, 0..1, smoothed forwards and backwards (no lag).
std::vector<float> frameLoudness(const SpeechFeatures& features, const LevelReference& ref);

// Averages per-frame loudness over each video frame [i/fps, (i+1)/fps).
std::vector<float> videoEnvelope(const std::vector<float>& loudness, double durationSec,
                                 double fps);

// 1 = speech, 0 = silence per 10 ms frame (hysteresis, padding, minimum
// durations applied).
std::vector<uint8_t> speechMask(const SpeechFeatures& features, const LevelReference& ref,
                                const VoiceActivityOptions& options);

VoiceActivity activityFromMask(const std::vector<uint8_t>& mask, double durationSec);

}  // namespace avatar::detail
