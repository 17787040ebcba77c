// The live preview: the session, the playhead and the transport controls.
#include <QAction>
#include <QLabel>
#include <QProgressBar>
#include <QSignalBlocker>
#include <QSlider>
#include <QStatusBar>
#include <QTimer>
#include <QToolButton>
#include <cmath>

#include "DiffusionPreview.h"
#include "DriverTracker.h"
#include "EngineTypes.h"
#include "ErrorText.h"
#include "Icons.h"
#include "MainWindow.h"
#include "PlaybackClock.h"
#include "PreviewController.h"
#include "PreviewView.h"
#include "SettingsPanel.h"
#include "WaveformView.h"

namespace studio {
namespace {

QString clockText(double seconds) {
  const int ms = int(std::lround(std::max(0.0, seconds) * 1000));
  return QStringLiteral("%1:%2.%3")
      .arg(ms / 60000, 2, 10, QLatin1Char('0'))
      .arg((ms / 1000) % 60, 2, 10, QLatin1Char('0'))
      .arg((ms % 1000) / 10, 2, 10, QLatin1Char('0'));
}

}  // namespace

void MainWindow::connectPreview() {
  connect(preview_, &PreviewController::openStarted, this, [this] {
    busyBar_->setValue(0);
    busyBar_->show();
    previewView_->setBusyText(tr("Analysing face and speech…"));
  });
  connect(preview_, &PreviewController::openProgress, this,
          [this](double fraction, const QString&) { busyBar_->setValue(int(fraction * 100)); });
  connect(preview_, &PreviewController::sessionOpened, this, &MainWindow::onSessionOpened);
  connect(preview_, &PreviewController::sessionFailed, this, [this](const avatar::Status& s) {
    busyBar_->hide();
    previewView_->setBusyText({});
    previewView_->clearFrame();
    showError(s, tr("The preview cannot be prepared."));
    updateTransport();
  });
  connect(preview_, &PreviewController::optionsApplied, this,
          [this](const avatar::SessionInfo& info) {
            showEngineFace(info);
            updateTransport();
          });
  // The waveform shows the visemes the engine animates, not an estimate of its own.
  connect(preview_, &PreviewController::visemesChanged, this,
          [this](const avatar::VisemeTrack& v) { waveform_->setVisemes(v); });
  connect(preview_, &PreviewController::optionsRejected, this,
          [this](const avatar::Status& s, const avatar::RenderOptions&) {
            // The kept options in full (the preview may run a faster mouth).
            sentOptions_ = acceptedOptions_;
            settings_->setOptions(acceptedOptions_);
            showError(s, tr("That setting cannot be used; the previous one is kept."));
          });
  connect(preview_, &PreviewController::frameReady, this, &MainWindow::onFrameReady);
  connect(preview_, &PreviewController::frameFailed, this,
          [this](const avatar::Status& s) { showError(s, tr("The preview frame failed.")); });

  connect(clock_, &PlaybackClock::positionChanged, this, &MainWindow::onClockPosition);
  connect(clock_, &PlaybackClock::playingChanged, this, [this](bool playing) {
    QAction* play = actions_.value(QStringLiteral("play"));
    play->setText(playing ? tr("&Pause") : tr("&Play"));
    const QString icon = playing ? QStringLiteral("pause") : QStringLiteral("play");
    play->setIcon(themedIcon(icon));
    actionIcons_.insert(play, icon);
  });
  connect(clock_, &PlaybackClock::audioUnavailable, this, [this](const QString& reason) {
    if (audioNoticeShown_) return;  // say it once
    audioNoticeShown_ = true;
    statusBar()->showMessage(reason, 10000);
    audioState_->setToolTip(reason);
  });
  connect(waveform_, &WaveformView::seekRequested, this, &MainWindow::seekTo);
  connect(playhead_, &QSlider::valueChanged, this, [this](int frame) {
    const int fps = preview_->hasSession() ? preview_->info().fps : options().fps;
    clock_->seek((frame + 0.5) / std::max(1, fps));
  });
}

avatar::RenderOptions MainWindow::options() const {
  avatar::RenderOptions o = settings_->options();
  o.transcript = transcript_.toStdString();
  return o;
}

void MainWindow::setOptions(const avatar::RenderOptions& options) {
  settings_->setOptions(options);
  transcript_ = QString::fromStdString(options.transcript);
  sendOptionsToPreviews(this->options());
  if (!photo_.path.isEmpty()) showFaceResult();
}

avatar::RenderRequest MainWindow::inputsRequest(const avatar::RenderOptions& o,
                                                const QString& driver) const {
  avatar::RenderRequest request;
  request.imagePath = toEnginePath(photoPath_);
  request.audioPath = toEnginePath(audioPath_);
  if (!driver.isEmpty()) request.driverVideoPath = toEnginePath(driver);
  request.options = o;
  return request;
}

void MainWindow::reopenSession() {
  if (photoPath_.isEmpty() || audioPath_.isEmpty()) {
    preview_->close();
    sessionDriver_.clear();
    updateTransport();
    return;
  }
  avatar::RenderRequest request = inputsRequest(options(), driverPath_);
  sessionDriver_ = driverPath_;
  diffusion_->open(request);
  sentOptions_ = acceptedOptions_ = request.options;
  request.options = diffusion_->fastOptions(request.options);
  preview_->requestFrame(frameAt(playheadSec_));
  preview_->open(request);
}

void MainWindow::sendOptionsToPreviews(const avatar::RenderOptions& o) {
  if (!photoPath_.isEmpty() && !audioPath_.isEmpty())
    diffusion_->open(inputsRequest(o, sessionDriver_));
  sentOptions_ = o;
  preview_->setOptions(diffusion_->fastOptions(o));
  // The driver is tracked at the output's frame rate.
  if ((!driverPath_.isEmpty() || driverTracker_->isTracking()) && o.fps != driverFps_) {
    setDriverVideo(driverTracker_->path());
  }
  updateDriverView(true);  // the loop mode may have changed
}

void MainWindow::connectDiffusionPreview() {
  restTimer_ = new QTimer(this);
  restTimer_->setSingleShot(true);
  restTimer_->setInterval(400);  // the playhead rests
  connect(restTimer_, &QTimer::timeout, this, [this] {
    if (diffusion_->active() && !clock_->isPlaying() && preview_->shownFrame() >= 0 &&
        preview_->shownFrame() == preview_->requestedFrame()) {
      diffusion_->requestFrame(preview_->shownFrame());
    }
  });
  connect(diffusion_, &DiffusionPreview::decided, this, [this](bool active, const QString& why) {
    if (active) {
      statusBar()->showMessage(
          tr("Diff2Lip (%1 steps): the preview shows the fast mouth while you scrub or play and "
             "swaps in the diffusion frame when the playhead rests.")
              .arg(diffusion_->steps()),
          10000);
      if (preview_->shownFrame() >= 0) restTimer_->start();
      return;
    }
    // The engine chose another mouth (or cannot open it): preview what renders.
    statusBar()->showMessage(tr("No diffusion preview: %1").arg(why), 8000);
    preview_->setOptions(diffusion_->fastOptions(sentOptions_));
  });
  connect(diffusion_, &DiffusionPreview::frameStarted, this, [this](int index) {
    previewView_->setBusyText(tr("Diff2Lip: rendering frame %1…").arg(index + 1));
  });
  connect(
      diffusion_, &DiffusionPreview::frameReady, this,
      [this](const QImage& frame, int index, double ms) {
        previewView_->setBusyText({});
        if (clock_->isPlaying() || index != preview_->shownFrame() ||
            index != preview_->requestedFrame()) {
          return;  // the playhead moved on: keep the fast frame
        }
        previewView_->setFrame(
            frame, index, preview_->info().frameCount,
            tr("Diff2Lip · %1 steps · %2 s").arg(diffusion_->steps()).arg(ms / 1000.0, 0, 'f', 1));
      });
  connect(diffusion_, &DiffusionPreview::frameFailed, this, [this](const avatar::Status& s, int) {
    previewView_->setBusyText({});
    showError(s, tr("The Diff2Lip preview frame failed."));
  });
  connect(preview_, &PreviewController::optionsApplied, this,
          [this](const avatar::SessionInfo&) { acceptedOptions_ = sentOptions_; });
}

void MainWindow::showEngineFace(const avatar::SessionInfo& info) {
  // The engine's own face choice (SessionInfo::face.index).
  if (info.face.found && info.face.index < int(photo_.faces.size())) {
    previewView_->setFaces(photo_.faces, info.face.index);
  }
}

void MainWindow::onSessionOpened(const avatar::SessionInfo& info) {
  showEngineFace(info);
  busyBar_->hide();
  previewView_->setBusyText({});
  QStringList notes;
  for (const auto& n : info.notes) notes << fromUtf8(n);
  sessionLabel_->setToolTip(notes.join(QLatin1Char('\n')));
  if (!notes.isEmpty()) statusBar()->showMessage(notes.first(), 8000);
  updateTransport();
  preview_->requestFrame(frameAt(playheadSec_));
}

void MainWindow::onFrameReady(const QImage& frame, int index, double) {
  const int count = preview_->info().frameCount;
  const bool diffusion = diffusion_->active();
  previewView_->setFrame(
      frame, index, count,
      diffusion ? tr("fast mouth · Diff2Lip when the playhead rests") : QString());
  if (diffusion && !clock_->isPlaying()) restTimer_->start();
}

int MainWindow::frameAt(double seconds) const {
  const int fps = preview_->hasSession() ? preview_->info().fps : options().fps;
  const int count = preview_->hasSession() ? preview_->info().frameCount : 0;
  int frame = int(std::floor(seconds * fps + 1e-6));
  if (count > 0) frame = std::min(frame, count - 1);
  return std::max(0, frame);
}

void MainWindow::onClockPosition(double seconds) {
  playheadSec_ = seconds;
  waveform_->setPlayhead(seconds);
  const int frame = frameAt(seconds);
  {
    const QSignalBlocker block(playhead_);
    playhead_->setValue(frame);
  }
  const double total =
      preview_->hasSession() ? preview_->info().audioDurationSec : audio_.durationSec;
  timeLabel_->setText(clockText(seconds) + QStringLiteral(" / ") + clockText(total));
  if (preview_->hasSession() &&
      (frame != preview_->requestedFrame() || preview_->shownFrame() < 0)) {
    preview_->requestFrame(frame);
  }
  updateDriverView();
}

void MainWindow::seekTo(double seconds) {
  clock_->seek(seconds);
}

void MainWindow::stepFrames(int delta) {
  if (!preview_->hasSession()) return;
  const int fps = preview_->info().fps;
  const int frame = std::clamp(frameAt(playheadSec_) + delta, 0, preview_->info().frameCount - 1);
  clock_->pause();
  clock_->seek((frame + 0.5) / fps);
}

void MainWindow::setShowOriginal(bool original) {
  previewView_->setShowOriginal(original);
  QAction* a = actions_.value(QStringLiteral("original"));
  if (a->isChecked() != original) {
    const QSignalBlocker block(a);
    a->setChecked(original);
  }
}

void MainWindow::updateTransport() {
  const bool ready = preview_->hasSession();
  const avatar::SessionInfo& info = preview_->info();
  {
    const QSignalBlocker block(playhead_);
    playhead_->setRange(0, ready ? std::max(0, info.frameCount - 1) : 0);
    playhead_->setPageStep(ready ? std::max(1, info.fps) : 1);
    playhead_->setValue(frameAt(playheadSec_));
  }
  playhead_->setEnabled(ready);
  actions_.value(QStringLiteral("play"))->setEnabled(!audioPath_.isEmpty());
  for (const char* name : {"prevFrame", "nextFrame", "toStart"}) {
    actions_.value(QLatin1String(name))->setEnabled(ready);
  }
  actions_.value(QStringLiteral("render"))
      ->setEnabled(!photoPath_.isEmpty() && !audioPath_.isEmpty());
  actions_.value(QStringLiteral("renderAs"))
      ->setEnabled(!photoPath_.isEmpty() && !audioPath_.isEmpty());
  const double total = ready ? info.audioDurationSec : audio_.durationSec;
  timeLabel_->setText(clockText(playheadSec_) + QStringLiteral(" / ") + clockText(total));
  if (ready) {
    sessionLabel_->setText(tr("%1 × %2 · %3 fps · %4 frames · lip sync: %5")
                               .arg(info.width)
                               .arg(info.height)
                               .arg(info.fps)
                               .arg(info.frameCount)
                               .arg(fromUtf8(info.lipSyncBackend)));
  } else {
    sessionLabel_->setText(preview_->isOpening() ? tr("Analysing…") : QString());
  }
}

}  // namespace studio
