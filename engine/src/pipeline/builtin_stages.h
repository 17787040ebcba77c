// The built-in talking head as two stages over one warp:
// - BuiltinMotion: head sway, nods, blinks and eyelids (planHead, planBlinks);
//   it moves the face geometry of each frame and leaves its warp pending;
// - BuiltinMouth: lips, jaw and mouth interior (planMouth). After the
//   built-in motion it adds its deformation to the pending warp, so the
//   frame is resampled once, exactly as one talking-head render.
// Landmarks come from the still, so nothing jitters; any frame, any order.
#pragma once

#include <memory>
#include <vector>

#include "pipeline/stage.h"
#include "render/face_rig.h"
#include "render/mouth_interior.h"

namespace avatar::detail {

// The composed warp of the built-in stages (face deformation, then head).
class BuiltinWarp final : public PendingWarp {
 public:
  BuiltinWarp(cv::Mat base, FaceRig rig);
  void paint(FrameContext& ctx) const override;
  const FaceRig& rig() const { return rig_; }
  const cv::Mat& base() const { return base_; }

 private:
  cv::Mat base_;
  FaceRig rig_;
  MouthPalette palette_;
  int gridStep_ = 4;
};

// Builds the rig from the photo's landmarks in output pixels; NoFaceDetected
// when they are degenerate.
Status makeBuiltinWarp(const cv::Mat& base, const FaceInfo& face,
                       std::shared_ptr<const BuiltinWarp>* out);

class BuiltinMotionStage final : public Stage {
 public:
  // One motion per frame: head, blink and brows (the mouth is the mouth
  // stage's), planned from the audio or retargeted from a driver video.
  BuiltinMotionStage(std::shared_ptr<const BuiltinWarp> warp, FaceInfo face,
                     std::vector<FrameMotion> motion);
  const char* id() const override { return "builtin"; }
  Status process(std::vector<FrameContext>& frames) override;

 private:
  std::shared_ptr<const BuiltinWarp> warp_;
  FaceInfo face_;  // the still's, in output pixels
  std::vector<FrameMotion> motion_;
};

class BuiltinMouthStage final : public Stage {
 public:
  BuiltinMouthStage(std::shared_ptr<const BuiltinWarp> warp, std::vector<MouthPose> mouth);
  const char* id() const override { return "builtin"; }
  Status process(std::vector<FrameContext>& frames) override;

 private:
  std::shared_ptr<const BuiltinWarp> warp_;
  std::vector<MouthPose> mouth_;
};

// The face of a frame after a built-in motion `m` (mouth not posed):
// landmarks through the forward map, box and 5 points by the similarity that
// best fits the landmarks' motion.
FaceInfo movedFace(const FaceRig& rig, const FaceInfo& still, const FrameMotion& m);

}  // namespace avatar::detail
