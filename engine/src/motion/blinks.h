// Blinks: seeded intervals around the requested rate (2-6 s at the default
// 15 per minute), each lasting 200-350 ms: closing (30%), shut (15%),
// opening (55%), as spontaneous blinks do.
#pragma once

#include <vector>

#include "motion/motion_types.h"

namespace avatar::detail {

struct Blink {
  double startSec = 0;
  double durationSec = 0.25;
};

std::vector<Blink> planBlinkTimes(double durationSec, double blinksPerMinute, uint32_t seed);

// Eyelid closure per frame (0 open .. 1 closed).
std::vector<float> planBlinks(const MotionInputs& in, const MotionSettings& s);

// Closure of one blink `dt` seconds after it starts.
float blinkClosure(double dt, double durationSec);

}  // namespace avatar::detail
