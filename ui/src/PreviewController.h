// The live preview: one engine Session on a worker thread.
//
// The GUI asks for "the frame at the playhead" as often as it likes; requests
// are coalesced so the worker only ever renders the newest one (latest wins),
// and a settings change re-prepares the session before the next frame. All
// engine calls run on the worker thread; results come back to the GUI thread
// with queued invocations, so every signal here is emitted on the GUI thread.
#pragma once

#include <QElapsedTimer>
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

class PreviewWorker;

class PreviewController : public QObject {
  Q_OBJECT

 public:
  explicit PreviewController(std::shared_ptr<const avatar::Engine> engine,
                             QObject* parent = nullptr);
  ~PreviewController() override;

  // Opens a session for the request's photo and audio (replacing any other).
  void open(const avatar::RenderRequest& request);
  // Forgets the session (e.g. when the photo or audio is removed).
  void close();
  // New settings for the open (or opening) session; the current frame is
  // rendered again with them.
  void setOptions(const avatar::RenderOptions& options);
  // Asks for frame `index` (clamped to the session's range).
  void requestFrame(int index);

  bool hasSession() const { return hasSession_; }
  bool isOpening() const { return opening_; }
  bool isBusy() const { return inFlight_; }
  // Info of the open session (GUI-side copy), valid when hasSession().
  const avatar::SessionInfo& info() const { return info_; }
  const avatar::RenderOptions& options() const { return options_; }
  int requestedFrame() const { return requestedFrame_; }
  int shownFrame() const { return shownFrame_; }
  int framesRendered() const { return framesRendered_; }

 Q_SIGNALS:
  void openStarted();
  void openProgress(double fraction, const QString& stage);
  void sessionOpened(const avatar::SessionInfo& info);
  void sessionFailed(const avatar::Status& status);
  void optionsApplied(const avatar::SessionInfo& info);
  // The mouth shapes the session follows (Session::visemes(): estimated with
  // the chosen method, or read from the viseme file), after open and options.
  void visemesChanged(const avatar::VisemeTrack& visemes);
  void optionsRejected(const avatar::Status& status, const avatar::RenderOptions& kept);
  // A rendered frame: `renderMs` is the worker's time for options + frame.
  void frameReady(const QImage& frame, int index, double renderMs);
  void frameFailed(const avatar::Status& status);

 private:
  struct Task;
  struct Result;
  void pump();
  void finish(const std::shared_ptr<Result>& result);

  std::shared_ptr<const avatar::Engine> engine_;
  QThread thread_;
  PreviewWorker* worker_ = nullptr;
  std::shared_ptr<avatar::StopToken> openStop_;

  std::optional<avatar::RenderRequest> pendingOpen_;
  std::optional<avatar::RenderOptions> pendingOptions_;
  int pendingFrame_ = -1;
  bool inFlight_ = false;
  bool opening_ = false;
  bool hasSession_ = false;
  quint64 generation_ = 0;  // bumped by open/close; stale results are dropped

  avatar::SessionInfo info_;
  avatar::RenderOptions options_;
  int requestedFrame_ = 0;
  int shownFrame_ = -1;
  int framesRendered_ = 0;
};

}  // namespace studio
