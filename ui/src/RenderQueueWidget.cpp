#include "RenderQueueWidget.h"

#include <QDesktopServices>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QStandardPaths>
#include <QToolButton>
#include <QUrl>

#include "EngineTypes.h"
#include "ErrorText.h"
#include "Icons.h"
#include "RenderQueue.h"

namespace studio {
namespace {

QString formatDuration(double sec) {
  if (sec < 1) return RenderJobRow::tr("under a second");
  const int s = int(std::lround(std::max(0.0, sec)));
  return s >= 60 ? QStringLiteral("%1 min %2 s").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'))
                 : QStringLiteral("%1 s").arg(s);
}

QToolButton* rowButton(QWidget* parent, const QString& icon, const QString& tip,
                       const QString& name) {
  auto* b = new QToolButton(parent);
  setThemedIcon(b, icon);
  b->setToolTip(tip);
  b->setAutoRaise(true);
  b->setObjectName(name);
  return b;
}

}  // namespace

RenderJobRow::RenderJobRow(RenderJob* job, QWidget* parent) : QWidget(parent), job_(job) {
  setObjectName(QStringLiteral("renderJobRow"));
  auto* outer = new QHBoxLayout(this);
  outer->setContentsMargins(8, 6, 4, 6);
  icon_ = new QLabel(this);
  icon_->setFixedSize(24, 24);
  outer->addWidget(icon_, 0, Qt::AlignTop);
  auto* col = new QVBoxLayout;
  col->setSpacing(3);
  title_ = new QLabel(this);
  title_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  QFont bold = title_->font();
  bold.setBold(true);
  title_->setFont(bold);
  bar_ = new QProgressBar(this);
  bar_->setRange(0, 1000);
  bar_->setTextVisible(false);
  bar_->setFixedHeight(6);
  status_ = new QLabel(this);
  status_->setObjectName(QStringLiteral("jobStatus"));
  status_->setWordWrap(true);
  status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  col->addWidget(title_);
  col->addWidget(bar_);
  col->addWidget(status_);
  outer->addLayout(col, 1);
  cancel_ = rowButton(this, QStringLiteral("cancel"), tr("Cancel this render"),
                      QStringLiteral("cancelJob"));
  open_ = rowButton(this, QStringLiteral("play-file"), tr("Open the video"),
                    QStringLiteral("openResult"));
  folder_ = rowButton(this, QStringLiteral("folder"), tr("Show the folder"),
                      QStringLiteral("openFolder"));
  remove_ = rowButton(this, QStringLiteral("cancel"), tr("Remove from the list"),
                      QStringLiteral("removeJob"));
  for (auto* b : {cancel_, open_, folder_, remove_}) outer->addWidget(b, 0, Qt::AlignTop);
  connect(cancel_, &QToolButton::clicked, job_, &RenderJob::cancel);
  connect(open_, &QToolButton::clicked, this,
          [this] { QDesktopServices::openUrl(QUrl::fromLocalFile(job_->outputPath())); });
  connect(folder_, &QToolButton::clicked, this, [this] {
    QDesktopServices::openUrl(QUrl::fromLocalFile(QFileInfo(job_->outputPath()).absolutePath()));
  });
  connect(remove_, &QToolButton::clicked, this, [this] { Q_EMIT removeRequested(job_); });
  connect(job_, &RenderJob::changed, this, &RenderJobRow::refresh);
  refresh();
}

void RenderJobRow::changeEvent(QEvent* event) {
  if (event->type() == QEvent::PaletteChange) refresh();
  QWidget::changeEvent(event);
}

void RenderJobRow::refresh() {
  using S = RenderJob::State;
  const S state = job_->state();
  const QFileInfo out(job_->outputPath());
  title_->setText(out.fileName());
  title_->setToolTip(QDir::toNativeSeparators(out.absoluteFilePath()));
  bar_->setValue(int(std::lround(job_->progress() * 1000)));
  bar_->setVisible(state == S::Queued || state == S::Running || state == S::Cancelling);
  QString icon = QStringLiteral("render");
  QString text;
  switch (state) {
    case S::Queued:
      text = tr("Waiting for the job before it");
      break;
    case S::Running: {
      text = QStringLiteral("%1 · %2%")
                 .arg(RenderJob::stageLabel(job_->stage()))
                 .arg(int(job_->progress() * 100));
      const avatar::RenderOptions& o = job_->request().options;
      if (o.lipSync == avatar::LipSyncBackend::Diff2Lip) {  // diffusion: say how much work
        text += tr(" · Diff2Lip %1 steps a frame").arg(o.diffusionSteps);
      }
      const double eta = job_->etaSec();
      if (eta >= 0) text += tr(" · %1 left").arg(formatDuration(eta));
      break;
    }
    case S::Cancelling:
      text = tr("Cancelling…");
      break;
    case S::Done:
      icon = QStringLiteral("done");
      text = tr("Done in %1 · %2 frames · %3")
                 .arg(formatDuration(job_->elapsedSec()))
                 .arg(job_->result().frameCount)
                 .arg(fromUtf8(job_->result().videoEncoder));
      break;
    case S::Cancelled:
      icon = QStringLiteral("cancel");
      text = tr("Cancelled: no file was written.");
      break;
    case S::Failed:
      icon = QStringLiteral("error");
      text = ErrorText::describe(job_->error());
      break;
  }
  status_->setText(text);
  status_->setToolTip(job_->error().isOk() ? QString() : ErrorText::detail(job_->error()));
  icon_->setPixmap(themedIcon(icon).pixmap(QSize(22, 22), devicePixelRatioF()));
  cancel_->setVisible(!job_->isFinished());
  cancel_->setEnabled(state != S::Cancelling);
  open_->setVisible(state == S::Done);
  folder_->setVisible(state == S::Done);
  remove_->setVisible(job_->isFinished());
}

RenderQueueWidget::RenderQueueWidget(RenderQueue* queue, QWidget* parent)
    : QWidget(parent), queue_(queue) {
  setObjectName(QStringLiteral("renderQueue"));
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(8, 8, 8, 8);
  auto* folderRow = new QHBoxLayout;
  folderRow->addWidget(new QLabel(tr("Save videos in"), this));
  folder_ = new QLineEdit(this);
  folder_->setObjectName(QStringLiteral("outputFolder"));
  folder_->setPlaceholderText(
      QDir::toNativeSeparators(QStandardPaths::writableLocation(QStandardPaths::MoviesLocation)));
  folderRow->addWidget(folder_, 1);
  auto* browse = new QToolButton(this);
  setThemedIcon(browse, QStringLiteral("folder"));
  browse->setToolTip(tr("Choose the folder for rendered videos"));
  folderRow->addWidget(browse);
  auto* clear = new QPushButton(tr("Clear finished"), this);
  clear->setObjectName(QStringLiteral("clearFinished"));
  folderRow->addWidget(clear);
  layout->addLayout(folderRow);
  connect(folder_, &QLineEdit::editingFinished, this,
          [this] { Q_EMIT outputFolderChanged(outputFolder()); });
  connect(browse, &QToolButton::clicked, this, [this] {
    const QString dir =
        QFileDialog::getExistingDirectory(this, tr("Save videos in"), outputFolder());
    if (dir.isEmpty()) return;
    setOutputFolder(dir);
    Q_EMIT outputFolderChanged(dir);
  });
  connect(clear, &QPushButton::clicked, queue_, &RenderQueue::clearFinished);

  auto* scroll = new QScrollArea(this);
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  auto* content = new QWidget(scroll);
  list_ = new QVBoxLayout(content);
  list_->setContentsMargins(0, 0, 0, 0);
  list_->setSpacing(2);
  emptyHint_ = new QLabel(tr("No renders yet. Press Render (Ctrl+R) to add the current photo "
                             "and speech to the queue."),
                          content);
  emptyHint_->setWordWrap(true);
  emptyHint_->setEnabled(false);
  list_->addWidget(emptyHint_);
  list_->addStretch(1);
  scroll->setWidget(content);
  layout->addWidget(scroll, 1);

  connect(queue_, &RenderQueue::jobAdded, this, &RenderQueueWidget::addRow);
  connect(queue_, &RenderQueue::jobRemoved, this, &RenderQueueWidget::removeRow);
  for (RenderJob* job : queue_->jobs()) addRow(job);
}

QString RenderQueueWidget::outputFolder() const {
  return folder_->text().trimmed();
}

void RenderQueueWidget::setOutputFolder(const QString& folder) {
  folder_->setText(QDir::toNativeSeparators(folder));
}

void RenderQueueWidget::addRow(RenderJob* job) {
  auto* row = new RenderJobRow(job, this);
  connect(row, &RenderJobRow::removeRequested, queue_, &RenderQueue::remove);
  list_->insertWidget(0, row);  // newest on top
  rows_.insert(job, row);
  updateEmptyHint();
}

void RenderQueueWidget::removeRow(RenderJob* job) {
  if (RenderJobRow* row = rows_.take(job)) row->deleteLater();
  updateEmptyHint();
}

void RenderQueueWidget::updateEmptyHint() {
  emptyHint_->setVisible(rows_.isEmpty());
}

}  // namespace studio
