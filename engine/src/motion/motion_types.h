// Per-frame motion of the built-in talking head: what the renderer animates.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "avatar/visemes.h"

namespace avatar::detail {

struct MouthPose {
  float jawOpen = 0;        // 0 closed .. 1 wide open (a loud "ah"); may exceed 1 with gain
  float width = 0;          // -1 narrow (rounded) .. 0 rest .. 1 wide (spread)
  float pucker = 0;         // 0 .. 1 lips pushed forward (thicker, narrower)
  float upperLipRaise = 0;  // 0 .. 1 upper lip lifted (F/V, showing teeth)
};

struct HeadPose {
  float yawDeg = 0;    // + turns to the viewer's right
  float pitchDeg = 0;  // + nods down
  float rollDeg = 0;   // + tilts clockwise
  // Translation (in face heights, + right / down) and scale (1 = as in the
  // photo) of the head in the frame: a driver video moves and zooms.
  float shiftX = 0, shiftY = 0;
  float scale = 1;
  bool moves() const {
    return yawDeg != 0 || pitchDeg != 0 || rollDeg != 0 || shiftX != 0 || shiftY != 0 || scale != 1;
  }
};

struct FrameMotion {
  MouthPose mouth;
  HeadPose head;
  float blink = 0;      // 0 open .. 1 closed
  float browRaise = 0;  // brows up (+) or down (-), in face heights; at most +-0.03
};

struct TimeSpan {
  double startSec = 0;
  double endSec = 0;
};

// What the motion is planned from.
struct MotionInputs {
  VisemeTrack visemes;             // gap-free, covering the audio
  std::vector<float> loudness;     // per video frame, 0..1
  std::vector<TimeSpan> silences;  // spans without speech
  int fps = 25;
  int frameCount = 0;
};

struct MotionSettings {
  double mouthGain = 1.0;
  double smoothingMs = 60;
  double motionScale = 1.0;
  double blinksPerMinute = 15;
  bool still = false;  // no head motion
  uint32_t seed = 0;
};

// Deterministic pseudo-random numbers (SplitMix64): same seed, same numbers
// on every platform, unlike std:: distributions.
class SeededRandom {
 public:
  explicit SeededRandom(uint64_t seed)
      : state_(seed * 0x9E3779B97F4A7C15ull + 0x632BE59BD9B4E019ull) {}
  uint64_t next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  double uniform(double lo, double hi) { return lo + (hi - lo) * double(next() >> 11) * 0x1.0p-53; }

 private:
  uint64_t state_;
};

}  // namespace avatar::detail
