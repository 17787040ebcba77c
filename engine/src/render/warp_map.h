// Applies one frame's deformation to the output frame: a dense inverse map
// over the region that moves, evaluated on a coarse grid and interpolated.
#pragma once

#include <opencv2/core.hpp>

#include "render/face_field.h"
#include "render/face_rig.h"

namespace avatar::detail {

// The inner lips after deformation (face frame), and the split between sides.
struct TargetMouth {
  Curve upper, lower;
  float xLeft = 0, xRight = 0;  // corners
  LipSide sideAt(cv::Point2f t) const;
};

TargetMouth targetMouth(const FaceRig& rig, const FieldParams& fp);

// The image-space rectangle whose pixels can move this frame.
cv::Rect movingRegion(const FaceRig& rig, const FieldParams& fp, cv::Size frame);

// Warps `base` into `out` (same size; `out` must already hold a copy of base):
// only `region` is recomputed. `gridStep` trades accuracy for speed.
void warpRegion(const cv::Mat& base, const FaceRig& rig, const FieldParams& fp,
                const TargetMouth& mouth, cv::Rect region, int gridStep, cv::Mat& out);

}  // namespace avatar::detail
