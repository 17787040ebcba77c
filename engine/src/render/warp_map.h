// Applies one frame's deformation to the output frame. The map is a
// composition (see face_field.h): the head motion is smooth and inverted on a
// coarse grid over the head region; the face deformation is inverted on a
// fine grid over the face only. Every pixel then takes one lookup in each.
#pragma once

#include <opencv2/core.hpp>

#include "render/face_field.h"
#include "render/face_rig.h"

namespace avatar::detail {

// The inner lips after the face deformation, before head motion (face frame).
struct TargetMouth {
  Curve upper, lower;
  float xLeft = 0, xRight = 0;  // corners
  LipSide sideAt(cv::Point2f q) const;
};

TargetMouth targetMouth(const FaceRig& rig, const FieldParams& fp);

// Image-space rectangles whose pixels can move this frame: the face
// deformation's (also where the fine grid lives) and, with head motion, the
// head's (which contains the face's).
cv::Rect faceRegion(const FaceRig& rig, const FieldParams& fp, cv::Size frame);
cv::Rect movingRegion(const FaceRig& rig, const FieldParams& fp, cv::Size frame);

// Warps `base` into `out` (same size; `out` already holds a copy of base).
void warpFrame(const cv::Mat& base, const FaceRig& rig, const FieldParams& fp,
               const TargetMouth& mouth, int fineStep, cv::Mat& out);

}  // namespace avatar::detail
