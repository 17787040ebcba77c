#include "motion/head_motion.h"

#include <algorithm>
#include <cmath>

namespace avatar::detail {
namespace {

constexpr double kPi = 3.14159265358979323846;

// A smooth, non-repeating signal in [-1,1]: a few seeded sines.
struct Sway {
  double freq[3], phase[3], amp[3];
  Sway(SeededRandom& rng, double fLo, double fHi) {
    double total = 0;
    for (int k = 0; k < 3; ++k) {
      freq[k] = rng.uniform(fLo, fHi) * (1 + k * 0.61);
      phase[k] = rng.uniform(0, 2 * kPi);
      amp[k] = 1.0 / (1 + k);
      total += amp[k];
    }
    for (double& a : amp) a /= total;
  }
  double at(double t) const {
    double v = 0;
    for (int k = 0; k < 3; ++k) v += amp[k] * std::sin(2 * kPi * freq[k] * t + phase[k]);
    return v;
  }
};

// A nod: down quickly, back slowly; peak 1 at ~0.12 s.
double nodShape(double dt) {
  if (dt < 0) return 0;
  const double rise = 0.12, fall = 0.45;
  if (dt < rise) return std::sin(0.5 * kPi * dt / rise);
  return std::exp(-(dt - rise) / fall * 2.2);
}

bool inSilence(double t, const std::vector<TimeSpan>& silences) {
  for (const auto& s : silences) {
    if (t >= s.startSec && t <= s.endSec) return true;
    if (s.startSec > t) break;
  }
  return false;
}

}  // namespace

std::vector<int> emphasisFrames(const std::vector<float>& loud, int fps) {
  std::vector<int> peaks;
  const int n = int(loud.size());
  const int half = std::max(1, fps / 4);  // local window of +-0.25 s
  const int minGap = std::max(1, int(0.6 * fps));
  for (int i = 1; i + 1 < n; ++i) {
    if (loud[i] < 0.55f || loud[i] < loud[i - 1] || loud[i] < loud[i + 1]) continue;
    float localMin = loud[i];
    bool isMax = true;
    for (int j = std::max(0, i - half); j <= std::min(n - 1, i + half); ++j) {
      localMin = std::min(localMin, loud[j]);
      if (loud[j] > loud[i]) isMax = false;
    }
    if (!isMax || loud[i] - localMin < 0.25f) continue;
    if (!peaks.empty() && i - peaks.back() < minGap) continue;
    peaks.push_back(i);
  }
  return peaks;
}

std::vector<HeadPose> planHead(const MotionInputs& in, const MotionSettings& s) {
  std::vector<HeadPose> out(std::max(0, in.frameCount));
  if (s.still || s.motionScale <= 0 || in.fps <= 0) return out;
  SeededRandom rng(uint64_t(s.seed) ^ 0x4EADull);
  const Sway yaw(rng, 0.06, 0.22), pitch(rng, 0.08, 0.30), roll(rng, 0.05, 0.18);
  const std::vector<int> nods = emphasisFrames(in.loudness, in.fps);
  std::vector<double> nodStrength;
  for (size_t k = 0; k < nods.size(); ++k) nodStrength.push_back(rng.uniform(0.6, 1.0));
  const double scale = s.motionScale;
  size_t firstNod = 0;
  double idle = 1;  // eases between speaking (1) and listening (0.5) amplitude
  for (int f = 0; f < in.frameCount; ++f) {
    const double t = double(f) / in.fps;
    const double target = inSilence(t, in.silences) ? 0.5 : 1.0;
    idle += (target - idle) * std::min(1.0, 2.0 / in.fps);
    double nod = 0;
    while (firstNod < nods.size() && f - nods[firstNod] > 3 * in.fps) ++firstNod;
    for (size_t k = firstNod; k < nods.size() && nods[k] <= f; ++k) {
      nod += nodStrength[k] * nodShape(double(f - nods[k]) / in.fps);
    }
    HeadPose& p = out[f];
    p.yawDeg = float(scale * idle * 3.0 * yaw.at(t));
    p.pitchDeg = float(scale * (idle * 1.8 * pitch.at(t) + 2.2 * std::min(nod, 1.5)));
    p.rollDeg = float(scale * idle * 1.6 * roll.at(t));
  }
  return out;
}

}  // namespace avatar::detail
