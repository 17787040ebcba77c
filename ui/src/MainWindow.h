// Avatar Studio's main window. Split by feature:
//   MainWindow.cpp          layout, actions, menus, drag and drop
//   MainWindow_Photo.cpp    opening photos, the face overlay
//   MainWindow_Speech.cpp   opening speech, waveform, visemes
//   MainWindow_Preview.cpp  the live preview session, playhead, transport
//   MainWindow_Render.cpp   the render queue
//   MainWindow_Settings.cpp QSettings, presets, recent files, theme
//   MainWindow_Driver.cpp   the driver video: tracking, the driver view
//
// Every user action has a public method (openPhoto, openAudio, renderNow,
// ...) that the menus, buttons, drops, tests and the screenshot tool all use.
// No engine work runs on the GUI thread.
#pragma once

#include <QHash>
#include <QMainWindow>
#include <QStringList>
#include <memory>

#include "MediaAnalysis.h"
#include "avatar/engine.h"
#include "avatar/options.h"
#include "avatar/session.h"
#include "avatar/status.h"

class QAction;
class QActionGroup;
class QLabel;
class QListWidget;
class QMenu;
class QProgressBar;
class QSlider;
class QTimer;
class QToolButton;

namespace studio {

class DriverTracker;
class DriverView;
class PlaybackClock;
class PreviewController;
class DiffusionPreview;
class PreviewView;
class RenderJob;
class RenderQueue;
class RenderQueueWidget;
class SettingsPanel;
class SpeechPanel;
class WaveformView;
enum class ThemeMode;

class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  explicit MainWindow(std::shared_ptr<const avatar::Engine> engine, QWidget* parent = nullptr);
  ~MainWindow() override;

  // User actions.
  void openPhoto(const QString& path);
  void openAudio(const QString& path, const QString& transcript = QString());
  // Queues a render with an automatic name in the output folder; null when
  // the inputs are missing (the reason is shown).
  RenderJob* renderNow();
  RenderJob* renderTo(const QString& outputPath);
  void setOptions(const avatar::RenderOptions& options);  // as if edited in the panel
  // A driver video (chosen, dropped or recent): tracked off the GUI thread,
  // then the preview and renders follow it. Replaces (and cancels) any other.
  void setDriverVideo(const QString& path);
  void clearDriverVideo();
  void seekTo(double seconds);
  void setShowOriginal(bool original);
  bool loadPresetFile(const QString& path);
  bool savePresetFile(const QString& path);
  void setTheme(ThemeMode mode);
  // Closing asks before cancelling running renders unless this is off.
  void setConfirmOnClose(bool confirm) { confirmOnClose_ = confirm; }

  // State.
  QString photoPath() const { return photoPath_; }
  QString audioPath() const { return audioPath_; }
  // The driver video the preview and renders use (empty: none, or still tracking).
  QString driverPath() const { return driverPath_; }
  avatar::RenderOptions options() const;
  const PhotoAnalysis& photo() const { return photo_; }
  const AudioAnalysis& audio() const { return audio_; }
  QString lastError() const { return lastError_; }
  double playheadSec() const { return playheadSec_; }

  PreviewView* previewView() const { return previewView_; }
  WaveformView* waveformView() const { return waveform_; }
  SettingsPanel* settingsPanel() const { return settings_; }
  SpeechPanel* speechPanel() const { return speech_; }
  PreviewController* previewController() const { return preview_; }
  DiffusionPreview* diffusionPreview() const { return diffusion_; }
  PlaybackClock* playbackClock() const { return clock_; }
  DriverTracker* driverTracker() const { return driverTracker_; }
  DriverView* driverView() const { return driverView_; }
  RenderQueue* renderQueue() const { return queue_; }
  RenderQueueWidget* renderQueueWidget() const { return queueWidget_; }
  QSlider* playheadSlider() const { return playhead_; }
  QAction* action(const QString& name) const { return actions_.value(name); }

 Q_SIGNALS:
  void photoFinished(bool ok);  // a photo load finished (ok: it is now the photo)
  void audioFinished(bool ok);
  void driverFinished(bool ok);  // a driver's tracking finished (ok: it now drives)
  void errorShown(const QString& message);

 protected:
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;
  void closeEvent(QCloseEvent* event) override;
  void changeEvent(QEvent* event) override;

 private:
  // MainWindow.cpp
  void buildUi();
  QWidget* buildCentral();
  QWidget* buildInputsPanel();
  QWidget* buildSettingsDock();
  void buildActions();
  void buildMenus();
  void buildStatusBar();
  QAction* addAction(const QString& name, const QString& text, const QString& icon,
                     const QKeySequence& shortcut = {});
  void refreshIcons();
  void updateAudioState();
  void showError(const avatar::Status& status, const QString& what = QString());
  void showProblem(const QString& message);
  void showWarning(const QString& message);
  void clearBanner();
  // MainWindow_Photo.cpp
  void onPhotoAnalysed(const PhotoAnalysis& result, quint64 serial);
  void showFaceResult();
  void updatePhotoInfo();
  // MainWindow_Speech.cpp
  void showEngineFace(const avatar::SessionInfo& info);
  void onAudioAnalysed(const AudioAnalysis& result, const QString& transcript, quint64 serial);
  // MainWindow_Preview.cpp
  void connectPreview();
  void reopenSession();
  // New options for the live preview (the fast mouth where Diff2Lip would be
  // chosen) and for the diffusion preview.
  void sendOptionsToPreviews(const avatar::RenderOptions& o);
  void connectDiffusionPreview();
  void onClockPosition(double seconds);
  void onSessionOpened(const avatar::SessionInfo& info);
  void onFrameReady(const QImage& frame, int index, double renderMs);
  void updateTransport();
  int frameAt(double seconds) const;
  void stepFrames(int delta);
  // A request for the studio's inputs: photo, speech and the driver video `driver`
  // (previews and queued renders).
  avatar::RenderRequest inputsRequest(const avatar::RenderOptions& o, const QString& driver) const;
  // MainWindow_Driver.cpp
  QWidget* buildDriverPanel(QWidget* parent);
  void connectDriver();
  void chooseDriverVideo();
  void onDriverTracked(const avatar::Status& status);
  // Shows the driver frame the playhead maps to (force: even if it is shown).
  void updateDriverView(bool force = false);
  void updateDriverInfo();
  // MainWindow_Render.cpp
  void connectRender();
  QString automaticOutputPath() const;
  void onJobFinished(RenderJob* job);
  void renderAs();
  // MainWindow_Settings.cpp
  void loadSettings();
  void saveSettings() const;
  void rebuildPresetMenu();
  void rebuildRecentMenus();
  void addRecent(const QString& key, const QString& path);
  QStringList recent(const QString& key) const;
  void chooseAndLoadPreset();
  void chooseAndSavePreset();

  std::shared_ptr<const avatar::Engine> engine_;
  PreviewController* preview_ = nullptr;
  DiffusionPreview* diffusion_ = nullptr;  // Diff2Lip frames when the playhead rests
  QTimer* restTimer_ = nullptr;
  avatar::RenderOptions acceptedOptions_;  // the last options the preview accepted (in full)
  avatar::RenderOptions sentOptions_;
  PlaybackClock* clock_ = nullptr;
  RenderQueue* queue_ = nullptr;

  PreviewView* previewView_ = nullptr;
  WaveformView* waveform_ = nullptr;
  SettingsPanel* settings_ = nullptr;
  SpeechPanel* speech_ = nullptr;
  RenderQueueWidget* queueWidget_ = nullptr;
  QSlider* playhead_ = nullptr;
  QLabel* timeLabel_ = nullptr;
  QToolButton* playButton_ = nullptr;
  QLabel* photoInfo_ = nullptr;
  QListWidget* recentPhotos_ = nullptr;
  QLabel* sessionLabel_ = nullptr;
  QLabel* audioState_ = nullptr;
  QProgressBar* busyBar_ = nullptr;
  QMenu* presetMenu_ = nullptr;
  QMenu* recentPhotoMenu_ = nullptr;
  QMenu* recentAudioMenu_ = nullptr;
  QMenu* recentDriverMenu_ = nullptr;
  QListWidget* recentDrivers_ = nullptr;
  QLabel* driverInfo_ = nullptr;
  DriverTracker* driverTracker_ = nullptr;
  DriverView* driverView_ = nullptr;
  QActionGroup* themeGroup_ = nullptr;
  QHash<QString, QAction*> actions_;
  QHash<QAction*, QString> actionIcons_;

  QString photoPath_;
  QString audioPath_;
  QString transcript_;
  QString driverPath_;     // tracked and accepted
  QString sessionDriver_;  // the driver the preview's session was opened with
  int driverFps_ = 0;      // the frame rate the driver was tracked at
  PhotoAnalysis photo_;
  AudioAnalysis audio_;
  quint64 photoSerial_ = 0;
  quint64 audioSerial_ = 0;
  double playheadSec_ = 0;
  QString lastError_;
  bool confirmOnClose_ = true;
  bool audioNoticeShown_ = false;
};

}  // namespace studio
