// Progress reporting and cancellation.
//
// A job is a sequence of weighted stages ("analyse", "render", ...). The
// engine reports (overall fraction, stage, stage fraction) to a ProgressSink.
// Callbacks run on the worker thread that does the work, never on the
// caller's thread: a GUI must forward them with a queued call. A sink must be
// cheap and must not call back into the job.
//
// Cancellation is cooperative: the caller sets a StopToken; the engine checks
// it at least once per frame and returns ErrorCode::Cancelled.
#pragma once

#include <atomic>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace avatar {

class ProgressSink {
 public:
  virtual ~ProgressSink() = default;
  // overall and stageFraction are in [0,1]; overall never decreases.
  virtual void onProgress(double overall, std::string_view stage, double stageFraction) = 0;
};

class StopToken {
 public:
  void requestStop() { stop_.store(true, std::memory_order_relaxed); }
  bool stopRequested() const { return stop_.load(std::memory_order_relaxed); }

 private:
  std::atomic<bool> stop_{false};
};

// Maps a job's 0..1 onto [from, to] of another sink, e.g. Session::open
// onto 0..0.1 and Session::renderVideo onto 0.1..1 of one progress bar.
class ProgressRange final : public ProgressSink {
 public:
  ProgressRange(ProgressSink* target, double from, double to)
      : target_(target), from_(from), to_(to) {}
  void onProgress(double overall, std::string_view stage, double stageFraction) override {
    if (target_) target_->onProgress(from_ + (to_ - from_) * overall, stage, stageFraction);
  }

 private:
  ProgressSink* target_;
  double from_, to_;
};

struct ProgressStage {
  std::string name;
  double weight = 1.0;  // relative share of the whole job
};

// Turns per-stage fractions into one monotonic overall fraction.
// Thread-safe; `sink` may be null (then it only tracks).
class ProgressMerger {
 public:
  ProgressMerger(ProgressSink* sink, std::vector<ProgressStage> stages);
  // Starts stage `name` (must be one of the stages) at fraction 0.
  void begin(std::string_view name);
  // Reports the current stage's fraction; values are clamped to [0,1].
  void update(double stageFraction);
  // Marks every stage done and reports 1.0.
  void finish();
  double overall() const;

 private:
  void emitLocked(double stageFraction);
  ProgressSink* sink_;
  std::vector<ProgressStage> stages_;
  double total_ = 0;
  size_t current_ = 0;
  double done_ = 0;  // weight of completed stages
  double lastOverall_ = 0;
  mutable std::mutex mutex_;
};

}  // namespace avatar
