#include "RenderJob.h"

#include <QFile>
#include <QMutex>
#include <QMutexLocker>
#include <QThreadPool>

#include "EngineTypes.h"
#include "avatar/files.h"
#include "avatar/log.h"

namespace studio {

// What the worker shares with the job. The job may be deleted (removed from
// the list) while a worker still holds this: `job` is cleared under the lock
// first, so the worker never posts to a deleted object.
struct RenderJob::Shared {
  avatar::StopToken stop;
  QMutex mutex;
  RenderJob* job = nullptr;

  template <typename F>
  void post(F fn) {
    QMutexLocker lock(&mutex);
    if (!job) return;
    RenderJob* target = job;
    QMetaObject::invokeMethod(
        target, [target, fn] { fn(target); }, Qt::QueuedConnection);
  }
};

namespace {

// Runs on the worker thread; posts to the job at most every 50 ms and on
// every stage change.
class ForwardProgress : public avatar::ProgressSink {
 public:
  explicit ForwardProgress(std::function<void(double, QString)> post) : post_(std::move(post)) {
    timer_.start();
  }
  void onProgress(double overall, std::string_view stage, double) override {
    const QString name = QString::fromUtf8(stage.data(), qsizetype(stage.size()));
    if (name == last_ && timer_.elapsed() < 50 && overall < 1.0) return;
    last_ = name;
    timer_.restart();
    post_(overall, name);
  }

 private:
  std::function<void(double, QString)> post_;
  QString last_;
  QElapsedTimer timer_;
};

}  // namespace

RenderJob::RenderJob(std::shared_ptr<const avatar::Engine> engine,
                     const avatar::RenderRequest& request, QObject* parent)
    : QObject(parent),
      engine_(std::move(engine)),
      request_(request),
      shared_(std::make_shared<Shared>()) {
  shared_->job = this;
}

RenderJob::~RenderJob() {
  shared_->stop.requestStop();
  QMutexLocker lock(&shared_->mutex);
  shared_->job = nullptr;
}

QString RenderJob::outputPath() const {
  return fromEnginePath(request_.outputPath);
}

void RenderJob::start(QThreadPool* pool) {
  auto shared = shared_;
  auto engine = engine_;
  const avatar::RenderRequest request = request_;
  pool->start([shared, engine, request] {
    avatar::RenderResult result;
    avatar::Status status;
    if (shared->stop.stopRequested()) {
      status = avatar::Status::error(avatar::ErrorCode::Cancelled, request.outputPath,
                                     "cancelled before it started");
    } else {
      shared->post([](RenderJob* job) { job->onStarted(); });
      ForwardProgress progress([shared](double overall, QString stage) {
        shared->post([overall, stage](RenderJob* job) { job->onProgress(overall, stage); });
      });
      status = avatar::renderVideo(engine, request, &result, &progress, &shared->stop);
    }
    shared->post([status, result](RenderJob* job) { job->onFinished(status, result); });
  });
}

void RenderJob::cancel() {
  if (isFinished()) return;
  shared_->stop.requestStop();
  if (state_ == State::Queued) {
    state_ = State::Cancelled;
    error_ = avatar::Status::error(avatar::ErrorCode::Cancelled, request_.outputPath,
                                   "cancelled before it started");
    Q_EMIT changed();
    Q_EMIT finished();
    return;
  }
  state_ = State::Cancelling;
  Q_EMIT changed();
}

void RenderJob::onStarted() {
  if (isFinished()) return;
  if (state_ != State::Cancelling) state_ = State::Running;
  timer_.start();
  Q_EMIT changed();
}

void RenderJob::onProgress(double overall, const QString& stage) {
  if (isFinished()) return;
  progress_ = std::max(progress_, overall);
  stage_ = stage;
  Q_EMIT changed();
}

void RenderJob::onFinished(const avatar::Status& status, const avatar::RenderResult& result) {
  finalElapsedSec_ = timer_.isValid() ? double(timer_.nsecsElapsed()) / 1e9 : 0;
  const bool wasFinished = isFinished();
  result_ = result;
  error_ = status;
  if (status) {
    state_ = State::Done;
    progress_ = 1.0;
  } else if (status.code() == avatar::ErrorCode::Cancelled) {
    state_ = State::Cancelled;
    // The engine removes <out>.<tag>.part on cancel; make sure nothing half-written stays.
    for (const auto& part : avatar::partialOutputs(toEnginePath(outputPath()))) {
      avatar::log(avatar::LogLevel::Warning, "studio: removing leftover " + part);
      QFile::remove(fromEnginePath(part));
    }
  } else {
    state_ = State::Failed;
  }
  Q_EMIT changed();
  if (!wasFinished) Q_EMIT finished();
}

double RenderJob::elapsedSec() const {
  if (finalElapsedSec_ >= 0) return finalElapsedSec_;
  return timer_.isValid() ? double(timer_.nsecsElapsed()) / 1e9 : 0;
}

double RenderJob::etaSec() const {
  if (state_ != State::Running || progress_ < 0.03) return -1;
  return elapsedSec() * (1 - progress_) / progress_;
}

QString RenderJob::stageLabel(const QString& stage) {
  if (stage == QLatin1String("decode")) return tr("Decoding inputs");
  if (stage == QLatin1String("analyse")) return tr("Analysing face and speech");
  if (stage == QLatin1String("render")) return tr("Rendering frames");
  if (stage == QLatin1String("encode")) return tr("Encoding video");
  if (stage == QLatin1String("enhance")) return tr("Enhancing faces");
  return stage;
}

QString RenderJob::stateLabel(State state) {
  switch (state) {
    case State::Queued:
      return tr("Waiting");
    case State::Running:
      return tr("Rendering");
    case State::Cancelling:
      return tr("Cancelling…");
    case State::Done:
      return tr("Done");
    case State::Failed:
      return tr("Failed");
    case State::Cancelled:
      return tr("Cancelled");
  }
  return {};
}

}  // namespace studio
