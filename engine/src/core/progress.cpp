#include "avatar/progress.h"

#include <algorithm>

namespace avatar {

ProgressMerger::ProgressMerger(ProgressSink* sink, std::vector<ProgressStage> stages)
    : sink_(sink), stages_(std::move(stages)) {
  for (const auto& s : stages_) total_ += std::max(0.0, s.weight);
  if (total_ <= 0) total_ = 1;
}

void ProgressMerger::begin(std::string_view name) {
  std::lock_guard lock(mutex_);
  for (size_t i = 0; i < stages_.size(); ++i) {
    if (stages_[i].name != name) continue;
    done_ = 0;
    for (size_t j = 0; j < i; ++j) done_ += std::max(0.0, stages_[j].weight);
    current_ = i;
    emitLocked(0.0);
    return;
  }
}

void ProgressMerger::update(double stageFraction) {
  std::lock_guard lock(mutex_);
  emitLocked(std::clamp(stageFraction, 0.0, 1.0));
}

void ProgressMerger::finish() {
  std::lock_guard lock(mutex_);
  done_ = total_;
  lastOverall_ = 1.0;
  if (sink_) {
    const std::string_view stage = stages_.empty() ? "done" : std::string_view(stages_.back().name);
    sink_->onProgress(1.0, stage, 1.0);
  }
}

double ProgressMerger::overall() const {
  std::lock_guard lock(mutex_);
  return lastOverall_;
}

void ProgressMerger::emitLocked(double stageFraction) {
  if (stages_.empty()) return;
  const double weight = std::max(0.0, stages_[current_].weight);
  const double overall = std::clamp((done_ + weight * stageFraction) / total_, 0.0, 1.0);
  lastOverall_ = std::max(lastOverall_, overall);
  if (sink_) sink_->onProgress(lastOverall_, stages_[current_].name, stageFraction);
}

}  // namespace avatar
