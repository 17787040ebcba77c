// The Diff2Lip mouth stage: diffusion inpainting of the lower half of each
// frame's face crop, on the frame as the motion stage left it (the moved
// face), so head motion and blinks stay.
//
// As the official generate.py: the crop is the frame's face box (pads 0,
// clamped to the frame) resized to 128x128 without keeping its aspect, RGB
// in [-1,1]; the reference frame is the photo's own face crop; frame k uses
// the mel window starting at int(80 * max(k-1, 0) / fps); one noise tensor
// seeded from the request's seed serves every frame (temporally stable,
// deterministic). The DDIM step count is the `diffusionSteps` option.
// Boxes come from the motion stage, which moves the photo's box smoothly
// (no per-frame detection), so there is no detector jitter to smooth.
// Paste-back: feathered lower-face mask with colour matching (default) or
// the official hard paste (`mouthPaste: hard`).
//
// Frames are sampled in batches (diffusionBatch; 0 = 4 on the CPU, 32 on
// CUDA); a batch that runs out of memory is retried at half the size.
#pragma once

#include <memory>
#include <vector>

#include <opencv2/core.hpp>

#include "audio/mel.h"
#include "avatar_nets/diff2lip.h"
#include "pipeline/stage.h"

namespace avatar::detail {

struct Diff2LipSettings {
  int steps = 25;
  int batchSize = 4;
  bool hardPaste = false;
  uint32_t seed = 0;
};

// The smallest face (box side in output pixels) the stage accepts: below
// it the 128x128 crop is mostly upsampled blur.
constexpr int kDiff2LipMinFacePx = 64;

class Diff2LipStage final : public Stage {
 public:
  // InvalidArgument for an empty mel, bad frame count/fps or a step count
  // without an integer DDIM stride (naming diffusionSteps); NoFaceDetected
  // when the photo's face is missing or smaller than kDiff2LipMinFacePx.
  static Status create(std::shared_ptr<const nets::Diff2LipNet> net, MelSpectrogram mel, double fps,
                       int frameCount, const cv::Mat& photoFrame, const FaceInfo& photoFace,
                       const Diff2LipSettings& settings, std::unique_ptr<Diff2LipStage>* out);

  const char* id() const override { return "diff2lip"; }
  int batchSize() const override { return settings_.batchSize; }
  Status process(std::vector<FrameContext>& frames) override;

 private:
  Diff2LipStage() = default;
  Status runBatch(FrameContext* frames, int n);
  void compose(const float* sample, const cv::Rect& crop, FrameContext& ctx) const;

  std::shared_ptr<const nets::Diff2LipNet> net_;
  MelSpectrogram mel_;
  double fps_ = 25;
  int frameCount_ = 0;
  Diff2LipSettings settings_;
  std::vector<float> reference_;  // 3x128x128, the photo's face crop
  std::vector<float> noise_;      // 3x128x128, from the seed
};

// The table's factory: the installed weights (ModelMissing naming the file
// and the converter), the Engine's net on the asked device, the options'
// steps, batch, paste and seed.
Status makeDiff2LipStage(const StageSetup& setup, std::unique_ptr<Stage>* out);

}  // namespace avatar::detail
