// Actions, shortcuts, menus and the tool bar.
#include <QAction>
#include <QActionGroup>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenuBar>
#include <QMessageBox>
#include <QToolBar>
#include <QToolButton>
#include <algorithm>

#include "Icons.h"
#include "MainWindow.h"
#include "ModelManagerDialog.h"
#include "PlaybackClock.h"
#include "PreviewView.h"
#include "RenderQueue.h"
#include "SettingsPanel.h"
#include "Theme.h"

namespace studio {

QAction* MainWindow::addAction(const QString& name, const QString& text, const QString& icon,
                               const QKeySequence& shortcut) {
  auto* a = new QAction(text, this);
  a->setObjectName(name);
  if (!icon.isEmpty()) {
    a->setIcon(themedIcon(icon));
    actionIcons_.insert(a, icon);
  }
  if (!shortcut.isEmpty()) {
    a->setShortcut(shortcut);
    a->setToolTip(QStringLiteral("%1 (%2)").arg(QString(text).remove(QLatin1Char('&')),
                                                shortcut.toString(QKeySequence::NativeText)));
  }
  QMainWindow::addAction(a);  // shortcuts work even when menus are hidden
  actions_.insert(name, a);
  return a;
}

void MainWindow::buildActions() {
  connect(addAction(QStringLiteral("openPhoto"), tr("Open &Photo…"), QStringLiteral("open-photo"),
                    QKeySequence::Open),
          &QAction::triggered, this, [this] {
            const QString path = QFileDialog::getOpenFileName(
                this, tr("Open Photo"), QFileInfo(photoPath_).absolutePath(),
                tr("Photos (*.png *.jpg *.jpeg *.webp *.bmp *.tif *.tiff);;All files (*)"));
            if (!path.isEmpty()) openPhoto(path);
          });
  connect(addAction(QStringLiteral("openAudio"), tr("Open &Sound…"), QStringLiteral("open-audio"),
                    QKeySequence(tr("Ctrl+Shift+O"))),
          &QAction::triggered, this, [this] {
            const QString path = QFileDialog::getOpenFileName(
                this, tr("Open Sound"), QFileInfo(audioPath_).absolutePath(),
                tr("Sound and video (*.wav *.mp3 *.ogg *.oga *.opus *.flac *.m4a *.aac *.mp4 "
                   "*.mov *.mkv *.webm);;All files (*)"));
            if (!path.isEmpty()) openAudio(path);
          });
  connect(addAction(QStringLiteral("openDriver"), tr("Open &Driver Video…"),
                    QStringLiteral("open-audio")),
          &QAction::triggered, this, &MainWindow::chooseDriverVideo);
  connect(addAction(QStringLiteral("clearDriver"), tr("Clear Driver Video"), {}),
          &QAction::triggered, this, &MainWindow::clearDriverVideo);
  connect(addAction(QStringLiteral("play"), tr("&Play"), QStringLiteral("play"),
                    QKeySequence(Qt::Key_Space)),
          &QAction::triggered, clock_, &PlaybackClock::togglePlay);
  connect(
      addAction(QStringLiteral("prevFrame"), tr("Previous Frame"), {}, QKeySequence(Qt::Key_Comma)),
      &QAction::triggered, this, [this] { stepFrames(-1); });
  connect(
      addAction(QStringLiteral("nextFrame"), tr("Next Frame"), {}, QKeySequence(Qt::Key_Period)),
      &QAction::triggered, this, [this] { stepFrames(1); });
  connect(addAction(QStringLiteral("toStart"), tr("Go to Start"), {}, QKeySequence(Qt::Key_Home)),
          &QAction::triggered, this, [this] { seekTo(0); });
  QAction* original = addAction(QStringLiteral("original"), tr("&Original"),
                                QStringLiteral("compare"), QKeySequence(Qt::Key_B));
  original->setCheckable(true);
  original->setToolTip(tr("Before/after: show the original photo instead of the preview (B)"));
  connect(original, &QAction::toggled, this, &MainWindow::setShowOriginal);
  QAction* landmarks = addAction(QStringLiteral("landmarks"), tr("&Landmarks"),
                                 QStringLiteral("face"), QKeySequence(Qt::Key_L));
  landmarks->setCheckable(true);
  landmarks->setChecked(true);
  landmarks->setToolTip(tr("Show the detected face box and landmarks on the original (L)"));
  connect(landmarks, &QAction::toggled, this,
          [this](bool on) { previewView_->setOverlayVisible(on); });
  connect(addAction(QStringLiteral("render"), tr("&Render"), QStringLiteral("render"),
                    QKeySequence(tr("Ctrl+R"))),
          &QAction::triggered, this, [this] { renderNow(); });
  connect(addAction(QStringLiteral("renderAs"), tr("Render &As…"), {},
                    QKeySequence(tr("Ctrl+Shift+R"))),
          &QAction::triggered, this, &MainWindow::renderAs);
  connect(
      addAction(QStringLiteral("cancelAll"), tr("&Cancel All Renders"), QStringLiteral("cancel")),
      &QAction::triggered, queue_, &RenderQueue::cancelAll);
  connect(addAction(QStringLiteral("models"), tr("&Model Manager…"), QStringLiteral("models"),
                    QKeySequence(tr("Ctrl+M"))),
          &QAction::triggered, this, [this] {
            if (!engine_) return;
            ModelManagerDialog dialog(engine_, this);
            dialog.exec();
            settings_->setAvailability(choiceAvailability(*engine_));
          });
  connect(addAction(QStringLiteral("loadPreset"), tr("&Load Preset…"), {}), &QAction::triggered,
          this, &MainWindow::chooseAndLoadPreset);
  connect(addAction(QStringLiteral("savePreset"), tr("Save Preset &As…"), {}), &QAction::triggered,
          this, &MainWindow::chooseAndSavePreset);
  connect(addAction(QStringLiteral("quit"), tr("&Quit"), {}, QKeySequence::Quit),
          &QAction::triggered, this, &QWidget::close);
}

void MainWindow::buildMenus() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  file->addAction(actions_.value(QStringLiteral("openPhoto")));
  recentPhotoMenu_ = file->addMenu(tr("Recent Photos"));
  file->addAction(actions_.value(QStringLiteral("openAudio")));
  recentAudioMenu_ = file->addMenu(tr("Recent Sounds"));
  file->addAction(actions_.value(QStringLiteral("openDriver")));
  recentDriverMenu_ = file->addMenu(tr("Recent Driver Videos"));
  file->addAction(actions_.value(QStringLiteral("clearDriver")));
  file->addSeparator();
  file->addAction(actions_.value(QStringLiteral("loadPreset")));
  file->addAction(actions_.value(QStringLiteral("savePreset")));
  file->addMenu(presetMenu_);
  file->addSeparator();
  file->addAction(actions_.value(QStringLiteral("quit")));

  QMenu* play = menuBar()->addMenu(tr("&Playback"));
  for (const char* name : {"play", "prevFrame", "nextFrame", "toStart"}) {
    play->addAction(actions_.value(QLatin1String(name)));
  }
  play->addSeparator();
  play->addAction(actions_.value(QStringLiteral("original")));
  play->addAction(actions_.value(QStringLiteral("landmarks")));

  QMenu* render = menuBar()->addMenu(tr("&Render"));
  for (const char* name : {"render", "renderAs", "cancelAll"}) {
    render->addAction(actions_.value(QLatin1String(name)));
  }
  QMenu* tools = menuBar()->addMenu(tr("&Tools"));
  tools->addAction(actions_.value(QStringLiteral("models")));

  QMenu* view = menuBar()->addMenu(tr("&View"));
  QMenu* theme = view->addMenu(tr("&Theme"));
  themeGroup_ = new QActionGroup(this);
  for (auto [mode, label] :
       {std::pair{ThemeMode::System, tr("Follow the &System")},
        std::pair{ThemeMode::Light, tr("&Light")}, std::pair{ThemeMode::Dark, tr("&Dark")}}) {
    QAction* a = theme->addAction(label);
    a->setCheckable(true);
    a->setData(themeModeName(mode));
    themeGroup_->addAction(a);
    connect(a, &QAction::triggered, this, [this, mode] { setTheme(mode); });
  }
  view->addSeparator();
  for (QDockWidget* dock : findChildren<QDockWidget*>()) view->addAction(dock->toggleViewAction());

  QMenu* help = menuBar()->addMenu(tr("&Help"));
  help->addAction(tr("&Keyboard Shortcuts"), this, [this] {
    QString text = QStringLiteral("<table>");
    QList<QAction*> list = actions_.values();
    std::sort(list.begin(), list.end(), [](QAction* x, QAction* y) {
      return x->shortcut().toString() < y->shortcut().toString();
    });
    for (QAction* a : list) {
      if (a->shortcut().isEmpty()) continue;
      text += QStringLiteral("<tr><td><b>%1</b>&nbsp;&nbsp;</td><td>%2</td></tr>")
                  .arg(a->shortcut().toString(QKeySequence::NativeText).toHtmlEscaped(),
                       a->text().remove(QLatin1Char('&')).toHtmlEscaped());
    }
    QMessageBox::information(this, tr("Keyboard Shortcuts"), text + QStringLiteral("</table>"));
  });
  help->addAction(tr("&About Avatar Studio"), this, [this] {
    QMessageBox::about(this, tr("About Avatar Studio"),
                       tr("<h3>Avatar Studio %1</h3><p>A talking-head video from one photo and "
                          "speech.</p><p>The same engine runs the <code>avatar-renderer</code> "
                          "command line, REST and MCP servers.</p>")
                           .arg(QStringLiteral(AVATAR_STUDIO_VERSION)));
  });

  QToolBar* bar = addToolBar(tr("Main"));
  bar->setObjectName(QStringLiteral("mainToolBar"));
  bar->setMovable(false);
  bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
  bar->setIconSize(QSize(20, 20));
  bar->addAction(actions_.value(QStringLiteral("openPhoto")));
  bar->addAction(actions_.value(QStringLiteral("openAudio")));
  bar->addSeparator();
  bar->addAction(actions_.value(QStringLiteral("render")));
  if (QWidget* render = bar->widgetForAction(actions_.value(QStringLiteral("render")))) {
    render->setObjectName(QStringLiteral("renderToolButton"));
    render->setStyleSheet(
        QStringLiteral(
            "QToolButton { background: %1; color: white; border-radius: 5px; padding: 3px 10px; }"
            "QToolButton:hover { background: %2; }"
            "QToolButton:disabled { background: palette(mid); color: palette(window); }")
            .arg(accentColor().name(), accentColor().lighter(115).name()));
  }
  bar->addSeparator();
  bar->addAction(actions_.value(QStringLiteral("models")));
}

}  // namespace studio
