#include "pipeline/talking_head_renderer.h"

#include <algorithm>
#include <cmath>

#include "render/face_field.h"
#include "render/warp_map.h"

namespace avatar::detail {

TalkingHeadRenderer::TalkingHeadRenderer(cv::Mat base, FaceRig rig, std::vector<FrameMotion> motion)
    : base_(std::move(base)), rig_(std::move(rig)), motion_(std::move(motion)) {
  palette_ = measurePalette(base_, rig_);
  // About 40 grid cells down the face: fine enough for lips and lids.
  gridStep_ = std::clamp(int(std::lround(rig_.faceHeight / 40.0f)), 2, 6);
}

Status TalkingHeadRenderer::render(int index, cv::Mat& out) {
  if (index < 0 || index >= int(motion_.size())) {
    return Status::error(ErrorCode::InvalidArgument, "frame index",
                         std::to_string(index) + " out of range");
  }
  const FrameMotion& m = motion_[size_t(index)];
  const FieldParams fp = fieldParams(rig_, m);
  base_.copyTo(out);
  const bool moves = fp.jawDrop != 0 || fp.widthShift != 0 || fp.pucker > 0 || fp.lipRaise > 0 ||
                     fp.blink > 0 || fp.hasHeadMotion;
  if (!moves) return Status::ok();
  const TargetMouth mouth = targetMouth(rig_, fp);
  warpFrame(base_, rig_, fp, mouth, gridStep_, out);
  drawMouthInterior(base_, rig_, fp, mouth, palette_, m.mouth.jawOpen, out);
  return Status::ok();
}

}  // namespace avatar::detail
