#include "MainWindow.h"
#include "DiffusionPreview.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSlider>
#include <QSplitter>
#include <QStatusBar>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>

#include "DriverTracker.h"
#include "DriverView.h"
#include "EngineTypes.h"
#include "ErrorText.h"
#include "FileDrops.h"
#include "Icons.h"
#include "ModelManagerDialog.h"
#include "PlaybackClock.h"
#include "PreviewController.h"
#include "PreviewView.h"
#include "RenderQueue.h"
#include "RenderQueueWidget.h"
#include "SettingsPanel.h"
#include "SpeechPanel.h"
#include "Theme.h"
#include "WaveformView.h"
#include "avatar/media.h"

namespace studio {
namespace {

const QStringList kImageSuffixes = {
    QStringLiteral("png"), QStringLiteral("jpg"), QStringLiteral("jpeg"), QStringLiteral("webp"),
    QStringLiteral("bmp"), QStringLiteral("tif"), QStringLiteral("tiff")};

}  // namespace

MainWindow::MainWindow(std::shared_ptr<const avatar::Engine> engine, QWidget* parent)
    : QMainWindow(parent), engine_(std::move(engine)) {
  setObjectName(QStringLiteral("mainWindow"));
  setWindowTitle(tr("Avatar Studio"));
  setWindowIcon(appIcon());
  setAcceptDrops(true);
  setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowTabbedDocks);
  preview_ = new PreviewController(engine_, this);
  diffusion_ = new DiffusionPreview(engine_, this);
  clock_ = new PlaybackClock(this);
  queue_ = new RenderQueue(engine_, this);
  driverTracker_ = new DriverTracker(engine_, this);
  buildUi();
  connectPreview();
  connectDriver();
  connectDiffusionPreview();
  connectRender();
  loadSettings();
  if (engine_) settings_->setAvailability(choiceAvailability(*engine_));
  updateTransport();
}

MainWindow::~MainWindow() {
  saveSettings();
  queue_->cancelAll();
  queue_->waitForIdle();
}

void MainWindow::buildUi() {
  buildActions();
  setCentralWidget(buildCentral());

  auto* inputs = new QDockWidget(tr("Photo and Speech"), this);
  inputs->setObjectName(QStringLiteral("inputsDock"));
  inputs->setWidget(buildInputsPanel());
  inputs->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
  addDockWidget(Qt::LeftDockWidgetArea, inputs);

  auto* settingsDock = new QDockWidget(tr("Settings"), this);
  settingsDock->setObjectName(QStringLiteral("settingsDock"));
  settingsDock->setWidget(buildSettingsDock());
  settingsDock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
  addDockWidget(Qt::RightDockWidgetArea, settingsDock);

  auto* queueDock = new QDockWidget(tr("Render Queue"), this);
  queueDock->setObjectName(QStringLiteral("queueDock"));
  queueWidget_ = new RenderQueueWidget(queue_, queueDock);
  queueDock->setWidget(queueWidget_);
  queueDock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
  addDockWidget(Qt::BottomDockWidgetArea, queueDock);
  resizeDocks({inputs, settingsDock}, {290, 350}, Qt::Horizontal);
  resizeDocks({queueDock}, {120}, Qt::Vertical);

  buildMenus();
  buildStatusBar();
  resize(1280, 800);
}

QWidget* MainWindow::buildCentral() {
  auto* central = new QWidget(this);
  auto* v = new QVBoxLayout(central);
  v->setContentsMargins(0, 0, 0, 0);
  v->setSpacing(0);
  auto* views = new QSplitter(Qt::Horizontal, central);
  views->setObjectName(QStringLiteral("viewSplitter"));
  previewView_ = new PreviewView(views);
  driverView_ = new DriverView(views);
  views->addWidget(previewView_);
  views->addWidget(driverView_);
  views->setStretchFactor(0, 3);
  views->setStretchFactor(1, 1);
  views->setCollapsible(0, false);
  v->addWidget(views, 1);

  auto* transport = new QWidget(central);
  transport->setObjectName(QStringLiteral("transport"));
  auto* h = new QHBoxLayout(transport);
  h->setContentsMargins(10, 6, 10, 2);
  playButton_ = new QToolButton(transport);
  playButton_->setObjectName(QStringLiteral("playButton"));
  playButton_->setDefaultAction(actions_.value(QStringLiteral("play")));
  playButton_->setIconSize(QSize(22, 22));
  playButton_->setAutoRaise(true);
  playhead_ = new QSlider(Qt::Horizontal, transport);
  playhead_->setObjectName(QStringLiteral("playheadSlider"));
  playhead_->setToolTip(tr("Playhead: drag to scrub through the video"));
  timeLabel_ = new QLabel(transport);
  timeLabel_->setObjectName(QStringLiteral("timeLabel"));
  timeLabel_->setMinimumWidth(150);
  timeLabel_->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
  QFont mono = timeLabel_->font();
  mono.setFamily(QStringLiteral("monospace"));
  mono.setStyleHint(QFont::Monospace);
  timeLabel_->setFont(mono);
  auto* original = new QToolButton(transport);
  original->setDefaultAction(actions_.value(QStringLiteral("original")));
  original->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
  original->setAutoRaise(true);
  auto* landmarks = new QToolButton(transport);
  landmarks->setDefaultAction(actions_.value(QStringLiteral("landmarks")));
  landmarks->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
  landmarks->setAutoRaise(true);
  h->addWidget(playButton_);
  h->addWidget(playhead_, 1);
  h->addWidget(timeLabel_);
  h->addWidget(original);
  h->addWidget(landmarks);
  v->addWidget(transport);

  waveform_ = new WaveformView(central);
  auto* waveWrap = new QWidget(central);
  auto* wl = new QVBoxLayout(waveWrap);
  wl->setContentsMargins(10, 2, 10, 8);
  wl->addWidget(waveform_);
  v->addWidget(waveWrap);
  return central;
}

QWidget* MainWindow::buildInputsPanel() {
  auto* panel = new QWidget(this);
  auto* v = new QVBoxLayout(panel);
  v->setContentsMargins(8, 8, 8, 8);
  auto* photoTitle = new QLabel(tr("<b>Photo</b>"), panel);
  auto* open = new QPushButton(tr("Open Photo…"), panel);
  setThemedIcon(open, QStringLiteral("open-photo"));
  open->setObjectName(QStringLiteral("openPhotoButton"));
  connect(open, &QPushButton::clicked, actions_.value(QStringLiteral("openPhoto")),
          &QAction::trigger);
  photoInfo_ = new QLabel(tr("No photo yet."), panel);
  photoInfo_->setObjectName(QStringLiteral("photoInfo"));
  photoInfo_->setWordWrap(true);
  photoInfo_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  recentPhotos_ = new QListWidget(panel);
  recentPhotos_->setObjectName(QStringLiteral("recentPhotos"));
  recentPhotos_->setMaximumHeight(90);
  recentPhotos_->setToolTip(tr("Recent photos: double-click to open one again"));
  connect(recentPhotos_, &QListWidget::itemActivated, this,
          [this](QListWidgetItem* item) { openPhoto(item->data(Qt::UserRole).toString()); });
  auto* speechTitle = new QLabel(tr("<b>Speech</b>"), panel);
  speech_ = new SpeechPanel(panel);
  speech_->layout()->setContentsMargins(0, 0, 0, 0);
  connect(speech_, &SpeechPanel::openAudioRequested, actions_.value(QStringLiteral("openAudio")),
          &QAction::trigger);
  connect(speech_, &SpeechPanel::audioReady, this,
          [this](const QString& path, const QString& transcript) { openAudio(path, transcript); });
  connect(speech_, &SpeechPanel::recentAudioActivated, this,
          [this](const QString& path) { openAudio(path); });
  connect(speech_, &SpeechPanel::problem, this, &MainWindow::showProblem);
  v->addWidget(photoTitle);
  v->addWidget(open);
  v->addWidget(photoInfo_);
  v->addWidget(recentPhotos_);
  v->addSpacing(8);
  v->addWidget(speechTitle);
  v->addWidget(speech_, 1);
  v->addSpacing(8);
  v->addWidget(buildDriverPanel(panel));
  return panel;
}

QWidget* MainWindow::buildSettingsDock() {
  auto* panel = new QWidget(this);
  auto* v = new QVBoxLayout(panel);
  v->setContentsMargins(0, 0, 0, 0);
  auto* presets = new QToolButton(panel);
  presets->setObjectName(QStringLiteral("presetButton"));
  presets->setText(tr("Presets"));
  setThemedIcon(presets, QStringLiteral("preset"));
  presets->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
  presets->setPopupMode(QToolButton::InstantPopup);
  presetMenu_ = new QMenu(tr("Presets"), this);
  presets->setMenu(presetMenu_);
  auto* row = new QHBoxLayout;
  row->setContentsMargins(8, 8, 8, 0);
  row->addWidget(presets);
  row->addStretch(1);
  v->addLayout(row);
  auto* scroll = new QScrollArea(panel);
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  settings_ = new SettingsPanel(scroll);
  scroll->setWidget(settings_);
  scroll->setMinimumWidth(settings_->minimumSizeHint().width() + 24);
  v->addWidget(scroll, 1);
  connect(settings_, &SettingsPanel::optionsChanged, this, [this](const avatar::RenderOptions& o) {
    avatar::RenderOptions next = o;
    next.transcript = transcript_.toStdString();
    sendOptionsToPreviews(next);
    if (!photo_.faces.empty()) {  // the face to animate may have changed
      previewView_->setFaces(photo_.faces, chosenFace(photo_.faces, o.faceIndex));
    }
  });
  return panel;
}

void MainWindow::buildStatusBar() {
  sessionLabel_ = new QLabel(this);
  sessionLabel_->setObjectName(QStringLiteral("sessionLabel"));
  busyBar_ = new QProgressBar(this);
  busyBar_->setRange(0, 100);
  busyBar_->setMaximumWidth(160);
  busyBar_->setMaximumHeight(14);
  busyBar_->setTextVisible(false);
  busyBar_->hide();
  audioState_ = new QLabel(this);
  audioState_->setObjectName(QStringLiteral("audioState"));
  statusBar()->addPermanentWidget(busyBar_);
  statusBar()->addPermanentWidget(sessionLabel_);
  statusBar()->addPermanentWidget(audioState_);
  updateAudioState();
}

void MainWindow::updateAudioState() {
  const bool sound = clock_->hasAudioOutput();
  audioState_->setPixmap(
      themedIcon(sound ? QStringLiteral("speaker") : QStringLiteral("speaker-off"))
          .pixmap(QSize(16, 16), devicePixelRatioF()));
  audioState_->setToolTip(sound ? tr("Sound plays through the default output")
                                : clock_->audioUnavailableReason());
}

void MainWindow::refreshIcons() {
  clearIconCache();
  for (auto it = actionIcons_.begin(); it != actionIcons_.end(); ++it) {
    it.key()->setIcon(themedIcon(it.value()));
  }
}

void MainWindow::showError(const avatar::Status& status, const QString& what) {
  QString text = ErrorText::describe(status);
  if (!what.isEmpty()) text = what + QLatin1Char('\n') + text;
  lastError_ = text;
  previewView_->setBanner(PreviewView::BannerKind::Error, text);
  statusBar()->showMessage(ErrorText::headline(status.code()), 8000);
  Q_EMIT errorShown(text);
}

void MainWindow::showProblem(const QString& message) {
  lastError_ = message;
  previewView_->setBanner(PreviewView::BannerKind::Error, message);
  Q_EMIT errorShown(message);
}

void MainWindow::showWarning(const QString& message) {
  previewView_->setBanner(PreviewView::BannerKind::Warning, message);
}

void MainWindow::clearBanner() {
  previewView_->setBanner(PreviewView::BannerKind::None, {});
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
  acceptLocalFileDrag(event);
}

void MainWindow::dropEvent(QDropEvent* event) {
  bool used = false;
  for (const QUrl& url : event->mimeData()->urls()) {
    if (!url.isLocalFile()) continue;
    const QString path = url.toLocalFile();
    const QString suffix = QFileInfo(path).suffix().toLower();
    avatar::ImageInfo info;
    if (suffix == QLatin1String("json")) {
      loadPresetFile(path);
    } else if (kImageSuffixes.contains(suffix) ||
               avatar::probeImage(toEnginePath(path), &info).isOk()) {
      openPhoto(path);
    } else {
      openAudio(path);
    }
    used = true;
  }
  if (used) event->acceptProposedAction();
}

void MainWindow::closeEvent(QCloseEvent* event) {
  const int active = queue_->activeCount();
  if (active > 0 && confirmOnClose_) {
    const auto answer = QMessageBox::question(
        this, tr("Renders in progress"),
        tr("%n render(s) are still running. Cancel them and quit?", nullptr, active),
        QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
    if (answer != QMessageBox::Yes) {
      event->ignore();
      return;
    }
  }
  clock_->pause();
  saveSettings();
  event->accept();
}

void MainWindow::changeEvent(QEvent* event) {
  if (event->type() == QEvent::ThemeChange && themeGroup_) {
    const QAction* checked = themeGroup_->checkedAction();
    if (checked && themeModeFromName(checked->data().toString()) == ThemeMode::System) {
      setTheme(ThemeMode::System);
    }
  }
  QMainWindow::changeEvent(event);
}

}  // namespace studio
