// The deformation of one frame as a smooth forward map in the face frame:
// target = F(source). Two variants differ only between the mouth corners:
// the upper side (upper lip and above) and the lower side (lower lip, jaw),
// so the lips can part. Outside the mouth span both are the same map.
#pragma once

#include <opencv2/core.hpp>

#include "motion/motion_types.h"
#include "render/face_rig.h"

namespace avatar::detail {

enum class LipSide { Upper, Lower };

struct FieldParams {
  float jawDrop = 0;     // px the lower inner lip moves down at the centre (negative closes)
  float widthShift = 0;  // px each mouth corner moves outwards
  float pucker = 0;      // 0..1
  float lipRaise = 0;    // 0..1
  float blink = 0;       // 0..1
  float browRaise = 0;   // px the brows move up (negative: down)
  // Head motion, applied on top, weighted by the head region.
  float rollRad = 0;
  cv::Point2f shift;  // px, the whole head
  cv::Point2f turn;   // px the face's front moves on top of the shift when it turns (yaw, pitch)
  float scaleX = 1, scaleY = 1;
  bool hasHeadMotion = false;
  float targetGap = 0;  // desired inner-lip opening at the centre, px

  // The face deforms (jaw, lips, lids, brows); the frame moves at all.
  bool facePoseChanges() const {
    return jawDrop != 0 || widthShift != 0 || pucker > 0 || lipRaise > 0 || blink > 0 ||
           browRaise != 0;
  }
  bool deforms() const { return facePoseChanges() || hasHeadMotion; }
};

FieldParams fieldParams(const FaceRig& rig, const FrameMotion& m);

// The frame's map is a composition: the face deforms (jaw, lips, lids),
// then the head moves: target = head(face(source)). Both in the face frame.
cv::Point2f faceForward(const FaceRig& rig, const FieldParams& fp, cv::Point2f p, LipSide side);
cv::Point2f faceInverse(const FaceRig& rig, const FieldParams& fp, cv::Point2f q, LipSide side);
cv::Point2f headForward(const FaceRig& rig, const FieldParams& fp, cv::Point2f q);
cv::Point2f headInverse(const FaceRig& rig, const FieldParams& fp, cv::Point2f t);
inline cv::Point2f forwardMap(const FaceRig& rig, const FieldParams& fp, cv::Point2f p,
                              LipSide side) {
  return headForward(rig, fp, faceForward(rig, fp, p, side));
}

// Weight (0..1) with which the head motion applies at a face-frame point.
float headWeight(const FaceRig& rig, cv::Point2f p);

}  // namespace avatar::detail
