// What flows through the render chain for one frame: the image so far and
// the face geometry of *this* frame (after motion), so each stage works on
// the moved face, not on the still photo's.
#pragma once

#include <opencv2/core.hpp>

#include "avatar/face.h"
#include "avatar/status.h"
#include "motion/motion_types.h"

namespace avatar::detail {

struct FrameContext;

// A warp a stage has planned but not yet applied. The built-in motion defers
// its warp so that the built-in mouth can add its deformation and the frame
// is resampled once (the built-in path's output and speed stay as they were).
class PendingWarp {
 public:
  virtual ~PendingWarp() = default;
  // Paints ctx.image from ctx.motion (mouth included when ctx.mouthPosed).
  virtual void paint(FrameContext& ctx) const = 0;
};

struct FrameContext {
  int index = 0;
  cv::Mat image;            // CV_8UC3 RGB at the output size; empty while `pending` is set
  FaceInfo face;            // this frame's face in output pixels: box, 68 landmarks, 5 points
  HeadPose head;            // head pose after motion (degrees)
  FrameMotion motion;       // the built-in motion's pose (and the built-in mouth's)
  bool mouthPosed = false;  // motion.mouth was set by the built-in mouth
  const PendingWarp* pending = nullptr;

  // The pixels, painting a pending warp first. Stages that read or change
  // pixels call this.
  cv::Mat& pixels() {
    if (pending) {
      const PendingWarp* p = pending;
      pending = nullptr;
      p->paint(*this);
    }
    return image;
  }
};

}  // namespace avatar::detail
