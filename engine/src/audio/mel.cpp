#include "audio/mel.h"

#include <algorithm>
#include <cmath>

#include <opencv2/core.hpp>

namespace avatar::detail {
namespace {

constexpr double kPreemphasis = 0.97;
constexpr double kFminHz = 55.0;
constexpr double kFmaxHz = 7600.0;
constexpr int kBins = kMelFftSize / 2 + 1;  // 401
constexpr int kFramesPerBlock = 256;        // bounds the STFT scratch memory

// Slaney's auditory scale: linear below 1 kHz, logarithmic above.
double hzToSlaneyMel(double hz) {
  const double linearStep = 200.0 / 3.0;
  const double breakHz = 1000.0;
  const double breakMel = breakHz / linearStep;
  const double logStep = std::log(6.4) / 27.0;
  if (hz < breakHz) return hz / linearStep;
  return breakMel + std::log(hz / breakHz) / logStep;
}

double slaneyMelToHz(double mel) {
  const double linearStep = 200.0 / 3.0;
  const double breakHz = 1000.0;
  const double breakMel = breakHz / linearStep;
  const double logStep = std::log(6.4) / 27.0;
  if (mel < breakMel) return mel * linearStep;
  return breakHz * std::exp(logStep * (mel - breakMel));
}

// One band's non-zero weights, stored sparsely (each band spans few bins).
struct Band {
  int firstBin = 0;
  std::vector<float> weights;
};

const std::vector<Band>& wav2lipBands() {
  static const std::vector<Band> bands = [] {
    const std::vector<double> dense =
        slaneyMelFilterbank(kMelSampleRate, kMelFftSize, kMelBands, kFminHz, kFmaxHz);
    std::vector<Band> out(kMelBands);
    for (int b = 0; b < kMelBands; ++b) {
      const double* row = dense.data() + size_t(b) * kBins;
      int first = 0;
      while (first < kBins && row[first] == 0.0) ++first;
      int last = kBins - 1;
      while (last > first && row[last] == 0.0) --last;
      out[b].firstBin = first;
      for (int k = first; k <= last; ++k) out[b].weights.push_back(float(row[k]));
    }
    return out;
  }();
  return bands;
}

// numpy's "reflect" padding: mirror without repeating the edge sample.
size_t reflectIndex(long long i, size_t n) {
  if (n == 1) return 0;
  const long long period = 2 * (static_cast<long long>(n) - 1);
  long long m = i % period;
  if (m < 0) m += period;
  return size_t(m < static_cast<long long>(n) ? m : period - m);
}

const std::vector<float>& hannWindow() {
  // Periodic Hann (scipy get_window('hann', N, fftbins=True)).
  static const std::vector<float> window = [] {
    std::vector<float> w(kMelFftSize);
    for (int n = 0; n < kMelFftSize; ++n) {
      w[n] = float(0.5 - 0.5 * std::cos(2.0 * M_PI * n / kMelFftSize));
    }
    return w;
  }();
  return window;
}

float normalisedDb(double melAmplitude) {
  const double db = 20.0 * std::log10(std::max(1e-5, melAmplitude)) - 20.0;
  const double s = 8.0 * (db + 100.0) / 100.0 - 4.0;
  return float(std::clamp(s, -4.0, 4.0));
}

}  // namespace

std::vector<double> slaneyMelFilterbank(int sampleRate, int fftSize, int bands, double fminHz,
                                        double fmaxHz) {
  const int bins = fftSize / 2 + 1;
  std::vector<double> fftHz(bins);
  for (int k = 0; k < bins; ++k) fftHz[k] = double(k) * sampleRate / fftSize;
  // bands + 2 edges equally spaced on the mel scale.
  const double melLo = hzToSlaneyMel(fminHz);
  const double melHi = hzToSlaneyMel(fmaxHz);
  std::vector<double> edgeHz(bands + 2);
  for (int i = 0; i < bands + 2; ++i) {
    edgeHz[i] = slaneyMelToHz(melLo + (melHi - melLo) * i / (bands + 1));
  }
  std::vector<double> fb(size_t(bands) * bins, 0.0);
  for (int b = 0; b < bands; ++b) {
    const double lo = edgeHz[b], mid = edgeHz[b + 1], hi = edgeHz[b + 2];
    const double area = 2.0 / (hi - lo);  // equal area per band
    for (int k = 0; k < bins; ++k) {
      const double rising = (fftHz[k] - lo) / (mid - lo);
      const double falling = (hi - fftHz[k]) / (hi - mid);
      fb[size_t(b) * bins + k] = std::max(0.0, std::min(rising, falling)) * area;
    }
  }
  return fb;
}

MelSpectrogram computeWav2LipMel(const float* x, size_t count) {
  MelSpectrogram mel;
  if (count == 0) return mel;
  const int frames = int(1 + count / kMelHop);
  mel.frames = frames;
  mel.values.assign(size_t(kMelBands) * frames, 0.0f);
  const auto& window = hannWindow();
  const auto& bands = wav2lipBands();
  auto sample = [x](size_t k) { return std::isfinite(x[k]) ? double(x[k]) : 0.0; };  // NaN-safe
  auto emphasised = [&](size_t k) {
    return k == 0 ? sample(0) : sample(k) - kPreemphasis * sample(k - 1);
  };

  cv::Mat block(kFramesPerBlock, kMelFftSize, CV_32F);
  cv::Mat spectrum;
  std::vector<float> magnitude(kBins);
  for (int f0 = 0; f0 < frames; f0 += kFramesPerBlock) {
    const int n = std::min(kFramesPerBlock, frames - f0);
    cv::Mat rows = block.rowRange(0, n);
    for (int r = 0; r < n; ++r) {
      float* dst = rows.ptr<float>(r);
      // Centred frames: padded index j maps to signal index j - n_fft/2.
      const long long start = (long long)(f0 + r) * kMelHop - kMelFftSize / 2;
      for (int j = 0; j < kMelFftSize; ++j) {
        dst[j] = float(emphasised(reflectIndex(start + j, count)) * window[j]);
      }
    }
    cv::dft(rows, spectrum, cv::DFT_ROWS | cv::DFT_COMPLEX_OUTPUT);
    for (int r = 0; r < n; ++r) {
      const cv::Vec2f* c = spectrum.ptr<cv::Vec2f>(r);
      for (int k = 0; k < kBins; ++k) magnitude[k] = std::hypot(c[k][0], c[k][1]);
      for (int b = 0; b < kMelBands; ++b) {
        const Band& band = bands[b];
        double sum = 0.0;
        for (size_t i = 0; i < band.weights.size(); ++i) {
          sum += double(band.weights[i]) * magnitude[band.firstBin + i];
        }
        mel.values[size_t(b) * frames + f0 + r] = normalisedDb(sum);
      }
    }
  }
  return mel;
}

Status computeWav2LipMel(const AudioSamples& audio16k, MelSpectrogram* out) {
  *out = MelSpectrogram{};
  if (audio16k.sampleRate != kMelSampleRate) {
    return Status::error(ErrorCode::InvalidArgument, "audio",
                         "mel spectrogram needs 16000 Hz mono samples, got " +
                             std::to_string(audio16k.sampleRate) + " Hz");
  }
  if (audio16k.samples.empty()) {
    return Status::error(ErrorCode::AudioEmpty, "audio", "no samples to analyse");
  }
  *out = computeWav2LipMel(audio16k.samples.data(), audio16k.samples.size());
  return Status::ok();
}

int melWindowCount(int melFrames, double fps) {
  if (melFrames <= 0 || fps <= 0) return 0;
  const double step = 80.0 / fps;  // Wav2Lip's mel_idx_multiplier
  int i = 0;
  while (int(i * step) + kMelWindowColumns <= melFrames) ++i;
  return i + 1;  // the window that ran past the end becomes the final one
}

int melWindowStart(int videoFrame, int melFrames, double fps) {
  if (melFrames <= 0 || fps <= 0) return 0;
  // Windows are monotonic, so "fits" holds exactly for the frames before the
  // first one that runs past the end; from there on the final window is used.
  const int start = int(std::max(0, videoFrame) * (80.0 / fps));
  if (start + kMelWindowColumns <= melFrames) return start;
  return std::max(0, melFrames - kMelWindowColumns);
}

void copyMelWindow(const MelSpectrogram& mel, int videoFrame, double fps, float* out) {
  const int start = melWindowStart(videoFrame, mel.frames, fps);
  for (int b = 0; b < kMelBands; ++b) {
    for (int c = 0; c < kMelWindowColumns; ++c) {
      const int col = start + c;
      out[b * kMelWindowColumns + c] = col < mel.frames ? mel.at(b, col) : kMelMinValue;
    }
  }
}

}  // namespace avatar::detail
