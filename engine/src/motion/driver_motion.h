// Retargeting a tracked driver video onto the built-in rig: per output
// frame, the driver frame's pose and expression relative to its reference
// frame (the one that corresponds to the photo's own pose).
#pragma once

#include <vector>

#include "avatar/driver.h"
#include "motion/motion_types.h"

namespace avatar::detail {

struct DriverRetarget {
  int frameCount = 0;  // output frames
  DriverLoop loop = DriverLoop::PingPong;
  int reference = 0;       // driver frame that matches the photo
  double motionScale = 1;  // scales head rotation, translation and zoom
  bool still = false;      // headMotion still: only eyes and brows follow
};

// One FrameMotion per output frame: head (rotation, shift, scale), blink and
// brows; the mouth too (jaw opening and width from the driver's lips), which
// the built-in mouth uses with driverMouth video.
std::vector<FrameMotion> retargetDriver(const DriverTrack& track, const DriverRetarget& r);

}  // namespace avatar::detail
