#include "pipeline/frame_pipeline.h"

namespace avatar::detail {

FramePipeline::FramePipeline(FrameRenderer& renderer, int frameCount, const StopToken* stop,
                             int depth)
    : renderer_(renderer), frameCount_(frameCount), stop_(stop), depth_(size_t(depth)) {
  thread_ = std::thread([this] { produce(); });
}

FramePipeline::~FramePipeline() {
  {
    std::lock_guard lock(mutex_);
    quit_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

void FramePipeline::produce() {
  int prefetched = 0;  // frames [0, prefetched) were announced
  for (int i = 0; i < frameCount_; ++i) {
    cv::Mat frame;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [&] { return quit_ || queue_.size() < depth_; });
      if (quit_) break;
      if (!spare_.empty()) {
        frame = spare_.back();
        spare_.pop_back();
      }
    }
    if (stop_ && stop_->stopRequested()) break;
    Status s;
    try {
      // Announce the next batch (one net call per stage), then take frames.
      if (i >= prefetched && renderer_.batchSize() > 1) {
        s = renderer_.prefetch(i, renderer_.batchSize());
        prefetched = i + renderer_.batchSize();
      }
      if (s) s = renderer_.render(i, frame);
    } catch (const std::exception& e) {
      s = Status::error(ErrorCode::Internal, "renderer", e.what());
    }
    std::lock_guard lock(mutex_);
    if (!s) {
      status_ = s;
      break;
    }
    queue_.push_back(frame);
    changed_.notify_all();
  }
  std::lock_guard lock(mutex_);
  done_ = true;
  changed_.notify_all();
}

bool FramePipeline::next(cv::Mat& frame) {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return !queue_.empty() || done_; });
  if (!frame.empty() && spare_.size() < depth_) spare_.push_back(frame);
  if (queue_.empty()) return false;
  frame = queue_.front();
  queue_.pop_front();
  changed_.notify_all();
  return true;
}

Status FramePipeline::status() const {
  std::lock_guard lock(mutex_);
  return status_;
}

}  // namespace avatar::detail
