// The speech timeline: waveform, time ruler, the viseme track as a lane under
// it, and the playhead. Clicking or dragging scrubs (seekRequested).
#pragma once

#include <QString>
#include <QVector>
#include <QWidget>

#include "avatar/status.h"
#include "avatar/visemes.h"

namespace studio {

struct AudioAnalysis;

class WaveformView : public QWidget {
  Q_OBJECT

 public:
  explicit WaveformView(QWidget* parent = nullptr);

  void setAnalysis(const AudioAnalysis& analysis);
  // The engine's own track (Session::visemes()) replaces the first estimate.
  void setVisemes(const avatar::VisemeTrack& visemes);
  const avatar::VisemeTrack& visemes() const { return visemes_; }
  void setPlayhead(double seconds);
  void setBusyText(const QString& text);

  double durationSec() const { return durationSec_; }
  double playheadSec() const { return playheadSec_; }
  QString visemeMessage() const { return visemeMessage_; }
  // x coordinate of time t (for tests that click on the timeline).
  int xForTime(double seconds) const;

  QSize sizeHint() const override { return {600, 132}; }
  QSize minimumSizeHint() const override { return {200, 110}; }

 Q_SIGNALS:
  void seekRequested(double seconds);

 protected:
  void paintEvent(QPaintEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;

 private:
  QRectF waveRect() const;
  QRectF laneRect() const;
  double timeForX(double x) const;
  void paintWave(QPainter& p, const QRectF& r);
  void paintRuler(QPainter& p, const QRectF& r);
  void paintLane(QPainter& p, const QRectF& r);

  QVector<float> peak_;
  QVector<float> rms_;
  int bucketsPerSecond_ = 200;
  double durationSec_ = 0;
  double playheadSec_ = 0;
  avatar::VisemeTrack visemes_;
  QString visemeMessage_;
  QString busyText_;
};

}  // namespace studio
