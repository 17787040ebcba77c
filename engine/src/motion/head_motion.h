// Procedural head motion: slow seeded sway, plus nods on emphasised syllables.
#pragma once

#include <vector>

#include "motion/motion_types.h"

namespace avatar::detail {

// One pose per frame; all zero when settings.still or motionScale is 0.
std::vector<HeadPose> planHead(const MotionInputs& in, const MotionSettings& s);

// Frames where a nod starts: loudness peaks that stand out from their
// surroundings, at least 0.6 s apart.
std::vector<int> emphasisFrames(const std::vector<float>& loudness, int fps);

}  // namespace avatar::detail
