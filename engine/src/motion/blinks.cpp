#include "motion/blinks.h"

#include <algorithm>
#include <cmath>

namespace avatar::detail {

std::vector<Blink> planBlinkTimes(double durationSec, double blinksPerMinute, uint32_t seed) {
  std::vector<Blink> blinks;
  if (blinksPerMinute <= 0 || durationSec <= 0) return blinks;
  SeededRandom rng(uint64_t(seed) ^ 0xB117Cull);
  const double mean = 60.0 / blinksPerMinute;  // 4 s at 15/min: intervals in 2..6 s
  double t = rng.uniform(0.3, 0.8) * mean;
  while (t < durationSec) {
    const double d = rng.uniform(0.2, 0.35);
    blinks.push_back({t, d});
    t += d + rng.uniform(0.5, 1.5) * mean;
  }
  return blinks;
}

float blinkClosure(double dt, double d) {
  if (dt <= 0 || dt >= d) return 0;
  // Closing takes 30%, the lids stay shut for 15%, opening takes 55%.
  const double close = 0.3 * d, shut = 0.45 * d;
  double x = 1;
  if (dt < close) {
    x = dt / close;
  } else if (dt > shut) {
    x = 1 - (dt - shut) / (d - shut);
  }
  return float(x * x * (3 - 2 * x));  // smoothstep
}

std::vector<float> planBlinks(const MotionInputs& in, const MotionSettings& s) {
  std::vector<float> out(std::max(0, in.frameCount), 0.0f);
  if (in.fps <= 0) return out;
  const double duration = double(in.frameCount) / in.fps;
  for (const Blink& b : planBlinkTimes(duration, s.blinksPerMinute, s.seed)) {
    // Sample each frame's exposure window so short blinks are never missed.
    const int f0 = std::max(0, int(std::floor(b.startSec * in.fps)));
    const int f1 =
        std::min(in.frameCount - 1, int(std::ceil((b.startSec + b.durationSec) * in.fps)));
    for (int f = f0; f <= f1; ++f) {
      float m = 0;
      for (int k = 0; k < 4; ++k) {
        const double t = (f + (k + 0.5) / 4.0) / in.fps;
        m = std::max(m, blinkClosure(t - b.startSec, b.durationSec));
      }
      out[f] = std::max(out[f], m);
    }
  }
  return out;
}

}  // namespace avatar::detail
