#include "motion/motion_plan.h"

#include "motion/blinks.h"
#include "motion/head_motion.h"
#include "motion/lip_curves.h"

namespace avatar::detail {

std::vector<FrameMotion> planMotion(const MotionInputs& in, const MotionSettings& s) {
  const auto mouth = planMouth(in, s);
  const auto head = planHead(in, s);
  const auto blink = planBlinks(in, s);
  std::vector<FrameMotion> out(mouth.size());
  for (size_t f = 0; f < out.size(); ++f) out[f] = {mouth[f], head[f], blink[f]};
  return out;
}

}  // namespace avatar::detail
