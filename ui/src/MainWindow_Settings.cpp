// Persistence (QSettings), presets, recent files and the theme.
#include <QAction>
#include <QActionGroup>
#include <QFileDialog>
#include <QFileInfo>
#include <QListWidget>
#include <QMenu>
#include <QSettings>
#include <QStatusBar>

#include "EngineTypes.h"
#include "ErrorText.h"
#include "Icons.h"
#include "MainWindow.h"
#include "Presets.h"
#include "RenderQueueWidget.h"
#include "SettingsPanel.h"
#include "SpeechPanel.h"
#include "Theme.h"
#include "avatar/options_json.h"

namespace studio {
namespace {
constexpr int kMaxRecent = 10;
}

void MainWindow::loadSettings() {
  QSettings s;
  restoreGeometry(s.value(QStringLiteral("window/geometry")).toByteArray());
  restoreState(s.value(QStringLiteral("window/state")).toByteArray());
  const QByteArray json = s.value(QStringLiteral("options/json")).toByteArray();
  avatar::RenderOptions o;
  if (!json.isEmpty() &&
      !avatar::parseRenderOptions(std::string_view(json.constData(), size_t(json.size())), &o)) {
    o = avatar::RenderOptions{};  // saved by an older version: start from the defaults
  }
  o.transcript.clear();
  settings_->setOptions(o);
  queueWidget_->setOutputFolder(s.value(QStringLiteral("render/outputFolder")).toString());
  connect(queueWidget_, &RenderQueueWidget::outputFolderChanged, this, [](const QString& folder) {
    QSettings().setValue(QStringLiteral("render/outputFolder"), folder);
  });
  speech_->setVoice(s.value(QStringLiteral("tts/voice"), QStringLiteral("en-us")).toString());
  speech_->setWordsPerMinute(s.value(QStringLiteral("tts/wpm"), 160).toInt());
  actions_.value(QStringLiteral("landmarks"))
      ->setChecked(s.value(QStringLiteral("view/landmarks"), true).toBool());
  const ThemeMode mode = themeModeFromName(s.value(QStringLiteral("view/theme")).toString());
  for (QAction* a : themeGroup_->actions())
    a->setChecked(themeModeFromName(a->data().toString()) == mode);
  rebuildPresetMenu();
  rebuildRecentMenus();
}

void MainWindow::saveSettings() const {
  QSettings s;
  s.setValue(QStringLiteral("window/geometry"), saveGeometry());
  s.setValue(QStringLiteral("window/state"), saveState());
  avatar::RenderOptions o = settings_->options();
  o.transcript.clear();  // belongs to the speech, not to the settings
  s.setValue(QStringLiteral("options/json"),
             QByteArray::fromStdString(avatar::renderOptionsToJson(o)));
  s.setValue(QStringLiteral("render/outputFolder"), queueWidget_->outputFolder());
  s.setValue(QStringLiteral("tts/voice"), speech_->voice());
  s.setValue(QStringLiteral("tts/wpm"), speech_->wordsPerMinute());
  s.setValue(QStringLiteral("view/landmarks"),
             actions_.value(QStringLiteral("landmarks"))->isChecked());
  if (const QAction* a = themeGroup_->checkedAction()) {
    s.setValue(QStringLiteral("view/theme"), a->data().toString());
  }
}

void MainWindow::setTheme(ThemeMode mode) {
  applyTheme(mode);
  refreshIcons();
  updateAudioState();
  for (QAction* a : themeGroup_->actions())
    a->setChecked(themeModeFromName(a->data().toString()) == mode);
  QSettings().setValue(QStringLiteral("view/theme"), themeModeName(mode));
}

bool MainWindow::loadPresetFile(const QString& path) {
  avatar::RenderOptions o = options();
  if (avatar::Status s = loadPreset(path, &o); !s) {
    showError(s, tr("Could not load the preset %1.").arg(QFileInfo(path).fileName()));
    return false;
  }
  setOptions(o);
  statusBar()->showMessage(tr("Preset %1 applied").arg(QFileInfo(path).completeBaseName()), 4000);
  return true;
}

bool MainWindow::savePresetFile(const QString& path) {
  avatar::RenderOptions o = settings_->options();
  o.transcript.clear();
  if (avatar::Status s = savePreset(path, o); !s) {
    showError(s, tr("Could not save the preset."));
    return false;
  }
  rebuildPresetMenu();
  statusBar()->showMessage(tr("Saved preset %1").arg(QFileInfo(path).fileName()), 4000);
  return true;
}

void MainWindow::chooseAndLoadPreset() {
  const QString path = QFileDialog::getOpenFileName(this, tr("Load Preset"), userPresetDir(),
                                                    tr("Presets (*.json)"));
  if (!path.isEmpty()) loadPresetFile(path);
}

void MainWindow::chooseAndSavePreset() {
  QString path = QFileDialog::getSaveFileName(this, tr("Save Preset"),
                                              userPresetDir() + QStringLiteral("/my-preset.json"),
                                              tr("Presets (*.json)"));
  if (path.isEmpty()) return;
  if (!path.endsWith(QLatin1String(".json"))) path += QStringLiteral(".json");
  savePresetFile(path);
}

void MainWindow::rebuildPresetMenu() {
  presetMenu_->clear();
  const auto presets = availablePresets();
  bool userSection = false;
  for (const PresetEntry& p : presets) {
    if (!p.builtIn && !userSection) {
      presetMenu_->addSeparator();
      userSection = true;
    }
    QAction* a = presetMenu_->addAction(p.name);
    a->setObjectName(QStringLiteral("preset:") + QFileInfo(p.path).completeBaseName());
    const QString path = p.path;
    connect(a, &QAction::triggered, this, [this, path] {
      // A preset applies on top of the defaults, so every preset gives the same result.
      avatar::RenderOptions o;
      o.transcript = transcript_.toStdString();
      if (avatar::Status s = loadPreset(path, &o); !s) {
        showError(s, tr("Could not load the preset."));
        return;
      }
      setOptions(o);
    });
  }
  presetMenu_->addSeparator();
  presetMenu_->addAction(actions_.value(QStringLiteral("loadPreset")));
  presetMenu_->addAction(actions_.value(QStringLiteral("savePreset")));
}

QStringList MainWindow::recent(const QString& key) const {
  QStringList out;
  for (const QString& p : QSettings().value(key).toStringList()) {
    if (QFileInfo::exists(p)) out << p;
  }
  return out;
}

void MainWindow::addRecent(const QString& key, const QString& path) {
  QStringList list = QSettings().value(key).toStringList();
  const QString abs = QFileInfo(path).absoluteFilePath();
  list.removeAll(abs);
  list.prepend(abs);
  while (list.size() > kMaxRecent) list.removeLast();
  QSettings().setValue(key, list);
  rebuildRecentMenus();
}

void MainWindow::rebuildRecentMenus() {
  const QStringList photos = recent(QStringLiteral("recent/photos"));
  const QStringList sounds = recent(QStringLiteral("recent/audio"));
  const QStringList drivers = recent(QStringLiteral("recent/drivers"));
  recentPhotoMenu_->clear();
  recentAudioMenu_->clear();
  recentPhotos_->clear();
  for (const QString& p : photos) {
    recentPhotoMenu_->addAction(QFileInfo(p).fileName(), this, [this, p] { openPhoto(p); });
    auto* item = new QListWidgetItem(QFileInfo(p).fileName(), recentPhotos_);
    item->setData(Qt::UserRole, p);
    item->setToolTip(p);
  }
  for (const QString& p : sounds) {
    recentAudioMenu_->addAction(QFileInfo(p).fileName(), this, [this, p] { openAudio(p); });
  }
  recentDriverMenu_->clear();
  recentDrivers_->clear();
  for (const QString& p : drivers) {
    recentDriverMenu_->addAction(QFileInfo(p).fileName(), this, [this, p] { setDriverVideo(p); });
    auto* item = new QListWidgetItem(QFileInfo(p).fileName(), recentDrivers_);
    item->setData(Qt::UserRole, p);
    item->setToolTip(p);
  }
  recentDriverMenu_->setEnabled(!drivers.isEmpty());
  recentPhotoMenu_->setEnabled(!photos.isEmpty());
  recentAudioMenu_->setEnabled(!sounds.isEmpty());
  speech_->setRecentAudio(sounds);
}

}  // namespace studio
