#include "audio/speech_activity.h"

#include <algorithm>
#include <cmath>

namespace avatar::detail {
namespace {

constexpr float kLoudnessRangeDb = 36.0f;  // loudness 0 at this far below the reference
constexpr double kSmoothingMs = 25.0;

int framesFor(double ms) {
  return int(std::lround(ms * kFeatureRateHz / 1000.0));
}

// Runs of `value` shorter than `minFrames` flip to the other value; runs that
// touch either end of the mask are left alone when `keepEdges`.
void removeShortRuns(std::vector<uint8_t>* mask, uint8_t value, int minFrames, bool keepEdges) {
  const size_t n = mask->size();
  size_t i = 0;
  while (i < n) {
    size_t j = i;
    while (j < n && (*mask)[j] == (*mask)[i]) ++j;
    const bool edge = i == 0 || j == n;
    if ((*mask)[i] == value && int(j - i) < minFrames && !(keepEdges && edge)) {
      std::fill(mask->begin() + i, mask->begin() + j, uint8_t(!value));
    }
    i = j;
  }
}

}  // namespace

LevelReference levelReference(const SpeechFeatures& features) {
  LevelReference ref;
  if (features.frames.empty()) return ref;
  std::vector<float> levels;
  levels.reserve(features.frames.size());
  float maxDb = kSilenceDb;
  for (const auto& f : features.frames) {
    levels.push_back(f.levelDb);
    maxDb = std::max(maxDb, f.levelDb);
  }
  // A mostly silent file would put the high percentile on silence, so the
  // reference never drops more than 20 dB below the loudest frame.
  ref.loudDb = std::max(percentile(levels, 97.0), maxDb - 20.0f);
  ref.floorDb = percentile(levels, 10.0);
  ref.allSilent = ref.loudDb < kAbsoluteSilenceDb;
  return ref;
}

std::vector<float> frameLoudness(const SpeechFeatures& features, const LevelReference& ref) {
  const size_t n = features.frames.size();
  std::vector<float> out(n, 0.0f);
  if (ref.allSilent) return out;
  for (size_t i = 0; i < n; ++i) {
    const float db = features.frames[i].levelDb;
    out[i] = std::clamp(1.0f + (db - ref.loudDb) / kLoudnessRangeDb, 0.0f, 1.0f);
  }
  // Zero-phase one-pole smoothing: forwards then backwards.
  const float a = float(std::exp(-1000.0 / (kSmoothingMs * kFeatureRateHz)));
  for (size_t i = 1; i < n; ++i) out[i] = a * out[i - 1] + (1 - a) * out[i];
  for (size_t i = n; i-- > 1;) out[i - 1] = a * out[i] + (1 - a) * out[i - 1];
  return out;
}

std::vector<float> videoEnvelope(const std::vector<float>& loudness, double durationSec,
                                 double fps) {
  if (fps <= 0 || durationSec <= 0) return {};
  const size_t frames = size_t(std::ceil(durationSec * fps - 1e-9));
  std::vector<float> out(frames, 0.0f);
  const double n = double(loudness.size());
  for (size_t i = 0; i < frames; ++i) {
    // Overlap-weighted mean of the 10 ms frames inside [i/fps, (i+1)/fps).
    const double a = double(i) / fps * kFeatureRateHz;
    const double b = std::min(n, double(i + 1) / fps * kFeatureRateHz);
    double sum = 0, weight = 0;
    for (size_t k = size_t(a); double(k) < b && k < loudness.size(); ++k) {
      const double w = std::min(b, double(k + 1)) - std::max(a, double(k));
      if (w <= 0) continue;
      sum += w * loudness[k];
      weight += w;
    }
    out[i] = weight > 0 ? float(sum / weight) : 0.0f;
  }
  return out;
}

std::vector<uint8_t> speechMask(const SpeechFeatures& features, const LevelReference& ref,
                                const VoiceActivityOptions& options) {
  const size_t n = features.frames.size();
  std::vector<uint8_t> mask(n, 0);
  if (ref.allSilent || n == 0) return mask;
  // Speech starts well above the noise floor but at most 35 dB below the loud
  // parts (weak consonants sit about 30 dB down).
  const float on = std::max({ref.floorDb + 12.0f, ref.loudDb - 35.0f, kAbsoluteSilenceDb});
  const float off = std::max(on - float(options.hysteresisDb), ref.floorDb + 6.0f);
  bool speaking = false;
  for (size_t i = 0; i < n; ++i) {
    const float db = features.frames[i].levelDb;
    speaking = speaking ? db >= off : db > on;
    mask[i] = speaking;
  }
  const int pad = std::max(0, framesFor(options.paddingMs));
  if (pad > 0) {
    std::vector<uint8_t> padded = mask;
    for (size_t i = 0; i < n; ++i) {
      if (!mask[i]) continue;
      const size_t lo = i >= size_t(pad) ? i - pad : 0;
      const size_t hi = std::min(n, i + pad + 1);
      std::fill(padded.begin() + lo, padded.begin() + hi, uint8_t(1));
    }
    mask.swap(padded);
  }
  removeShortRuns(&mask, 1, framesFor(options.minSpeechMs), false);
  removeShortRuns(&mask, 0, framesFor(options.minSilenceMs), true);
  return mask;
}

VoiceActivity activityFromMask(const std::vector<uint8_t>& mask, double durationSec) {
  VoiceActivity out;
  const size_t n = mask.size();
  size_t i = 0;
  while (i < n) {
    size_t j = i;
    while (j < n && mask[j] == mask[i]) ++j;
    TimeSpan span{double(i) / kFeatureRateHz, std::min(durationSec, double(j) / kFeatureRateHz)};
    if (span.endSec > span.startSec) (mask[i] ? out.speech : out.silences).push_back(span);
    i = j;
  }
  return out;
}

}  // namespace avatar::detail
