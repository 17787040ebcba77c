#include "audio/speech_features.h"

#include <algorithm>
#include <cmath>
#include <complex>

#include <opencv2/core.hpp>

namespace avatar::detail {
namespace {

constexpr int kFft = 1024;                 // 15.6 Hz bins at 16 kHz
constexpr int kHalf = kFft / 2;            // bin of 8 kHz
constexpr int kLpcBins = kFft / 4;         // 0..4 kHz: LPC works on an 8 kHz view
constexpr int kLpcOrder = 10;              // 2 + 8 poles for 4 formants below 4 kHz
constexpr int kMinPitchLag = 16000 / 400;  // 400 Hz
constexpr int kMaxPitchLag = 16000 / 70;   // 70 Hz
constexpr int kBlock = 256;

int binOf(double hz) {
  return int(std::lround(hz * kFft / kFeatureSampleRate));
}

const std::vector<float>& hann() {
  static const std::vector<float> w = [] {
    std::vector<float> v(kFeatureWindow);
    for (int n = 0; n < kFeatureWindow; ++n) {
      v[n] = float(0.5 - 0.5 * std::cos(2.0 * M_PI * (n + 0.5) / kFeatureWindow));
    }
    return v;
  }();
  return w;
}

// Autocorrelation of the window itself, to undo its taper in the pitch search.
const std::vector<double>& hannAutocorrelation() {
  static const std::vector<double> r = [] {
    const auto& w = hann();
    std::vector<double> out(kMaxPitchLag + 1);
    for (int l = 0; l <= kMaxPitchLag; ++l) {
      double s = 0;
      for (int n = 0; n + l < kFeatureWindow; ++n) s += double(w[n]) * w[n + l];
      out[l] = s;
    }
    return out;
  }();
  return r;
}

// Levinson-Durbin: LPC polynomial a[0..p] from autocorrelation r[0..p].
std::vector<double> levinson(const std::vector<double>& r, int p) {
  std::vector<double> a(p + 1, 0.0), prev;
  a[0] = 1.0;
  double err = r[0];
  for (int i = 1; i <= p && err > 0; ++i) {
    double acc = r[i];
    for (int j = 1; j < i; ++j) acc += a[j] * r[i - j];
    const double k = -acc / err;
    prev = a;
    for (int j = 1; j < i; ++j) a[j] = prev[j] + k * prev[i - j];
    a[i] = k;
    err *= (1.0 - k * k);
  }
  return a;
}

// Roots of z^p + a1 z^(p-1) + ... + ap by Durand-Kerner iteration.
std::vector<std::complex<double>> polynomialRoots(const std::vector<double>& a) {
  const int p = int(a.size()) - 1;
  std::vector<std::complex<double>> z(p);
  const std::complex<double> seed(0.4, 0.9);
  z[0] = 1.0;
  for (int i = 0; i < p; ++i) z[i] = std::pow(seed, i);
  auto eval = [&](std::complex<double> x) {
    std::complex<double> v = 1.0;
    for (int i = 1; i <= p; ++i) v = v * x + a[i];
    return v;
  };
  for (int iter = 0; iter < 200; ++iter) {
    double change = 0;
    for (int i = 0; i < p; ++i) {
      std::complex<double> den = 1.0;
      for (int j = 0; j < p; ++j) {
        if (j != i) den *= (z[i] - z[j]);
      }
      if (std::abs(den) < 1e-300) den = 1e-12;
      const std::complex<double> step = eval(z[i]) / den;
      z[i] -= step;
      change = std::max(change, std::abs(step));
    }
    if (change < 1e-9) break;
  }
  return z;
}

void spectralFeatures(const float* power, FrameFeatures* f) {
  double total = 0, low = 0, mid = 0, high = 0, top = 0, weighted = 0;
  for (int k = binOf(80); k <= kHalf; ++k) {
    const double hz = double(k) * kFeatureSampleRate / kFft;
    const double p = power[k];
    total += p;
    weighted += p * hz;
    if (hz < 500)
      low += p;
    else if (hz < 2000)
      mid += p;
    else if (hz < 4000)
      high += p;
    else
      top += p;
  }
  if (total <= 1e-20) return;
  f->centroidHz = float(weighted / total);
  f->lowRatio = float(low / total);
  f->midRatio = float(mid / total);
  f->highRatio = float(high / total);
  f->topRatio = float(top / total);
  double logSum = 0, sum = 0;
  const int k0 = binOf(300), k1 = binOf(6000);
  for (int k = k0; k <= k1; ++k) {
    logSum += std::log(double(power[k]) + 1e-20);
    sum += power[k];
  }
  const int n = k1 - k0 + 1;
  f->flatness = float(std::exp(logSum / n) / (sum / n + 1e-30));
}

// LPC on the 0..4 kHz part of the spectrum (as if resampled to 8 kHz), with
// pre-emphasis applied in the frequency domain.
void formantFeatures(const float* power, FrameFeatures* f) {
  std::vector<double> weighted(kLpcBins + 1);
  for (int k = 0; k <= kLpcBins; ++k) {
    const double w = M_PI * k / kLpcBins;  // 0..pi of the 8 kHz view
    const double pre = 1.0 + 0.9 * 0.9 - 2.0 * 0.9 * std::cos(w);
    weighted[k] = power[k] * pre;
  }
  // Autocorrelation = inverse DFT of the symmetric 512-point power spectrum.
  static const std::vector<double> cosines = [] {
    std::vector<double> c(size_t(kLpcOrder + 1) * (kLpcBins + 1));
    for (int l = 0; l <= kLpcOrder; ++l) {
      for (int k = 0; k <= kLpcBins; ++k) {
        const double scale = (k == 0 || k == kLpcBins) ? 1.0 : 2.0;
        c[size_t(l) * (kLpcBins + 1) + k] = scale * std::cos(M_PI * k * l / kLpcBins);
      }
    }
    return c;
  }();
  std::vector<double> r(kLpcOrder + 1, 0.0);
  for (int l = 0; l <= kLpcOrder; ++l) {
    const double* c = cosines.data() + size_t(l) * (kLpcBins + 1);
    double s = 0;
    for (int k = 0; k <= kLpcBins; ++k) s += c[k] * weighted[k];
    r[l] = s;
  }
  if (r[0] <= 1e-20) return;
  r[0] *= 1.0001;  // white-noise correction keeps the recursion stable
  formantsFromLpc(levinson(r, kLpcOrder), 8000.0, &f->f1Hz, &f->f2Hz);
}

void timeFeatures(const float* x, size_t count, long long start, float* frame, FrameFeatures* f) {
  // The frame mean is removed first: some recordings carry a DC offset that
  // would otherwise dominate the level. Outside the signal stays 0.
  const long long lo = std::max(0LL, start);
  const long long hi = std::min((long long)count, start + kFeatureWindow);
  double sum = 0;
  auto sample = [x](long long i) { return std::isfinite(x[i]) ? x[i] : 0.0f; };  // NaN-safe
  for (long long i = lo; i < hi; ++i) sum += sample(i);
  const float mean = hi > lo ? float(sum / double(hi - lo)) : 0.0f;
  double sumSq = 0;
  int crossings = 0;
  for (int n = 0; n < kFeatureWindow; ++n) {
    const long long i = start + n;
    frame[n] = (i >= lo && i < hi) ? sample(i) - mean : 0.0f;
    sumSq += double(frame[n]) * frame[n];
    if (n > 0 && (frame[n] >= 0) != (frame[n - 1] >= 0)) ++crossings;
  }
  const double rms = std::sqrt(sumSq / kFeatureWindow);
  f->levelDb = float(std::max(double(kSilenceDb), 20.0 * std::log10(rms + 1e-12)));
  f->zcr = float(crossings) / kFeatureWindow;
}

}  // namespace

void formantsFromLpc(const std::vector<double>& a, double sampleRate, float* f1Hz, float* f2Hz) {
  *f1Hz = 0;
  *f2Hz = 0;
  std::vector<double> candidates;
  for (const auto& z : polynomialRoots(a)) {
    if (z.imag() <= 0) continue;
    const double hz = std::arg(z) * sampleRate / (2.0 * M_PI);
    const double bandwidth = -std::log(std::abs(z)) * sampleRate / M_PI;
    if (hz > 150 && hz < 3500 && bandwidth < 500) candidates.push_back(hz);
  }
  std::sort(candidates.begin(), candidates.end());
  size_t i = 0;
  while (i < candidates.size() && candidates[i] < 200) ++i;
  if (i == candidates.size() || candidates[i] > 1100) return;
  *f1Hz = float(candidates[i]);
  for (size_t j = i + 1; j < candidates.size(); ++j) {
    if (candidates[j] > candidates[i] + 150 && candidates[j] < 3200) {
      *f2Hz = float(candidates[j]);
      return;
    }
  }
}

float percentile(std::vector<float> values, double pct) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const double pos = std::clamp(pct, 0.0, 100.0) / 100.0 * double(values.size() - 1);
  const size_t lo = size_t(pos);
  const size_t hi = std::min(lo + 1, values.size() - 1);
  return float(values[lo] + (values[hi] - values[lo]) * (pos - double(lo)));
}

SpeechFeatures analyseSpeechFeatures(const float* x, size_t count) {
  SpeechFeatures out;
  out.sampleCount = count;
  const size_t frames = (count + kFeatureHop - 1) / kFeatureHop;
  out.frames.resize(frames);
  const auto& w = hann();
  const auto& rw = hannAutocorrelation();
  cv::Mat windowed(kBlock, kFft, CV_32F), spectrum, powerC(kBlock, kFft, CV_32FC2), autocorr;
  std::vector<float> frame(kFeatureWindow), power(kHalf + 1);
  for (size_t f0 = 0; f0 < frames; f0 += kBlock) {
    const int n = int(std::min<size_t>(kBlock, frames - f0));
    windowed = 0.0f;
    for (int r = 0; r < n; ++r) {
      // Centred on the middle of the hop interval [k*160, (k+1)*160).
      const long long start =
          (long long)(f0 + r) * kFeatureHop + kFeatureHop / 2 - kFeatureWindow / 2;
      timeFeatures(x, count, start, frame.data(), &out.frames[f0 + r]);
      float* dst = windowed.ptr<float>(r);
      for (int i = 0; i < kFeatureWindow; ++i) dst[i] = frame[i] * w[i];
    }
    cv::dft(windowed.rowRange(0, n), spectrum, cv::DFT_ROWS | cv::DFT_COMPLEX_OUTPUT);
    for (int r = 0; r < n; ++r) {
      const cv::Vec2f* c = spectrum.ptr<cv::Vec2f>(r);
      cv::Vec2f* pc = powerC.ptr<cv::Vec2f>(r);
      for (int k = 0; k < kFft; ++k) pc[k] = cv::Vec2f(c[k][0] * c[k][0] + c[k][1] * c[k][1], 0);
    }
    cv::dft(powerC.rowRange(0, n), autocorr,
            cv::DFT_ROWS | cv::DFT_INVERSE | cv::DFT_COMPLEX_OUTPUT);
    for (int r = 0; r < n; ++r) {
      FrameFeatures& f = out.frames[f0 + r];
      const cv::Vec2f* pc = powerC.ptr<cv::Vec2f>(r);
      for (int k = 0; k <= kHalf; ++k) power[k] = pc[k][0];
      if (f.levelDb <= kSilenceDb + 1) continue;
      spectralFeatures(power.data(), &f);
      const cv::Vec2f* ac = autocorr.ptr<cv::Vec2f>(r);
      const double r0 = ac[0][0];
      double best = 0;
      if (r0 > 0) {
        for (int l = kMinPitchLag; l <= kMaxPitchLag; ++l) {
          best = std::max(best, (ac[l][0] / r0) / (rw[l] / rw[0]));
        }
      }
      f.voicing = float(std::clamp(best, 0.0, 1.0));
      formantFeatures(power.data(), &f);
    }
  }
  return out;
}

}  // namespace avatar::detail
