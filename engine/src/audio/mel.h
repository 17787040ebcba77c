// Wav2Lip's mel spectrogram (also Diff2Lip's), reproduced bit-for-bit in
// intent from its published recipe (shared/design/MODELS.md "Mel spectrogram"):
// pre-emphasis 0.97, centred STFT (n_fft 800, hop 200, Hann, reflect padding),
// magnitude, 80 Slaney mel bands 55..7600 Hz with area normalisation,
// 20*log10(max(1e-5, x)) - 20, then clip(8*(S+100)/100 - 4, -4, 4).
// 16 kHz input gives 80 mel columns per second. Thread-safe, no global state
// besides an immutable filterbank built on first use.
#pragma once

#include <cstddef>
#include <vector>

#include "avatar/image.h"
#include "avatar/status.h"

namespace avatar::detail {

constexpr int kMelSampleRate = 16000;
constexpr int kMelBands = 80;
constexpr int kMelFftSize = 800;
constexpr int kMelHop = 200;
constexpr double kMelColumnsPerSec = double(kMelSampleRate) / kMelHop;  // 80
constexpr int kMelWindowColumns = 16;  // columns fed to Wav2Lip per video frame
constexpr float kMelMinValue = -4.0f;  // the value of silence after normalisation

// Row-major bands x frames: value(band, frame) = values[band * frames + frame].
struct MelSpectrogram {
  int bands = kMelBands;
  int frames = 0;
  std::vector<float> values;

  float at(int band, int frame) const { return values[size_t(band) * frames + frame]; }
};

// Mel of `count` samples at 16 kHz: frames = 1 + count / 200 (0 when count is 0).
MelSpectrogram computeWav2LipMel(const float* samples, size_t count);
// Same, checking the buffer: InvalidArgument unless 16 kHz, AudioEmpty when empty.
Status computeWav2LipMel(const AudioSamples& audio16k, MelSpectrogram* out);

// The filterbank itself (bands x 401 FFT bins, row-major), for tests.
std::vector<double> slaneyMelFilterbank(int sampleRate, int fftSize, int bands, double fminHz,
                                        double fmaxHz);

// Wav2Lip's per-video-frame windows: frame i at `fps` uses columns
// [int(i * 80 / fps), +16); the first window that would run past the end is
// replaced by the final 16 columns and is the last one.
// Number of windows (= video frames Wav2Lip renders for a still image).
int melWindowCount(int melFrames, double fps);
// First column of window `videoFrame` (clamped to the last window).
int melWindowStart(int videoFrame, int melFrames, double fps);
// Copies window `videoFrame` as a row-major 80 x 16 block into `out`
// (80 * 16 floats). Columns missing in spectrograms shorter than 16 frames
// are filled with kMelMinValue (silence).
void copyMelWindow(const MelSpectrogram& mel, int videoFrame, double fps, float* out);

}  // namespace avatar::detail
