#include "PlaybackClock.h"

#include <QAudioDevice>
#include <QAudioOutput>
#include <QMediaDevices>
#include <QMediaPlayer>
#include <QUrl>
#include <cmath>

namespace studio {

PlaybackClock::PlaybackClock(QObject* parent) : QObject(parent) {
  ticker_.setTimerType(Qt::PreciseTimer);
  ticker_.setInterval(15);
  connect(&ticker_, &QTimer::timeout, this, &PlaybackClock::tick);
  if (QMediaDevices::audioOutputs().isEmpty()) {
    unavailableReason_ = tr("No sound output device was found: the preview plays silently.");
    return;
  }
  player_ = new QMediaPlayer(this);
  output_ = new QAudioOutput(this);
  player_->setAudioOutput(output_);
  connect(player_, &QMediaPlayer::errorOccurred, this,
          [this](QMediaPlayer::Error, const QString& message) {
            audioFailed_ = true;
            reportUnavailable(tr("Sound cannot be played (%1): the preview plays silently.")
                                  .arg(message.isEmpty() ? tr("unknown error") : message));
          });
}

PlaybackClock::~PlaybackClock() = default;

void PlaybackClock::reportUnavailable(const QString& reason) {
  unavailableReason_ = reason;
  if (reported_) return;
  reported_ = true;
  Q_EMIT audioUnavailable(reason);
}

void PlaybackClock::setSource(const QString& audioPath, double durationSec) {
  pause();
  durationSec_ = std::max(0.0, durationSec);
  anchorSec_ = 0;
  if (player_) {
    audioFailed_ = false;
    player_->setSource(QUrl::fromLocalFile(audioPath));
  } else {
    reportUnavailable(unavailableReason_);
  }
  Q_EMIT positionChanged(0);
}

double PlaybackClock::positionSec() const {
  if (!playing_) return anchorSec_;
  const double t = anchorSec_ + double(elapsed_.nsecsElapsed()) / 1e9;
  return std::min(t, durationSec_);
}

void PlaybackClock::anchor(double seconds) {
  anchorSec_ = std::clamp(seconds, 0.0, durationSec_);
  elapsed_.restart();
}

void PlaybackClock::play() {
  if (playing_ || durationSec_ <= 0) return;
  if (anchorSec_ >= durationSec_ - 1e-3) anchorSec_ = 0;  // replay from the start
  anchor(anchorSec_);
  playing_ = true;
  if (hasAudioOutput()) {
    player_->setPosition(qint64(std::llround(anchorSec_ * 1000)));
    player_->play();
    lastAudioMs_ = -1;
    audioMoved_.restart();
  }
  ticker_.start();
  Q_EMIT playingChanged(true);
}

void PlaybackClock::pause() {
  if (!playing_) return;
  anchorSec_ = positionSec();
  playing_ = false;
  ticker_.stop();
  if (player_) player_->pause();
  Q_EMIT playingChanged(false);
  Q_EMIT positionChanged(anchorSec_);
}

void PlaybackClock::togglePlay() {
  playing_ ? pause() : play();
}

void PlaybackClock::seek(double seconds) {
  anchor(seconds);
  if (player_ && !audioFailed_) player_->setPosition(qint64(std::llround(anchorSec_ * 1000)));
  Q_EMIT positionChanged(anchorSec_);
}

void PlaybackClock::tick() {
  double t = positionSec();
  // Follow the sound card when it plays: re-anchor when the two clocks drift
  // apart by more than a frame or two (the player's position is coarse).
  if (hasAudioOutput() && player_->playbackState() == QMediaPlayer::PlayingState) {
    const qint64 audioMs = player_->position();
    if (audioMs != lastAudioMs_) {
      lastAudioMs_ = audioMs;
      audioMoved_.restart();
    }
    // A player that stops advancing (a stalled sink) is ignored after 0.5 s.
    const double audioSec = double(audioMs) / 1000.0;
    if (audioMoved_.elapsed() < 500 && std::abs(audioSec - t) > 0.08) {
      anchor(audioSec);
      t = audioSec;
    }
  }
  if (t >= durationSec_) {
    anchorSec_ = durationSec_;
    playing_ = false;
    ticker_.stop();
    if (player_) player_->pause();
    Q_EMIT positionChanged(durationSec_);
    Q_EMIT playingChanged(false);
    return;
  }
  Q_EMIT positionChanged(t);
}

}  // namespace studio
