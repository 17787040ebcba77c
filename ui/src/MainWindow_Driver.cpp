// The driver video: choosing, dropping, recent drivers, tracking off the GUI
// thread, and the driver view that plays it beside the preview.
#include <QAction>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QStatusBar>
#include <QVBoxLayout>

#include "DriverTracker.h"
#include "DriverView.h"
#include "ErrorText.h"
#include "Icons.h"
#include "MainWindow.h"

namespace studio {
namespace {
const QString kRecentDrivers = QStringLiteral("recent/drivers");
}

QWidget* MainWindow::buildDriverPanel(QWidget* parent) {
  auto* panel = new QWidget(parent);
  panel->setObjectName(QStringLiteral("driverPanel"));
  auto* v = new QVBoxLayout(panel);
  v->setContentsMargins(0, 0, 0, 0);
  auto* title = new QLabel(tr("<b>Driver video</b> (optional)"), panel);
  auto* row = new QHBoxLayout;
  auto* open = new QPushButton(tr("Open Driver…"), panel);
  open->setObjectName(QStringLiteral("openDriverButton"));
  setThemedIcon(open, QStringLiteral("open-audio"));
  open->setToolTip(tr("A video of a face: its head motion, blinks and brows drive the photo"));
  connect(open, &QPushButton::clicked, actions_.value(QStringLiteral("openDriver")),
          &QAction::trigger);
  auto* clear = new QPushButton(tr("Clear"), panel);
  clear->setObjectName(QStringLiteral("clearDriverButton"));
  connect(clear, &QPushButton::clicked, actions_.value(QStringLiteral("clearDriver")),
          &QAction::trigger);
  row->addWidget(open, 1);
  row->addWidget(clear);
  driverInfo_ = new QLabel(tr("None: the head moves on its own."), panel);
  driverInfo_->setObjectName(QStringLiteral("driverInfo"));
  driverInfo_->setWordWrap(true);
  driverInfo_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  recentDrivers_ = new QListWidget(panel);
  recentDrivers_->setObjectName(QStringLiteral("recentDrivers"));
  recentDrivers_->setMaximumHeight(70);
  recentDrivers_->setToolTip(tr("Recent driver videos: double-click to use one again"));
  connect(recentDrivers_, &QListWidget::itemActivated, this,
          [this](QListWidgetItem* item) { setDriverVideo(item->data(Qt::UserRole).toString()); });
  v->addWidget(title);
  v->addLayout(row);
  v->addWidget(driverInfo_);
  v->addWidget(recentDrivers_);
  return panel;
}

void MainWindow::chooseDriverVideo() {
  const QString start =
      QFileInfo(driverPath_.isEmpty() ? driverTracker_->path() : driverPath_).absolutePath();
  const QString path = QFileDialog::getOpenFileName(
      this, tr("Open Driver Video"), start,
      tr("Videos (*.mp4 *.mov *.mkv *.webm *.avi *.m4v);;All files (*)"));
  if (!path.isEmpty()) setDriverVideo(path);
}

void MainWindow::connectDriver() {
  connect(driverView_, &DriverView::fileDropped, this, &MainWindow::setDriverVideo);
  connect(driverTracker_, &DriverTracker::progress, this, [this](double fraction) {
    busyBar_->setValue(int(fraction * 100));
    driverView_->setMessage(tr("Tracking the face in %1… %2 %")
                                .arg(QFileInfo(driverTracker_->path()).fileName())
                                .arg(int(fraction * 100)));
  });
  connect(driverTracker_, &DriverTracker::finished, this, &MainWindow::onDriverTracked);
}

void MainWindow::setDriverVideo(const QString& path) {
  if (path.isEmpty()) {
    clearDriverVideo();
    return;
  }
  driverFps_ = options().fps;
  driverPath_.clear();                      // renders use a driver once it is tracked
  driverTracker_->track(path, driverFps_);  // cancels a running one
  const QString name = QFileInfo(path).fileName();
  driverView_->setMessage(tr("Tracking the face in %1…").arg(name));
  driverInfo_->setText(tr("%1: tracking…").arg(name));
  busyBar_->setValue(0);
  busyBar_->show();
  statusBar()->showMessage(tr("Tracking the driver video %1").arg(name), 4000);
}

void MainWindow::clearDriverVideo() {
  driverTracker_->clear();
  driverPath_.clear();
  driverFps_ = 0;
  busyBar_->hide();
  driverView_->setMessage(tr("No driver video.\nDrop a video of a face here to drive the head."));
  updateDriverInfo();
  if (!sessionDriver_.isEmpty()) reopenSession();
}

void MainWindow::onDriverTracked(const avatar::Status& status) {
  busyBar_->hide();
  const QString path = driverTracker_->path();
  const QString name = QFileInfo(path).fileName();
  if (!status) {
    driverPath_.clear();
    const QString text = tr("The driver video %1 cannot be used.").arg(name);
    driverView_->setMessage(text + QLatin1Char('\n') + ErrorText::describe(status), true);
    driverInfo_->setText(tr("%1: %2").arg(name, ErrorText::headline(status.code())));
    showError(status, text);
    if (!sessionDriver_.isEmpty()) reopenSession();  // the previous driver is gone
    Q_EMIT driverFinished(false);
    return;
  }
  driverPath_ = path;
  addRecent(kRecentDrivers, path);
  updateDriverInfo();
  updateDriverView(true);
  reopenSession();
  Q_EMIT driverFinished(true);
}

void MainWindow::updateDriverInfo() {
  const avatar::DriverTrack* track = driverTracker_->result();
  if (!track || driverPath_.isEmpty()) {
    driverInfo_->setText(tr("None: the head moves on its own."));
    driverInfo_->setToolTip({});
    return;
  }
  QString text = tr("%1 · %2 × %3 · %4 frames")
                     .arg(QFileInfo(driverPath_).fileName())
                     .arg(track->sourceWidth)
                     .arg(track->sourceHeight)
                     .arg(track->frames.size());
  if (track->facelessFrames > 0) text += tr(" · %n without a face", nullptr, track->facelessFrames);
  driverInfo_->setText(text);
  QStringList notes;
  for (const auto& n : track->notes) notes << QString::fromStdString(n);
  driverInfo_->setToolTip(notes.join(QLatin1Char('\n')));
}

void MainWindow::updateDriverView(bool force) {
  const avatar::DriverTrack* track = driverTracker_->result();
  if (!track || track->frames.empty() || driverPath_.isEmpty()) return;
  const int count = int(track->frames.size());
  const int frame = avatar::driverFrameAt(frameAt(playheadSec_), count, options().driverLoop);
  if (!force && frame == driverView_->shownFrame()) return;
  driverView_->setFrame(driverTracker_->thumbnail(frame), track->frames[size_t(frame)],
                        driverTracker_->thumbnailScale(), frame, count);
}

}  // namespace studio
