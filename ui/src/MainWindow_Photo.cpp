// Opening photos and showing the detected face.
#include <QDir>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QListWidget>
#include <QStatusBar>
#include <QtConcurrent/QtConcurrentRun>

#include "EngineTypes.h"
#include "ErrorText.h"
#include "MainWindow.h"
#include "PreviewView.h"
#include "SettingsPanel.h"

namespace studio {

void MainWindow::openPhoto(const QString& path) {
  const quint64 serial = ++photoSerial_;
  statusBar()->showMessage(tr("Opening %1…").arg(QFileInfo(path).fileName()));
  previewView_->setBusyText(tr("Finding the face…"));
  auto* watcher = new QFutureWatcher<PhotoAnalysis>(this);
  connect(watcher, &QFutureWatcher<PhotoAnalysis>::finished, this, [this, watcher, serial] {
    onPhotoAnalysed(watcher->result(), serial);
    watcher->deleteLater();
  });
  watcher->setFuture(QtConcurrent::run(analysePhoto, engine_, path));
}

void MainWindow::onPhotoAnalysed(const PhotoAnalysis& result, quint64 serial) {
  if (serial != photoSerial_) return;  // a newer photo was chosen meanwhile
  previewView_->setBusyText({});
  if (!result.status) {
    // Keep whatever was open before: a bad file must not cost the user their work.
    showError(result.status,
              tr("Could not open the photo %1.").arg(QFileInfo(result.path).fileName()));
    Q_EMIT photoFinished(false);
    return;
  }
  photo_ = result;
  photoPath_ = result.path;
  addRecent(QStringLiteral("recent/photos"), photoPath_);
  clearBanner();
  previewView_->clearFrame();
  previewView_->setPhoto(result.image);
  showFaceResult();
  updatePhotoInfo();
  statusBar()->showMessage(tr("Opened %1").arg(QFileInfo(photoPath_).fileName()), 4000);
  reopenSession();
  Q_EMIT photoFinished(true);
}

void MainWindow::showFaceResult() {
  const PhotoAnalysis& p = photo_;
  const int chosen = chosenFace(p.faces, settings_->options().faceIndex);
  previewView_->setFaces(p.faces, chosen);
  const QString name = QFileInfo(p.path).fileName();
  if (!p.faceStatus) {
    showWarning(tr("Face analysis is not available, so no face overlay is shown.\n%1")
                    .arg(ErrorText::detail(p.faceStatus)));
  } else if (p.faces.empty()) {
    showWarning(tr("No face was found in %1. Choose a photo with one clearly visible, "
                   "front-facing face (at least 64 pixels wide).")
                    .arg(name));
  } else if (chosen < 0) {
    showWarning(tr("The photo has %n face(s); the chosen face number does not exist.", nullptr,
                   int(p.faces.size())));
  }
}

void MainWindow::updatePhotoInfo() {
  const PhotoAnalysis& p = photo_;
  if (p.path.isEmpty()) {
    photoInfo_->setText(tr("No photo yet."));
    return;
  }
  QString face;
  if (!p.faceStatus) {
    face = tr("Face analysis unavailable");
  } else if (p.faces.empty()) {
    face = tr("No face found");
  } else {
    const auto& f = p.faces[size_t(std::max(0, chosenFace(p.faces, -1)))];
    face = tr("%n face(s) found", nullptr, int(p.faces.size())) +
           tr(" · %1 · %2%").arg(fromUtf8(f.detector)).arg(int(std::lround(f.score * 100)));
  }
  photoInfo_->setText(
      QStringLiteral("<b>%1</b><br>%2 × %3 %4<br>%5")
          .arg(QFileInfo(p.path).fileName().toHtmlEscaped())
          .arg(p.info.width)
          .arg(p.info.height)
          .arg(fromUtf8(p.info.format).toUpper().toHtmlEscaped(), face.toHtmlEscaped()));
  photoInfo_->setToolTip(QDir::toNativeSeparators(p.path));
}

}  // namespace studio
