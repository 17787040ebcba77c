// The whole motion of a clip, one FrameMotion per video frame. Deterministic:
// the same inputs and settings give the same plan.
#pragma once

#include <vector>

#include "motion/motion_types.h"

namespace avatar::detail {

std::vector<FrameMotion> planMotion(const MotionInputs& in, const MotionSettings& s);

}  // namespace avatar::detail
