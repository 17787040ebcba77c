// Short-time features of 16 kHz speech every 10 ms, the common input of the
// loudness envelope, voice activity detection and spectral visemes.
#pragma once

#include <cstddef>
#include <vector>

namespace avatar::detail {

constexpr int kFeatureSampleRate = 16000;
constexpr int kFeatureHop = 160;          // 10 ms
constexpr int kFeatureWindow = 400;       // 25 ms, centred on the hop interval
constexpr double kFeatureRateHz = 100.0;  // frames per second
constexpr float kSilenceDb = -120.0f;     // level of digital silence

struct FrameFeatures {
  float levelDb = kSilenceDb;  // RMS of the 25 ms frame, dBFS
  float zcr = 0;               // zero crossings per sample (DC removed)
  float centroidHz = 0;        // spectral centroid of 80..8000 Hz
  float lowRatio = 0;          // share of 80..8000 Hz power in 80..500 Hz
  float midRatio = 0;          // ... in 500..2000 Hz
  float highRatio = 0;         // ... in 2000..4000 Hz
  float topRatio = 0;          // ... in 4000..8000 Hz
  float flatness = 0;          // spectral flatness of 300..6000 Hz (0 tonal, 1 noise)
  float voicing = 0;           // 0..1 periodicity (autocorrelation peak, 70..400 Hz)
  float f1Hz = 0;              // first formant (LPC), 0 when not found
  float f2Hz = 0;              // second formant (LPC), 0 when not found
};

// Frame k describes the 10 ms interval [k*10 ms, (k+1)*10 ms); there are
// ceil(count / 160) frames.
struct SpeechFeatures {
  std::vector<FrameFeatures> frames;
  size_t sampleCount = 0;

  double durationSec() const { return double(sampleCount) / kFeatureSampleRate; }
};

SpeechFeatures analyseSpeechFeatures(const float* samples, size_t count);

// Formants from LPC coefficients a[0..p] (a[0] = 1) of a signal at
// `sampleRate`: F1 and F2 in Hz, 0 where none qualifies. Exposed for tests.
void formantsFromLpc(const std::vector<double>& a, double sampleRate, float* f1Hz, float* f2Hz);

// Percentile (0..100) of `values` by linear interpolation; 0 for none.
float percentile(std::vector<float> values, double pct);

}  // namespace avatar::detail
