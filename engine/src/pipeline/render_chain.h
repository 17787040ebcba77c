// The render chain: motion -> mouth -> enhance, composed per frame.
//
// A frame's context (index, image, the face of that frame) goes through the
// stages in order. Frames are random-access: render(i) of a frame not
// prefetched runs the chain for that frame alone (the studio's scrubbing).
// Sequential rendering announces the range it is about to ask for with
// prefetch(first, count): each stage then processes the range in one call
// (one net batch), and render() serves the frames from the result.
#pragma once

#include <map>
#include <memory>
#include <vector>

#include "pipeline/frame_renderer.h"
#include "pipeline/stage.h"

namespace avatar::detail {

class RenderChain final : public FrameRenderer {
 public:
  // `stages` in chain order (motion, mouth, optional enhance).
  RenderChain(std::vector<std::unique_ptr<Stage>> stages, int frameCount);

  const char* name() const override;  // the mouth stage's id
  Status render(int index, cv::Mat& out) override;
  // Runs the chain over [first, first + count) (clamped) and keeps the frames
  // until they are rendered or the next prefetch.
  Status prefetch(int first, int count) override;
  int batchSize() const override { return batch_; }

  const std::vector<std::unique_ptr<Stage>>& stages() const { return stages_; }
  // The stage that failed last, for error context ("mouth wav2lip").
  const std::string& failedStage() const { return failedStage_; }

 private:
  Status run(std::vector<FrameContext>* frames);

  std::vector<std::unique_ptr<Stage>> stages_;
  int frameCount_;
  int batch_ = 1;
  std::map<int, cv::Mat> ready_;  // prefetched, not yet rendered
  std::string failedStage_;
};

}  // namespace avatar::detail
