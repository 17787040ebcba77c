// The render queue: queuing the current photo + speech + settings.
#include <QAction>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QStandardPaths>
#include <QStatusBar>

#include "EngineTypes.h"
#include "ErrorText.h"
#include "MainWindow.h"
#include "RenderQueue.h"
#include "RenderQueueWidget.h"

namespace studio {

void MainWindow::connectRender() {
  connect(queue_, &RenderQueue::jobFinished, this, &MainWindow::onJobFinished);
  connect(queue_, &RenderQueue::jobAdded, this, [this](RenderJob*) {
    if (auto* dock = findChild<QDockWidget*>(QStringLiteral("queueDock"))) {
      dock->show();
      dock->raise();
    }
  });
}

QString MainWindow::automaticOutputPath() const {
  QString folder = queueWidget_->outputFolder();
  if (folder.isEmpty()) {
    folder = QStandardPaths::writableLocation(QStandardPaths::MoviesLocation);
    if (folder.isEmpty()) folder = QDir::homePath();
    QDir().mkpath(folder);
  }
  const QString stem = QFileInfo(photoPath_).completeBaseName() + QLatin1Char('-') +
                       QFileInfo(audioPath_).completeBaseName();
  QStringList queued;
  for (RenderJob* job : queue_->jobs()) {
    if (!job->isFinished()) queued << QFileInfo(job->outputPath()).absoluteFilePath();
  }
  for (int n = 1;; ++n) {
    const QString name =
        n == 1 ? stem + QStringLiteral(".mp4") : QStringLiteral("%1-%2.mp4").arg(stem).arg(n);
    const QString path = QDir(folder).absoluteFilePath(name);
    if (!QFileInfo::exists(path) && !queued.contains(QFileInfo(path).absoluteFilePath())) {
      return path;
    }
  }
}

RenderJob* MainWindow::renderNow() {
  if (photoPath_.isEmpty() || audioPath_.isEmpty()) {
    showProblem(photoPath_.isEmpty() ? tr("Open a photo of a face before rendering.")
                                     : tr("Choose speech (a sound file, a recording or text) "
                                          "before rendering."));
    return nullptr;
  }
  return renderTo(automaticOutputPath());
}

RenderJob* MainWindow::renderTo(const QString& outputPath) {
  if (photoPath_.isEmpty() || audioPath_.isEmpty()) return renderNow();
  avatar::RenderRequest request = inputsRequest(options(), driverPath_);
  request.outputPath = toEnginePath(outputPath);
  RenderJob* job = queue_->enqueue(request);
  statusBar()->showMessage(tr("Queued %1").arg(QFileInfo(outputPath).fileName()), 4000);
  return job;
}

void MainWindow::renderAs() {
  if (photoPath_.isEmpty() || audioPath_.isEmpty()) {
    renderNow();
    return;
  }
  const QString path = QFileDialog::getSaveFileName(this, tr("Render Video As"),
                                                    automaticOutputPath(), tr("MP4 video (*.mp4)"));
  if (path.isEmpty()) return;
  renderTo(path.endsWith(QLatin1String(".mp4"), Qt::CaseInsensitive)
               ? path
               : path + QStringLiteral(".mp4"));
}

void MainWindow::onJobFinished(RenderJob* job) {
  const QString name = QFileInfo(job->outputPath()).fileName();
  switch (job->state()) {
    case RenderJob::State::Done:
      statusBar()->showMessage(tr("Finished %1").arg(name), 8000);
      break;
    case RenderJob::State::Cancelled:
      statusBar()->showMessage(tr("Cancelled %1").arg(name), 8000);
      break;
    case RenderJob::State::Failed:
      lastError_ = ErrorText::describe(job->error());
      statusBar()->showMessage(
          tr("Render of %1 failed: %2").arg(name, ErrorText::headline(job->error().code())), 10000);
      Q_EMIT errorShown(lastError_);
      break;
    default:
      break;
  }
}

}  // namespace studio
