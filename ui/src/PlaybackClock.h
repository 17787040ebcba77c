// The playhead clock: plays the speech through QMediaPlayer when an audio
// output exists, and keeps time with a QElapsedTimer either way, so the
// preview stays in time on machines without a sound device (CI, servers,
// remote desktops). The player's position re-anchors the timer when it
// drifts, so picture and sound stay in sync.
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QTimer>

class QAudioOutput;
class QMediaPlayer;

namespace studio {

class PlaybackClock : public QObject {
  Q_OBJECT

 public:
  explicit PlaybackClock(QObject* parent = nullptr);
  ~PlaybackClock() override;

  // The audio to play and its length; stops playback and rewinds.
  void setSource(const QString& audioPath, double durationSec);
  double durationSec() const { return durationSec_; }
  double positionSec() const;
  bool isPlaying() const { return playing_; }
  // Whether sound is heard (false: silent clock only).
  bool hasAudioOutput() const { return player_ != nullptr && !audioFailed_; }
  QString audioUnavailableReason() const { return unavailableReason_; }

 public Q_SLOTS:
  void play();
  void pause();
  void togglePlay();
  void seek(double seconds);

 Q_SIGNALS:
  void positionChanged(double seconds);
  void playingChanged(bool playing);
  // Emitted once per clock: sound cannot be played (no device, no codec).
  void audioUnavailable(const QString& reason);

 private:
  void tick();
  void anchor(double seconds);
  void reportUnavailable(const QString& reason);

  QMediaPlayer* player_ = nullptr;
  QAudioOutput* output_ = nullptr;
  QTimer ticker_;
  QElapsedTimer elapsed_;
  QElapsedTimer audioMoved_;
  qint64 lastAudioMs_ = -1;
  double anchorSec_ = 0;
  double durationSec_ = 0;
  bool playing_ = false;
  bool audioFailed_ = false;
  bool reported_ = false;
  QString unavailableReason_;
};

}  // namespace studio
