// The fomm motion stage: the First-Order Motion Model animates a 256x256
// crop around the photo's face (fomm_crop.h) from driving keypoints
// (fomm_keypoints.h: a driver video's, or the built-in plan's), and the
// prediction is pasted back into the full-resolution frame. The moved
// face's landmarks are found again on the pasted frame (one landmark-net
// pass), so a mouth stage after it works on the face as it now is.
// Generator calls are batched (4 frames on the CPU, 16 on CUDA, fp16 there).
#pragma once

#include <memory>
#include <vector>

#include "avatar_nets/fomm.h"
#include "pipeline/fomm_crop.h"
#include "pipeline/fomm_keypoints.h"
#include "pipeline/stage.h"

namespace avatar::detail {

class FommStage final : public Stage {
 public:
  FommStage(const Engine& engine, std::shared_ptr<const nets::FommNet> net, cv::Mat base,
            FaceInfo face, FommCrop crop, std::vector<float> source, FommKeypoints sourceKp,
            FommKeypoints driving, std::vector<HeadPose> heads, int batch);
  const char* id() const override { return "fomm"; }
  int batchSize() const override { return batch_; }
  Status process(std::vector<FrameContext>& frames) override;

 private:
  Status runBatch(FrameContext* frames, int n);
  FaceInfo movedFace(const cv::Mat& frame, const float* kp) const;

  const Engine& engine_;
  std::shared_ptr<const nets::FommNet> net_;
  cv::Mat base_;
  FaceInfo face_;
  FommCrop crop_;
  std::vector<float> source_;  // (3,256,256)
  FommKeypoints sourceKp_, driving_;
  std::vector<HeadPose> heads_;
  int batch_ = 4;
};

// The table's factory: the weights (ModelMissing naming the file and the
// converter), the photo's keypoints, the driver's (decoded again) or the
// planned ones.
Status makeFommStage(const StageSetup& setup, std::unique_ptr<Stage>* out);

}  // namespace avatar::detail
