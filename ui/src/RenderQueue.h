// The render queue: jobs run one after another on a dedicated thread pool
// (each render already uses every core), so the GUI thread never waits.
#pragma once

#include <QList>
#include <QObject>
#include <QThreadPool>
#include <memory>

#include "RenderJob.h"

namespace studio {

class RenderQueue : public QObject {
  Q_OBJECT

 public:
  explicit RenderQueue(std::shared_ptr<const avatar::Engine> engine, QObject* parent = nullptr);
  ~RenderQueue() override;  // cancels running jobs and waits for them

  RenderJob* enqueue(const avatar::RenderRequest& request);
  void remove(RenderJob* job);  // only finished jobs
  void clearFinished();
  void cancelAll();
  // Blocks until no job runs (used on exit and by tests).
  bool waitForIdle(int msecs = -1);

  const QList<RenderJob*>& jobs() const { return jobs_; }
  int activeCount() const;

 Q_SIGNALS:
  void jobAdded(studio::RenderJob* job);
  void jobRemoved(studio::RenderJob* job);
  void jobFinished(studio::RenderJob* job);

 private:
  std::shared_ptr<const avatar::Engine> engine_;
  QThreadPool pool_;
  QList<RenderJob*> jobs_;
};

}  // namespace studio
