#include "RenderQueue.h"

namespace studio {

RenderQueue::RenderQueue(std::shared_ptr<const avatar::Engine> engine, QObject* parent)
    : QObject(parent), engine_(std::move(engine)) {
  pool_.setMaxThreadCount(1);
  pool_.setObjectName(QStringLiteral("render-queue"));
}

RenderQueue::~RenderQueue() {
  cancelAll();
  pool_.waitForDone();
}

RenderJob* RenderQueue::enqueue(const avatar::RenderRequest& request) {
  auto* job = new RenderJob(engine_, request, this);
  jobs_.append(job);
  connect(job, &RenderJob::finished, this, [this, job] { Q_EMIT jobFinished(job); });
  Q_EMIT jobAdded(job);
  job->start(&pool_);
  return job;
}

void RenderQueue::remove(RenderJob* job) {
  if (!job || !job->isFinished() || !jobs_.removeOne(job)) return;
  Q_EMIT jobRemoved(job);
  job->deleteLater();
}

void RenderQueue::clearFinished() {
  const auto copy = jobs_;
  for (RenderJob* job : copy) {
    if (job->isFinished()) remove(job);
  }
}

void RenderQueue::cancelAll() {
  for (RenderJob* job : jobs_) job->cancel();
}

bool RenderQueue::waitForIdle(int msecs) {
  return pool_.waitForDone(msecs);
}

int RenderQueue::activeCount() const {
  int n = 0;
  for (RenderJob* job : jobs_) n += job->isFinished() ? 0 : 1;
  return n;
}

}  // namespace studio
