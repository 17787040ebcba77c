#include "motion/lip_curves.h"

#include <algorithm>
#include <cmath>

namespace avatar::detail {
namespace {

constexpr double kRate = 200.0;           // internal curve samples per second
constexpr double kCloseWithinSec = 0.06;  // mouth shut this long after silence starts
constexpr double kReopenLeadSec = 0.05;   // and may start opening this long before speech

std::vector<float> gaussianSmooth(const std::vector<float>& x, double sigmaSamples) {
  if (sigmaSamples < 0.5 || x.size() < 2) return x;
  const int r = int(std::ceil(3 * sigmaSamples));
  std::vector<float> k(2 * r + 1);
  double sum = 0;
  for (int i = -r; i <= r; ++i)
    sum += k[i + r] = float(std::exp(-0.5 * i * i / (sigmaSamples * sigmaSamples)));
  for (auto& v : k) v = float(v / sum);
  std::vector<float> y(x.size());
  const int n = int(x.size());
  for (int i = 0; i < n; ++i) {
    double acc = 0;
    for (int j = -r; j <= r; ++j) acc += k[j + r] * x[std::clamp(i + j, 0, n - 1)];
    y[i] = float(acc);
  }
  return y;
}

// 1 where the mouth may move, falling to 0 within kCloseWithinSec of a
// silence's start and rising again just before its end. Called with
// non-decreasing t; `next` remembers the first silence that may still apply.
float speechGate(double t, const std::vector<TimeSpan>& silences, size_t& next) {
  while (next < silences.size() && silences[next].endSec < t) ++next;
  float gate = 1;
  for (size_t k = next; k < silences.size() && silences[k].startSec <= t; ++k) {
    const TimeSpan& s = silences[k];
    const double in = (t - s.startSec) / kCloseWithinSec;
    const double out = (s.endSec - t) / kReopenLeadSec;
    gate = std::min(gate, float(std::clamp(std::max(1 - in, 1 - out), 0.0, 1.0)));
  }
  return gate;
}

float loudnessAt(const std::vector<float>& perFrame, int fps, double t) {
  if (perFrame.empty()) return 1;
  const double f = t * fps - 0.5;
  const int i0 = std::clamp(int(std::floor(f)), 0, int(perFrame.size()) - 1);
  const int i1 = std::min(i0 + 1, int(perFrame.size()) - 1);
  const double a = std::clamp(f - std::floor(f), 0.0, 1.0);
  return float(perFrame[i0] * (1 - a) + perFrame[i1] * a);
}

}  // namespace

MouthPose visemeTarget(Viseme v) {
  switch (v) {
    case Viseme::A:
      return {0.00f, 0.05f, 0.10f, 0.00f};  // M B P: lips pressed
    case Viseme::B:
      return {0.22f, 0.15f, 0.00f, 0.10f};  // most consonants: slightly open
    case Viseme::C:
      return {0.50f, 0.35f, 0.00f, 0.20f};  // EH, AE: open, spread
    case Viseme::D:
      return {0.95f, 0.20f, 0.00f, 0.25f};  // AA: wide open
    case Viseme::E:
      return {0.55f, -0.35f, 0.45f, 0.05f};  // AO, ER: rounded
    case Viseme::F:
      return {0.22f, -0.60f, 0.90f, 0.00f};  // UW, OW, W: puckered
    case Viseme::G:
      return {0.12f, 0.05f, 0.00f, 0.55f};  // F V: teeth on lower lip
    case Viseme::H:
      return {0.40f, 0.10f, 0.00f, 0.15f};  // L: tongue up
    case Viseme::X:
      return {0.00f, 0.00f, 0.00f, 0.00f};  // rest
  }
  return {};
}

std::vector<MouthPose> planMouth(const MotionInputs& in, const MotionSettings& s) {
  std::vector<MouthPose> out(std::max(0, in.frameCount));
  if (in.frameCount <= 0 || in.fps <= 0) return out;
  const double duration = double(in.frameCount) / in.fps;
  const int n = int(std::ceil(duration * kRate)) + 1;
  std::vector<float> jaw(n), width(n), pucker(n), raise(n);
  size_t cue = 0;
  for (int i = 0; i < n; ++i) {
    const double t = i / kRate;
    while (cue + 1 < in.visemes.size() && in.visemes[cue].endSec <= t) ++cue;
    const MouthPose p = in.visemes.empty() ? MouthPose{} : visemeTarget(in.visemes[cue].shape);
    jaw[i] = p.jawOpen;
    width[i] = p.width;
    pucker[i] = p.pucker;
    raise[i] = p.upperLipRaise;
  }
  // Coarticulation: neighbouring shapes blend; the window is the user's.
  const double sigma = s.smoothingMs / 1000.0 * kRate / 2.0;
  jaw = gaussianSmooth(jaw, sigma);
  width = gaussianSmooth(width, sigma);
  pucker = gaussianSmooth(pucker, sigma);
  raise = gaussianSmooth(raise, sigma);

  size_t silence = 0;
  for (int f = 0; f < in.frameCount; ++f) {
    const double t = (f + 0.5) / in.fps;
    const int i = std::clamp(int(std::lround(t * kRate)), 0, n - 1);
    const float gate = speechGate(t, in.silences, silence);
    // Loudness scales the opening so louder syllables open wider.
    const float loud = std::clamp(loudnessAt(in.loudness, in.fps, t), 0.0f, 1.0f);
    const float gain = float(s.mouthGain);
    MouthPose& p = out[f];
    p.jawOpen = std::clamp(jaw[i] * (0.25f + 0.95f * loud) * gain * gate, 0.0f, 1.4f);
    p.width = std::clamp(width[i] * std::min(1.0f, gain) * gate, -1.0f, 1.0f);
    p.pucker = std::clamp(pucker[i] * std::min(1.0f, gain) * gate, 0.0f, 1.0f);
    p.upperLipRaise = std::clamp(raise[i] * std::min(1.0f, gain) * gate, 0.0f, 1.0f);
  }
  return out;
}

}  // namespace avatar::detail
