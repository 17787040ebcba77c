// Mouth poses over time from a viseme track and the loudness envelope, with
// coarticulation smoothing and a hard close during silences.
#pragma once

#include <vector>

#include "motion/motion_types.h"

namespace avatar::detail {

// The pose a viseme aims for, before loudness and gain.
MouthPose visemeTarget(Viseme v);

// One pose per video frame. Guarantees: during a silence the mouth is fully
// closed from 80 ms after its start until shortly before speech resumes.
std::vector<MouthPose> planMouth(const MotionInputs& in, const MotionSettings& s);

}  // namespace avatar::detail
