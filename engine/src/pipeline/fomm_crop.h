// FOMM works on 256x256 face crops. A square around the face with a margin
// like the VoxCeleb frames it was trained on (the face's box takes about half
// of it, with room above for the forehead and hair), cut from a frame with
// replicated borders where it leaves it, and pasted back into the full frame
// with a feathered edge and the crop's colours, so the background and the
// resolution stay the photo's.
#pragma once

#include <opencv2/core.hpp>

#include "avatar/image.h"

namespace avatar::detail {

struct FommCrop {
  cv::Point2f center;  // frame px
  float side = 0;      // frame px
  // The square in frame pixels (may extend beyond the frame).
  cv::Rect2f rect() const { return {center.x - side / 2, center.y - side / 2, side, side}; }
  // Frame px <-> FOMM's keypoint coordinates ([-1, 1] across the crop).
  cv::Point2f toUnit(cv::Point2f p) const {
    return {(p.x - center.x) * 2 / side, (p.y - center.y) * 2 / side};
  }
  cv::Point2f toFrame(cv::Point2f u) const {
    return {center.x + u.x * side / 2, center.y + u.y * side / 2};
  }
};

// The crop for a face box (frame px).
FommCrop fommCropFor(const RectF& faceBox);

// The crop as (3,256,256) floats in [0,1] (CHW, RGB) into `out`.
void fommCropTensor(const cv::Mat& rgb, const FommCrop& crop, float* out);

// Pastes a (3,256,256) prediction into `frame` (CV_8UC3 RGB) over the crop:
// mean colour matched to `original` (the frame's pixels before), feathered
// over the outer 15% of the square.
void fommPaste(const float* prediction, const FommCrop& crop, const cv::Mat& original,
               cv::Mat& frame);

}  // namespace avatar::detail
