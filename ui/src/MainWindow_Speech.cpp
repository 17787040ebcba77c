// Opening speech: decoding, the waveform and the viseme lane.
#include <QFileInfo>
#include <QFutureWatcher>
#include <QStatusBar>
#include <QtConcurrent/QtConcurrentRun>

#include "EngineTypes.h"
#include "ErrorText.h"
#include "MainWindow.h"
#include "PlaybackClock.h"
#include "PreviewView.h"
#include "SpeechPanel.h"
#include "WaveformView.h"

namespace studio {

void MainWindow::openAudio(const QString& path, const QString& transcript) {
  const quint64 serial = ++audioSerial_;
  statusBar()->showMessage(tr("Opening %1…").arg(QFileInfo(path).fileName()));
  waveform_->setBusyText(tr("Reading %1…").arg(QFileInfo(path).fileName()));
  auto* watcher = new QFutureWatcher<AudioAnalysis>(this);
  connect(watcher, &QFutureWatcher<AudioAnalysis>::finished, this,
          [this, watcher, transcript, serial] {
            onAudioAnalysed(watcher->result(), transcript, serial);
            watcher->deleteLater();
          });
  watcher->setFuture(QtConcurrent::run(analyseAudio, path));
}

void MainWindow::onAudioAnalysed(const AudioAnalysis& result, const QString& transcript,
                                 quint64 serial) {
  if (serial != audioSerial_) return;
  waveform_->setBusyText({});
  if (!result.status) {
    showError(result.status,
              tr("Could not open the sound %1.").arg(QFileInfo(result.path).fileName()));
    Q_EMIT audioFinished(false);
    return;
  }
  audio_ = result;
  audioPath_ = result.path;
  transcript_ = transcript;
  addRecent(QStringLiteral("recent/audio"), audioPath_);
  if (previewView_->bannerKind() == PreviewView::BannerKind::Error) clearBanner();
  waveform_->setAnalysis(result);
  clock_->setSource(audioPath_, result.durationSec);
  const QString summary = tr("%1 s · %2 Hz · %3 channel(s) · %4")
                              .arg(result.durationSec, 0, 'f', 2)
                              .arg(result.info.sampleRate)
                              .arg(result.info.channels)
                              .arg(fromUtf8(result.info.codec));
  speech_->setCurrentAudio(audioPath_, summary);
  statusBar()->showMessage(tr("Opened %1").arg(QFileInfo(audioPath_).fileName()), 4000);
  reopenSession();
  Q_EMIT audioFinished(true);
}

}  // namespace studio
