// The preview's slow mouth: Diff2Lip is diffusion (tens of seconds a frame
// on a CPU), so the live preview scrubs and plays with the fast built-in
// mouth, and this second Session renders the diffusion frame when the
// playhead rests; the window swaps it in, labelled, if the playhead is still
// there. Its own worker thread (a frame cannot be interrupted, so a request
// made meanwhile waits, and only the newest one is rendered).
#pragma once

#include <QImage>
#include <QObject>
#include <QThread>
#include <memory>
#include <optional>

#include "avatar/engine.h"
#include "avatar/options.h"
#include "avatar/session.h"
#include "avatar/status.h"

namespace studio {

class DiffusionWorker;

class DiffusionPreview : public QObject {
  Q_OBJECT

 public:
  explicit DiffusionPreview(std::shared_ptr<const avatar::Engine> engine,
                            QObject* parent = nullptr);
  ~DiffusionPreview() override;

  // Whether options may choose Diff2Lip (explicitly, or auto in high_quality).
  static bool mayChooseDiffusion(const avatar::RenderOptions& o);
  // The options for the live preview: the fast built-in mouth where the
  // request would get Diff2Lip (unless the engine said it does not).
  avatar::RenderOptions fastOptions(const avatar::RenderOptions& o) const;

  // Opens a session for the request (latest wins) when mayChooseDiffusion,
  // else closes. active() once the engine chose diff2lip for it.
  void open(const avatar::RenderRequest& request);
  void close();
  // Renders frame `index` when the worker is free (latest wins).
  void requestFrame(int index);

  bool active() const { return active_; }
  bool isBusy() const { return inFlight_; }
  int steps() const { return steps_; }

 Q_SIGNALS:
  // After an open: whether the request's mouth is diff2lip (`why` otherwise).
  void decided(bool active, const QString& why);
  void frameStarted(int index);
  void frameReady(const QImage& frame, int index, double renderMs);
  void frameFailed(const avatar::Status& status, int index);

 private:
  struct Task;
  void pump();

  std::shared_ptr<const avatar::Engine> engine_;
  QThread thread_;
  DiffusionWorker* worker_ = nullptr;
  std::optional<avatar::RenderRequest> pendingOpen_;
  int pendingFrame_ = -1;
  bool inFlight_ = false;
  bool active_ = false;
  bool decidedInactive_ = false;  // the engine picked another mouth for these options
  int steps_ = 0;
  quint64 generation_ = 0;
};

}  // namespace studio
