#include "pipeline/render_chain.h"

#include <algorithm>
#include <new>

#include <opencv2/core.hpp>

namespace avatar::detail {

RenderChain::RenderChain(std::vector<std::unique_ptr<Stage>> stages, int frameCount)
    : stages_(std::move(stages)), frameCount_(frameCount) {
  for (const auto& s : stages_) batch_ = std::max(batch_, s->batchSize());
}

const char* RenderChain::name() const {
  return stages_.size() > 1 ? stages_[1]->id() : "builtin";
}

Status RenderChain::run(std::vector<FrameContext>* frames) {
  static const char* kRoles[] = {"motion", "mouth", "enhance"};
  for (size_t k = 0; k < stages_.size(); ++k) {
    failedStage_ = std::string(kRoles[std::min<size_t>(k, 2)]) + " " + stages_[k]->id();
    Status s;
    try {
      s = stages_[k]->process(*frames);
    } catch (const std::bad_alloc&) {
      s = Status::error(ErrorCode::OutOfMemory, failedStage_, "out of memory");
    } catch (const cv::Exception& e) {
      s = Status::error(ErrorCode::Internal, failedStage_, std::string("OpenCV: ") + e.what());
    } catch (const std::exception& e) {
      s = Status::error(ErrorCode::Internal, failedStage_, e.what());
    }
    if (!s) return s.addContext("in the " + failedStage_ + " stage");
  }
  failedStage_.clear();
  for (FrameContext& f : *frames) f.pixels();  // paint what is still pending
  return Status::ok();
}

Status RenderChain::prefetch(int first, int count) {
  first = std::clamp(first, 0, frameCount_);
  count = std::clamp(count, 0, frameCount_ - first);
  if (count == 0) return Status::ok();
  std::vector<FrameContext> frames(static_cast<size_t>(count));
  for (int i = 0; i < count; ++i) frames[size_t(i)].index = first + i;
  if (Status s = run(&frames); !s) return s;
  ready_.clear();
  for (FrameContext& f : frames) ready_[f.index] = std::move(f.image);
  return Status::ok();
}

Status RenderChain::render(int index, cv::Mat& out) {
  if (index < 0 || index >= frameCount_) {
    return Status::error(
        ErrorCode::InvalidArgument, "frame index",
        std::to_string(index) + " is outside 0.." + std::to_string(frameCount_ - 1));
  }
  if (auto it = ready_.find(index); it != ready_.end()) {
    it->second.copyTo(out);
    ready_.erase(it);
    return Status::ok();
  }
  // One frame: the caller's buffer is the frame's (no extra copy).
  std::vector<FrameContext> frames(1);
  frames[0].index = index;
  frames[0].image = out;
  if (Status s = run(&frames); !s) return s;
  out = frames[0].image;
  return Status::ok();
}

}  // namespace avatar::detail
