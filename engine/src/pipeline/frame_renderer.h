// A FrameRenderer turns a frame index into an output frame: the session's
// RenderChain (render_chain.h) implements it; FramePipeline drives it.
#pragma once

#include <opencv2/core.hpp>

#include "avatar/status.h"

namespace avatar::detail {

class FrameRenderer {
 public:
  virtual ~FrameRenderer() = default;
  // Backend name recorded in job records: "builtin", "wav2lip".
  virtual const char* name() const = 0;
  // Renders frame `index` into `out` (CV_8UC3 RGB at the output size). Any
  // index in range, in any order: the studio scrubs at random.
  virtual Status render(int index, cv::Mat& out) = 0;
  // Announces that frames [first, first + count) come next (batching).
  virtual Status prefetch(int /*first*/, int /*count*/) { return Status::ok(); }
  // Frames worth prefetching at once.
  virtual int batchSize() const { return 1; }
};

}  // namespace avatar::detail
