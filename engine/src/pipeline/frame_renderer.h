// A FrameRenderer turns a frame index into an output frame. The session owns
// one; the built-in talking head, Wav2Lip and the still fallback implement it.
#pragma once

#include <opencv2/core.hpp>

#include "avatar/status.h"

namespace avatar::detail {

class FrameRenderer {
 public:
  virtual ~FrameRenderer() = default;
  // Backend name recorded in job records: "still", "builtin", "wav2lip".
  virtual const char* name() const = 0;
  // Renders frame `index` into `out` (CV_8UC3 RGB at the output size). Any
  // index in range, in any order: the studio scrubs at random.
  virtual Status render(int index, cv::Mat& out) = 0;
};

// Every frame is the composed photo: the pipeline's fallback and baseline.
class StillRenderer final : public FrameRenderer {
 public:
  explicit StillRenderer(cv::Mat frame) : frame_(std::move(frame)) {}
  const char* name() const override { return "still"; }
  Status render(int, cv::Mat& out) override {
    frame_.copyTo(out);
    return Status::ok();
  }

 private:
  cv::Mat frame_;
};

}  // namespace avatar::detail
