// GFPGAN face restoration for rendered frames: FFHQ 5-point alignment to
// 512x512, the net, inverse warp, soft-mask paste-back, strength blend.
//
// Alignment points come from the 68 landmarks (mean of 36-41, mean of 42-47,
// 30, 48, 54) or, without them, from FaceInfo::alignment; the similarity
// transform is estimateAffinePartial2D(points, template, LMEDS) and the crop
// border is (135, 133, 132) BGR, as in the official face helper. The paste
// mask is the warped-back square, eroded and feathered by sqrt(area)/20.
// The photo is still, so the transform and mask are computed once.
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
#include "pipeline/frame_renderer.h"
#include "pipeline/output_geometry.h"

namespace avatar::detail {

// The FFHQ template at 512 (left eye, right eye, nose, mouth left, mouth right).
const std::array<cv::Point2f, 5>& ffhqTemplate512();

// The 5 alignment points of a face (frame pixels); false when unknown.
bool gfpganAlignmentPoints(const FaceInfo& face, std::array<cv::Point2f, 5>* out);

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
  // call per batchSize frames).
  Status enhance(const std::vector<cv::Mat*>& frames) const;

  const cv::Mat& alignment() const { return affine_; }  // frame -> 512 crop (2x3)
  int batchSize() const { return settings_.batchSize; }

 private:
  GfpganEnhancer() = default;
  std::shared_ptr<const nets::GfpganNet> net_;
  GfpganSettings settings_;
  cv::Size frameSize_;
  cv::Mat affine_;    // frame -> crop
  cv::Mat inverse_;   // crop -> frame ROI
  cv::Rect roi_;      // part of the frame the face is pasted into
  cv::Mat softMask_;  // CV_32FC3 over roi_, already times strength
};

// Wraps a renderer: every frame it renders goes through the enhancer.
// Sequential access renders and enhances batchSize frames at a time (cached);
// random access enhances just the frame asked for.
class EnhancedRenderer final : public FrameRenderer {
 public:
  EnhancedRenderer(std::unique_ptr<FrameRenderer> inner, std::unique_ptr<GfpganEnhancer> enhancer,
                   int frameCount);
  const char* name() const override { return inner_->name(); }
  Status render(int index, cv::Mat& out) override;

 private:
  std::unique_ptr<FrameRenderer> inner_;
  std::unique_ptr<GfpganEnhancer> enhancer_;
  int frameCount_;
  int cachedFirst_ = -1;
  int lastIndex_ = -2;
  std::vector<cv::Mat> cached_;
};

// Wraps `*renderer` with GFPGAN at options.enhancerStrength: finds the
// installed weights (ModelMissing naming the file and the converter command),
// loads the net (shared across sessions), aligns the photo's face in the
// frame. Batch 1 on the CPU, 8 on CUDA.
Status addGfpganEnhancer(const Engine& engine, const RenderOptions& options,
                         const FaceInfo& photoFace, const OutputGeometry& geometry,
                         cv::Size frameSize, int frameCount,
                         std::unique_ptr<FrameRenderer>* renderer);

}  // namespace avatar::detail
