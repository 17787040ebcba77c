// One queued render: the QObject controller of a job that runs
// avatar::renderVideo on a worker thread. Progress is forwarded to the GUI
// thread with queued invocations; every signal is emitted on the GUI thread.
// Cancel sets the job's stop token; the engine removes the partial output.
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <memory>

#include "avatar/engine.h"
#include "avatar/progress.h"
#include "avatar/session.h"
#include "avatar/status.h"

class QThreadPool;

namespace studio {

class RenderJob : public QObject {
  Q_OBJECT

 public:
  enum class State { Queued, Running, Cancelling, Done, Failed, Cancelled };

  RenderJob(std::shared_ptr<const avatar::Engine> engine, const avatar::RenderRequest& request,
            QObject* parent = nullptr);
  ~RenderJob() override;

  // Queues the job on `pool`. Call once.
  void start(QThreadPool* pool);
  void cancel();

  const avatar::RenderRequest& request() const { return request_; }
  QString outputPath() const;
  State state() const { return state_; }
  bool isFinished() const {
    return state_ == State::Done || state_ == State::Failed || state_ == State::Cancelled;
  }
  double progress() const { return progress_; }  // 0..1
  QString stage() const { return stage_; }       // engine stage id: decode, analyse, render
  double elapsedSec() const;
  double etaSec() const;  // < 0 while unknown
  const avatar::Status& error() const { return error_; }
  const avatar::RenderResult& result() const { return result_; }

  static QString stageLabel(const QString& stage);
  static QString stateLabel(State state);

 Q_SIGNALS:
  void changed();
  void finished();

 private:
  struct Shared;
  void onStarted();
  void onProgress(double overall, const QString& stage);
  void onFinished(const avatar::Status& status, const avatar::RenderResult& result);

  std::shared_ptr<const avatar::Engine> engine_;
  avatar::RenderRequest request_;
  std::shared_ptr<Shared> shared_;
  State state_ = State::Queued;
  double progress_ = 0;
  QString stage_;
  QElapsedTimer timer_;
  double finalElapsedSec_ = -1;
  avatar::Status error_;
  avatar::RenderResult result_;
};

}  // namespace studio
