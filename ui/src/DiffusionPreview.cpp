#include "DiffusionPreview.h"

#include <QElapsedTimer>
#include <QPointer>

#include "EngineTypes.h"

namespace studio {

class DiffusionWorker : public QObject {
 public:
  std::unique_ptr<avatar::Session> session;
};

struct DiffusionPreview::Task {
  quint64 generation = 0;
  std::optional<avatar::RenderRequest> open;
  int frame = -1;
  // Results (filled on the worker thread).
  avatar::Status openStatus;
  std::string mouth;
  int steps = 0;
  avatar::Status frameStatus;
  QImage image;
  double renderMs = 0;
};

DiffusionPreview::DiffusionPreview(std::shared_ptr<const avatar::Engine> engine, QObject* parent)
    : QObject(parent), engine_(std::move(engine)) {
  thread_.setObjectName(QStringLiteral("diffusion-preview"));
  worker_ = new DiffusionWorker;
  worker_->moveToThread(&thread_);
  connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);
  thread_.start();
}

DiffusionPreview::~DiffusionPreview() {
  thread_.quit();
  thread_.wait();
}

bool DiffusionPreview::mayChooseDiffusion(const avatar::RenderOptions& o) {
  using avatar::LipSyncBackend;
  return o.lipSync == LipSyncBackend::Diff2Lip ||
         (o.lipSync == LipSyncBackend::Auto && o.qualityMode == avatar::QualityMode::HighQuality);
}

avatar::RenderOptions DiffusionPreview::fastOptions(const avatar::RenderOptions& o) const {
  avatar::RenderOptions fast = o;
  if (mayChooseDiffusion(o) && !decidedInactive_) fast.lipSync = avatar::LipSyncBackend::Builtin;
  return fast;
}

void DiffusionPreview::open(const avatar::RenderRequest& request) {
  ++generation_;
  active_ = false;
  decidedInactive_ = false;
  pendingFrame_ = -1;
  if (!mayChooseDiffusion(request.options)) {
    close();
    return;
  }
  pendingOpen_ = request;
  pump();
}

void DiffusionPreview::close() {
  ++generation_;
  active_ = false;
  pendingOpen_.reset();
  pendingFrame_ = -1;
  QMetaObject::invokeMethod(
      worker_, [worker = worker_] { worker->session.reset(); }, Qt::QueuedConnection);
}

void DiffusionPreview::requestFrame(int index) {
  if (!active_ && !pendingOpen_) return;
  pendingFrame_ = std::max(0, index);
  pump();
}

void DiffusionPreview::pump() {
  if (inFlight_ || (!pendingOpen_ && pendingFrame_ < 0)) return;
  if (!pendingOpen_ && !active_) return;
  auto task = std::make_shared<Task>();
  task->generation = generation_;
  task->open = std::move(pendingOpen_);
  pendingOpen_.reset();
  if (!task->open) {
    task->frame = pendingFrame_;
    pendingFrame_ = -1;
    Q_EMIT frameStarted(task->frame);
  }
  inFlight_ = true;
  QPointer<DiffusionPreview> self = this;
  auto engine = engine_;
  DiffusionWorker* worker = worker_;
  QMetaObject::invokeMethod(
      worker_,
      [self, engine, worker, task] {
        if (task->open) {
          worker->session.reset();
          task->openStatus = avatar::Session::open(engine, *task->open, &worker->session);
          if (worker->session) {
            task->mouth = worker->session->info().lipSyncBackend;
            task->steps = worker->session->request().options.diffusionSteps;
            if (task->mouth != "diff2lip") worker->session.reset();
          }
        } else if (worker->session) {
          QElapsedTimer timer;
          timer.start();
          avatar::Image image;
          task->frameStatus = worker->session->renderFrame(task->frame, &image);
          if (task->frameStatus) task->image = toQImage(image);
          task->renderMs = double(timer.nsecsElapsed()) / 1e6;
        }
        QMetaObject::invokeMethod(
            self.data(),
            [self, task] {
              if (!self) return;
              self->inFlight_ = false;
              if (task->generation == self->generation_) {
                if (task->open) {
                  self->active_ = task->openStatus.isOk() && task->mouth == "diff2lip";
                  self->decidedInactive_ = !self->active_;
                  self->steps_ = task->steps;
                  const QString why = task->openStatus
                                          ? QStringLiteral("the engine chose the %1 mouth")
                                                .arg(QString::fromStdString(task->mouth))
                                          : QString::fromStdString(task->openStatus.message());
                  Q_EMIT self->decided(self->active_, self->active_ ? QString() : why);
                } else if (task->frameStatus) {
                  Q_EMIT self->frameReady(task->image, task->frame, task->renderMs);
                } else {
                  Q_EMIT self->frameFailed(task->frameStatus, task->frame);
                }
              }
              self->pump();
            },
            Qt::QueuedConnection);
      },
      Qt::QueuedConnection);
}

}  // namespace studio
