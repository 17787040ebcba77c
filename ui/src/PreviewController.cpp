#include "PreviewController.h"

#include <QPointer>

#include "EngineTypes.h"

namespace studio {

// Lives on the worker thread; owns the Session.
class PreviewWorker : public QObject {
 public:
  std::unique_ptr<avatar::Session> session;
};

struct PreviewController::Task {
  quint64 generation = 0;
  std::optional<avatar::RenderRequest> open;
  std::optional<avatar::RenderOptions> options;
  int frame = -1;
  std::shared_ptr<avatar::StopToken> stop;
};

struct PreviewController::Result {
  quint64 generation = 0;
  bool opened = false;
  avatar::Status openStatus;
  bool optionsTried = false;
  avatar::Status optionsStatus;
  avatar::RenderOptions optionsNow;
  bool hasSession = false;
  avatar::SessionInfo info;
  avatar::VisemeTrack visemes;  // the session's own, after an open or options change
  int frame = -1;
  avatar::Status frameStatus;
  QImage image;
  double renderMs = 0;
};

namespace {

// Forwards Session::open progress to the GUI thread, at most every 40 ms.
class OpenProgress : public avatar::ProgressSink {
 public:
  explicit OpenProgress(PreviewController* target) : target_(target) { timer_.start(); }
  void onProgress(double overall, std::string_view stage, double) override {
    if (timer_.elapsed() < 40 && overall < 1.0) return;
    timer_.restart();
    const QString name = QString::fromUtf8(stage.data(), qsizetype(stage.size()));
    QPointer<PreviewController> target = target_;
    QMetaObject::invokeMethod(
        target_,
        [target, overall, name] {
          if (target) Q_EMIT target->openProgress(overall, name);
        },
        Qt::QueuedConnection);
  }

 private:
  PreviewController* target_;
  QElapsedTimer timer_;
};

}  // namespace

PreviewController::PreviewController(std::shared_ptr<const avatar::Engine> engine, QObject* parent)
    : QObject(parent), engine_(std::move(engine)) {
  thread_.setObjectName(QStringLiteral("preview-worker"));
  worker_ = new PreviewWorker;
  worker_->moveToThread(&thread_);
  connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);
  thread_.start();
}

PreviewController::~PreviewController() {
  if (openStop_) openStop_->requestStop();
  thread_.quit();
  thread_.wait();
}

void PreviewController::open(const avatar::RenderRequest& request) {
  if (openStop_) openStop_->requestStop();  // a newer open supersedes an older one
  ++generation_;
  pendingOpen_ = request;
  pendingOptions_.reset();
  options_ = request.options;
  hasSession_ = false;
  opening_ = true;
  shownFrame_ = -1;
  pendingFrame_ = requestedFrame_;
  Q_EMIT openStarted();
  pump();
}

void PreviewController::close() {
  if (openStop_) openStop_->requestStop();
  ++generation_;
  pendingOpen_.reset();
  pendingOptions_.reset();
  pendingFrame_ = -1;
  hasSession_ = false;
  opening_ = false;
  shownFrame_ = -1;
  QMetaObject::invokeMethod(
      worker_, [worker = worker_] { worker->session.reset(); }, Qt::QueuedConnection);
}

void PreviewController::setOptions(const avatar::RenderOptions& options) {
  options_ = options;
  if (pendingOpen_) {
    pendingOpen_->options = options;
  } else {
    pendingOptions_ = options;
  }
  pendingFrame_ = requestedFrame_;
  pump();
}

void PreviewController::requestFrame(int index) {
  requestedFrame_ = std::max(0, index);
  if (hasSession_) requestedFrame_ = std::min(requestedFrame_, info_.frameCount - 1);
  pendingFrame_ = requestedFrame_;
  pump();
}

void PreviewController::pump() {
  if (inFlight_) return;
  if (!pendingOpen_ && !pendingOptions_ && pendingFrame_ < 0) return;
  if (!pendingOpen_ && !hasSession_) return;  // nothing to render yet
  auto task = std::make_shared<Task>();
  task->generation = generation_;
  task->open = std::move(pendingOpen_);
  task->options = std::move(pendingOptions_);
  task->frame = pendingFrame_;
  pendingOpen_.reset();
  pendingOptions_.reset();
  pendingFrame_ = -1;
  if (task->open) {
    openStop_ = std::make_shared<avatar::StopToken>();
    task->stop = openStop_;
  }
  inFlight_ = true;
  QPointer<PreviewController> self = this;
  auto engine = engine_;
  PreviewWorker* worker = worker_;
  QMetaObject::invokeMethod(
      worker_,
      [self, engine, worker, task] {
        auto r = std::make_shared<Result>();
        r->generation = task->generation;
        QElapsedTimer timer;
        if (task->open) {
          worker->session.reset();
          OpenProgress progress(self.data());
          r->opened = true;
          r->openStatus = avatar::Session::open(engine, *task->open, &worker->session, &progress,
                                                task->stop.get());
          if (!r->openStatus) worker->session.reset();
        }
        timer.start();
        if (task->options && worker->session) {
          r->optionsTried = true;
          r->optionsStatus = worker->session->setOptions(*task->options);
        }
        if (worker->session) {
          r->hasSession = true;
          r->info = worker->session->info();
          r->optionsNow = worker->session->request().options;
          if (r->opened || r->optionsTried) r->visemes = worker->session->visemes();
          if (task->frame >= 0) {
            r->frame = std::clamp(task->frame, 0, std::max(0, r->info.frameCount - 1));
            avatar::Image image;
            r->frameStatus = worker->session->renderFrame(r->frame, &image);
            if (r->frameStatus) r->image = toQImage(image);
          }
        }
        r->renderMs = double(timer.nsecsElapsed()) / 1e6;
        QMetaObject::invokeMethod(
            self.data(),
            [self, r] {
              if (self) self->finish(r);
            },
            Qt::QueuedConnection);
      },
      Qt::QueuedConnection);
}

void PreviewController::finish(const std::shared_ptr<Result>& r) {
  inFlight_ = false;
  if (r->generation != generation_) {  // superseded by a newer open/close
    pump();
    return;
  }
  if (r->opened) {
    opening_ = false;
    hasSession_ = r->openStatus.isOk();
    if (!hasSession_) {
      pendingOptions_.reset();
      Q_EMIT sessionFailed(r->openStatus);
      pump();
      return;
    }
    info_ = r->info;
    Q_EMIT sessionOpened(info_);
    Q_EMIT visemesChanged(r->visemes);
  }
  if (r->optionsTried) {
    info_ = r->info;
    if (r->optionsStatus) {
      Q_EMIT optionsApplied(info_);
      Q_EMIT visemesChanged(r->visemes);
    } else {
      options_ = r->optionsNow;
      Q_EMIT optionsRejected(r->optionsStatus, r->optionsNow);
    }
  }
  if (r->hasSession && r->frame >= 0) {
    if (r->frameStatus) {
      shownFrame_ = r->frame;
      ++framesRendered_;
      Q_EMIT frameReady(r->image, r->frame, r->renderMs);
    } else {
      Q_EMIT frameFailed(r->frameStatus);
    }
  }
  pump();
}

}  // namespace studio
