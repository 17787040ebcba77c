// Renders frames on a producer thread while the caller encodes them: a
// bounded queue keeps memory constant (at most `depth` frames in flight).
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include <opencv2/core.hpp>

#include "avatar/progress.h"
#include "pipeline/frame_renderer.h"

namespace avatar::detail {

class FramePipeline {
 public:
  FramePipeline(FrameRenderer& renderer, int frameCount, const StopToken* stop, int depth = 6);
  ~FramePipeline();  // stops and joins the producer
  FramePipeline(const FramePipeline&) = delete;
  FramePipeline& operator=(const FramePipeline&) = delete;

  // Next frame in order; false at the end, on a render error (see status())
  // or when stopped.
  bool next(cv::Mat& frame);
  Status status() const;

 private:
  void produce();

  FrameRenderer& renderer_;
  const int frameCount_;
  const StopToken* stop_;
  const size_t depth_;
  std::deque<cv::Mat> queue_;
  std::vector<cv::Mat> spare_;  // recycled buffers
  Status status_;
  bool done_ = false;
  bool quit_ = false;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::thread thread_;
};

}  // namespace avatar::detail
