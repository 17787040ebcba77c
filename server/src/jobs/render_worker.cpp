#include "jobs/render_worker.h"

#include <QCryptographicHash>
#include <QFile>
#include <chrono>

#include "avatar/session.h"

namespace avatar::server {
namespace {

using Clock = std::chrono::steady_clock;

// Maps the engine's per-call progress onto [from, to] of the job and throttles it.
class ScaledSink : public avatar::ProgressSink {
 public:
  ScaledSink(const std::string& jobId, const RenderWorker::ProgressFn& fn, double from, double to)
      : jobId_(jobId), fn_(fn), from_(from), to_(to) {}
  void onProgress(double overall, std::string_view stage, double) override {
    const double value = from_ + (to_ - from_) * overall;
    const auto now = Clock::now();
    const bool stageChanged = stage != lastStage_;
    if (!stageChanged && now - lastSent_ < std::chrono::milliseconds(100) && overall < 1.0) return;
    lastStage_ = std::string(stage);
    lastSent_ = now;
    fn_(jobId_, value, lastStage_);
  }

 private:
  const std::string& jobId_;
  const RenderWorker::ProgressFn& fn_;
  double from_, to_;
  std::string lastStage_;
  Clock::time_point lastSent_{};
};

double secondsSince(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

std::string sha256Of(const std::string& path, int64_t* bytes) {
  QFile file(QString::fromStdString(path));
  if (!file.open(QIODevice::ReadOnly)) return {};
  QCryptographicHash hash(QCryptographicHash::Sha256);
  if (!hash.addData(&file)) return {};
  *bytes = file.size();
  return hash.result().toHex().toStdString();
}

}  // namespace

RenderWorker::RenderWorker(std::shared_ptr<const avatar::Engine> engine, ProgressFn progress,
                           DoneFn done)
    : engine_(std::move(engine)), progress_(std::move(progress)), done_(std::move(done)) {
  thread_ = std::thread([this] { loop(); });
}

RenderWorker::~RenderWorker() {
  {
    std::lock_guard lock(mutex_);
    exit_ = true;
    if (stop_) stop_->requestStop();
  }
  wake_.notify_all();
  thread_.join();
}

void RenderWorker::start(RenderTask task) {
  {
    std::lock_guard lock(mutex_);
    current_ = task.jobId;
    pending_ = std::move(task);
    forShutdown_ = false;
  }
  wake_.notify_all();
}

bool RenderWorker::busy() const {
  std::lock_guard lock(mutex_);
  return !current_.empty();
}

std::string RenderWorker::currentJob() const {
  std::lock_guard lock(mutex_);
  return current_;
}

void RenderWorker::stop(bool forShutdown) {
  std::lock_guard lock(mutex_);
  if (current_.empty()) return;
  forShutdown_ = forShutdown_ || forShutdown;
  // A task not picked up yet sees the flag and stops at once.
  if (stop_) stop_->requestStop();
}

void RenderWorker::loop() {
  for (;;) {
    RenderTask task;
    auto stop = std::make_unique<avatar::StopToken>();
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return exit_ || pending_.has_value(); });
      if (exit_) return;
      task = std::move(*pending_);
      pending_.reset();
      stop_ = std::move(stop);
      if (forShutdown_) stop_->requestStop();
    }
    RenderOutcome outcome;
    // An exception escaping this thread would std::terminate the whole
    // server: it fails this job, with its reason, and nothing else.
    try {
      outcome = run(task, *stop_);
    } catch (const std::bad_alloc&) {
      outcome = RenderOutcome{};
      outcome.jobId = task.jobId;
      outcome.status =
          avatar::Status::error(avatar::ErrorCode::OutOfMemory, "", "the render ran out of memory");
    } catch (const std::exception& e) {
      outcome = RenderOutcome{};
      outcome.jobId = task.jobId;
      outcome.status = avatar::Status::error(avatar::ErrorCode::Internal, "",
                                             std::string("the render failed: ") + e.what());
    } catch (...) {
      outcome = RenderOutcome{};
      outcome.jobId = task.jobId;
      outcome.status = avatar::Status::error(avatar::ErrorCode::Internal, "",
                                             "the render failed (unknown error)");
    }
    {
      std::lock_guard lock(mutex_);
      outcome.stoppedForShutdown = forShutdown_;
      current_.clear();
      stop_.reset();
    }
    done_(std::move(outcome));
  }
}

RenderOutcome RenderWorker::run(const RenderTask& task, avatar::StopToken& stop) {
  RenderOutcome out;
  out.jobId = task.jobId;
  // Decoding and analysis take roughly a tenth of a job (the engine's own weights).
  ScaledSink openSink(task.jobId, progress_, 0.0, 0.1);
  ScaledSink renderSink(task.jobId, progress_, 0.1, 1.0);
  const auto t0 = Clock::now();
  std::unique_ptr<avatar::Session> session;
  out.status = avatar::Session::open(engine_, task.request, &session, &openSink, &stop);
  if (!out.status) return out;
  const double analyseSec = secondsSince(t0);
  const avatar::SessionInfo& info = session->info();
  out.result = {{"lipSyncBackend", info.lipSyncBackend},
                {"enhancer", info.enhancer},
                {"width", info.width},
                {"height", info.height},
                {"fps", info.fps},
                {"analyseSec", analyseSec}};
  avatar::RenderResult result;
  out.status = session->renderVideo(&result, &renderSink, &stop);
  if (!out.status) return out;
  out.result["videoEncoder"] = result.videoEncoder;
  out.result["frameCount"] = result.frameCount;
  out.result["durationSec"] = result.durationSec;
  out.result["renderSec"] = result.renderSec;
  out.notes = result.notes;
  out.sha256 = sha256Of(result.outputPath, &out.outputBytes);
  if (out.sha256.empty()) {
    out.status = avatar::Status::error(avatar::ErrorCode::OutputNotWritable, result.outputPath,
                                       "the finished video cannot be read back");
  }
  return out;
}

}  // namespace avatar::server
