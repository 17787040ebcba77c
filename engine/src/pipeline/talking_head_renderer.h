// The built-in talking head: warps the still photo per frame from the motion
// plan (jaw, lips, eyelids, head) and paints the mouth interior. No neural
// net at render time; landmarks were found once on the still, so nothing
// jitters. Renders any frame index in any order.
#pragma once

#include <memory>
#include <vector>

#include <opencv2/core.hpp>

#include "motion/motion_types.h"
#include "pipeline/frame_renderer.h"
#include "render/face_rig.h"
#include "render/mouth_interior.h"

namespace avatar::detail {

class TalkingHeadRenderer final : public FrameRenderer {
 public:
  // `base` is the photo composed at the output size (RGB); `rig` was built
  // from landmarks in the same pixels; `motion` has one entry per frame.
  TalkingHeadRenderer(cv::Mat base, FaceRig rig, std::vector<FrameMotion> motion);
  const char* name() const override { return "builtin"; }
  Status render(int index, cv::Mat& out) override;

  const std::vector<FrameMotion>& motion() const { return motion_; }

 private:
  cv::Mat base_;
  FaceRig rig_;
  std::vector<FrameMotion> motion_;
  MouthPalette palette_;
  int gridStep_ = 4;
};

}  // namespace avatar::detail
