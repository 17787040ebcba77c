// GFPGAN face restoration for rendered frames: FFHQ 5-point alignment to
// 512x512, the net, inverse warp, soft-mask paste-back, strength blend.
//
// Alignment points come from the 68 landmarks (mean of 36-41, mean of 42-47,
// 30, 48, 54) or, without them, from FaceInfo::alignment; the similarity
// transform is estimateAffinePartial2D(points, template, LMEDS) and the crop
// border is (135, 133, 132) BGR, as in the official face helper. The paste
// mask is the warped-back square, eroded and feathered by sqrt(area)/20.
// The GFPGAN stage aligns each frame on its own 5 points (the moved face);
// a frame whose points equal the previous one's reuses its transform and mask.
#pragma once

#include <array>
#include <list>
#include <memory>
#include <vector>

#include <opencv2/core.hpp>

#include "avatar/engine.h"
#include "avatar/face.h"
#include "avatar/options.h"
#include "avatar_nets/nets.h"
#include "pipeline/output_geometry.h"
#include "pipeline/stage.h"

namespace avatar::detail {

// The FFHQ template at 512 (left eye, right eye, nose, mouth left, mouth right).
const std::array<cv::Point2f, 5>& ffhqTemplate512();

// The 5 alignment points of a face (frame pixels); false when unknown.
bool gfpganAlignmentPoints(const FaceInfo& face, std::array<cv::Point2f, 5>* out);

// One face's transform into the 512 crop and its paste-back mask.
struct GfpganAlignment {
  std::array<cv::Point2f, 5> points{};
  cv::Mat affine;    // frame -> crop (2x3)
  cv::Mat inverse;   // crop -> frame ROI
  cv::Rect roi;      // part of the frame the face is pasted into
  cv::Mat softMask;  // CV_32FC3 over roi, already times strength
};

// NoFaceDetected when the points are degenerate or the face leaves the frame.
Status gfpganAlign(const std::array<cv::Point2f, 5>& points, cv::Size frameSize, double strength,
                   GfpganAlignment* out);

struct GfpganSettings {
  double strength = 0.8;  // 0 = input, 1 = fully restored
  int batchSize = 1;      // faces per net call (frames are enhanced in groups)
};

class GfpganEnhancer {
 public:
  // `face` in frame pixels; `frameSize` of the frames to come.
  static Status create(std::shared_ptr<const nets::GfpganNet> net, const FaceInfo& face,
                       cv::Size frameSize, const GfpganSettings& settings,
                       std::unique_ptr<GfpganEnhancer>* out);

  // Enhances CV_8UC3 RGB frames of the configured size in place (one net
  // call per batchSize frames), each with its own alignment or, without
  // `alignments`, the one given to create().
  Status enhance(const std::vector<cv::Mat*>& frames,
                 const std::vector<const GfpganAlignment*>& alignments = {}) const;

  const cv::Mat& alignment() const { return align_.affine; }  // frame -> 512 crop (2x3)
  int batchSize() const { return settings_.batchSize; }
  const GfpganSettings& settings() const { return settings_; }

 private:
  GfpganEnhancer() = default;
  std::shared_ptr<const nets::GfpganNet> net_;
  GfpganSettings settings_;
  cv::Size frameSize_;
  GfpganAlignment align_;
};

// The enhance stage: GFPGAN on each frame's own face (FrameContext::face).
class GfpganStage final : public Stage {
 public:
  GfpganStage(std::unique_ptr<GfpganEnhancer> enhancer, cv::Size frameSize)
      : enhancer_(std::move(enhancer)), frameSize_(frameSize) {}
  const char* id() const override { return "gfpgan"; }
  int batchSize() const override { return enhancer_->batchSize(); }
  Status process(std::vector<FrameContext>& frames) override;

 private:
  std::unique_ptr<GfpganEnhancer> enhancer_;
  cv::Size frameSize_;
  GfpganAlignment last_;  // reused while the face stays put
};

// The table's factory: finds the installed weights (ModelMissing naming the
// file and the converter command), gets the Engine's net, checks the photo's
// face can be aligned. Batch 1 on the CPU, 8 on CUDA.
Status makeGfpganStage(const StageSetup& setup, std::unique_ptr<Stage>* out);

}  // namespace avatar::detail
