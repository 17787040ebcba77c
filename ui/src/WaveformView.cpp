#include "WaveformView.h"

#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <cmath>

#include "EngineTypes.h"
#include "MediaAnalysis.h"
#include "Theme.h"

namespace studio {
namespace {

constexpr double kMargin = 10;
constexpr double kRuler = 18;
constexpr double kLane = 24;

QColor visemeColor(avatar::Viseme v) {
  static const QColor colors[] = {
      QColor(0x8e, 0x6c, 0xef), QColor(0x4d, 0x9d, 0xe0), QColor(0x36, 0xb3, 0x9a),
      QColor(0xe0, 0x7a, 0x3a), QColor(0xd6, 0x4f, 0x7a), QColor(0xc2, 0x9b, 0x2c),
      QColor(0x5a, 0x8f, 0x3c), QColor(0x3c, 0x6f, 0xa8), QColor(0x6b, 0x70, 0x7a)};
  return colors[int(v)];
}

}  // namespace

WaveformView::WaveformView(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("waveform"));
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
  setFixedHeight(132);
  setCursor(Qt::PointingHandCursor);
  setToolTip(tr("Click or drag to move the playhead"));
}

void WaveformView::setAnalysis(const AudioAnalysis& a) {
  peak_ = a.peak;
  rms_ = a.rms;
  bucketsPerSecond_ = AudioAnalysis::kBucketsPerSecond;
  durationSec_ = a.durationSec;
  visemes_ = a.visemes;
  visemeMessage_.clear();
  if (!a.visemeStatus) {
    visemeMessage_ = tr("Viseme track unavailable: %1").arg(fromUtf8(a.visemeStatus.message()));
  } else if (visemes_.empty()) {
    visemeMessage_ = tr("No visemes: the audio is silent.");
  }
  busyText_.clear();
  update();
}

void WaveformView::setVisemes(const avatar::VisemeTrack& visemes) {
  visemes_ = visemes;
  if (!visemes_.empty()) visemeMessage_.clear();
  update();
}

void WaveformView::setPlayhead(double seconds) {
  playheadSec_ = seconds;
  update();
}

void WaveformView::setBusyText(const QString& text) {
  busyText_ = text;
  update();
}

QRectF WaveformView::waveRect() const {
  return QRectF(kMargin, kMargin, width() - 2 * kMargin, height() - 2 * kMargin - kRuler - kLane);
}

QRectF WaveformView::laneRect() const {
  return QRectF(kMargin, height() - kMargin - kLane, width() - 2 * kMargin, kLane);
}

int WaveformView::xForTime(double seconds) const {
  if (durationSec_ <= 0) return int(kMargin);
  const QRectF r = waveRect();
  return int(std::lround(r.left() + seconds / durationSec_ * r.width()));
}

double WaveformView::timeForX(double x) const {
  const QRectF r = waveRect();
  if (r.width() <= 0) return 0;
  return std::clamp((x - r.left()) / r.width(), 0.0, 1.0) * durationSec_;
}

void WaveformView::mousePressEvent(QMouseEvent* event) {
  if (event->button() == Qt::LeftButton && durationSec_ > 0) {
    Q_EMIT seekRequested(timeForX(event->position().x()));
  }
}

void WaveformView::mouseMoveEvent(QMouseEvent* event) {
  if ((event->buttons() & Qt::LeftButton) && durationSec_ > 0) {
    Q_EMIT seekRequested(timeForX(event->position().x()));
  }
}

void WaveformView::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.setRenderHint(QPainter::Antialiasing);
  p.fillRect(rect(), palette().color(QPalette::Base));
  const QRectF wave = waveRect();
  QColor muted = palette().color(QPalette::WindowText);
  muted.setAlphaF(0.55f);
  if (durationSec_ <= 0 || peak_.isEmpty()) {
    p.setPen(muted);
    p.drawText(rect(), Qt::AlignCenter,
               busyText_.isEmpty()
                   ? tr("No speech yet: open a sound file, record, or type text to synthesise.")
                   : busyText_);
    return;
  }
  paintWave(p, wave);
  paintRuler(p, QRectF(wave.left(), wave.bottom(), wave.width(), kRuler));
  paintLane(p, laneRect());
  const double x = xForTime(playheadSec_);
  p.setPen(QPen(accentColor().lighter(130), 2));
  p.drawLine(QPointF(x, kMargin - 4), QPointF(x, height() - kMargin + 2));
  p.setPen(Qt::NoPen);
  p.setBrush(accentColor().lighter(130));
  QPainterPath head;
  head.moveTo(x - 6, kMargin - 6);
  head.lineTo(x + 6, kMargin - 6);
  head.lineTo(x, kMargin + 2);
  head.closeSubpath();
  p.drawPath(head);
}

void WaveformView::paintWave(QPainter& p, const QRectF& r) {
  const int columns = std::max(1, int(r.width()));
  const double mid = r.center().y();
  const double half = r.height() / 2 - 2;
  QColor peakColor = waveformColor();
  peakColor.setAlphaF(0.45f);
  const QColor rmsColor = waveformColor();
  const int n = peak_.size();
  for (int c = 0; c < columns; ++c) {
    const int b0 = int(double(c) / columns * n);
    const int b1 = std::max(b0 + 1, int(double(c + 1) / columns * n));
    float pk = 0, rm = 0;
    for (int b = b0; b < std::min(b1, n); ++b) {
      pk = std::max(pk, peak_[b]);
      rm = std::max(rm, rms_[b]);
    }
    const double x = r.left() + c + 0.5;
    const bool played = durationSec_ > 0 && (c / double(columns)) * durationSec_ <= playheadSec_;
    QColor pc = peakColor, rc = rmsColor;
    if (!played) {
      pc.setAlphaF(pc.alphaF() * 0.7f);
      rc.setAlphaF(0.7f);
    }
    p.setPen(QPen(pc, 1));
    p.drawLine(QPointF(x, mid - pk * half), QPointF(x, mid + pk * half));
    p.setPen(QPen(rc, 1));
    const double h = std::min(1.0, double(rm) * 2.2) * half;
    p.drawLine(QPointF(x, mid - h), QPointF(x, mid + h));
  }
}

void WaveformView::paintRuler(QPainter& p, const QRectF& r) {
  QColor muted = palette().color(QPalette::WindowText);
  muted.setAlphaF(0.5f);
  QFont f = font();
  f.setPointSizeF(f.pointSizeF() * 0.8);
  p.setFont(f);
  const double pxPerSec = r.width() / durationSec_;
  double step = 0.1;
  for (double s : {0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 300.0}) {
    step = s;
    if (s * pxPerSec >= 70) break;
  }
  for (double t = 0; t <= durationSec_ + 1e-9; t += step) {
    const double x = r.left() + t * pxPerSec;
    p.setPen(muted);
    p.drawLine(QPointF(x, r.top()), QPointF(x, r.top() + 4));
    const QString label =
        step < 1
            ? QString::number(t, 'f', step < 0.5 ? 2 : 1) + QLatin1Char('s')
            : QStringLiteral("%1:%2").arg(int(t) / 60).arg(int(t) % 60, 2, 10, QLatin1Char('0'));
    p.drawText(QPointF(x + 3, r.top() + 13), label);
  }
}

void WaveformView::paintLane(QPainter& p, const QRectF& r) {
  p.setPen(Qt::NoPen);
  p.setBrush(palette().color(QPalette::AlternateBase));
  p.drawRoundedRect(r, 4, 4);
  QFont f = font();
  f.setPointSizeF(f.pointSizeF() * 0.8);
  f.setBold(true);
  p.setFont(f);
  if (visemes_.empty()) {
    QColor muted = palette().color(QPalette::WindowText);
    muted.setAlphaF(0.6f);
    p.setPen(muted);
    p.setFont(font());
    p.drawText(r.adjusted(8, 0, -8, 0), Qt::AlignVCenter | Qt::AlignLeft,
               p.fontMetrics().elidedText(visemeMessage_, Qt::ElideRight, int(r.width() - 16)));
    return;
  }
  const double pxPerSec = r.width() / durationSec_;
  for (const auto& cue : visemes_) {
    const QRectF cell(r.left() + cue.startSec * pxPerSec, r.top() + 2,
                      std::max(1.0, (cue.endSec - cue.startSec) * pxPerSec - 1), r.height() - 4);
    QColor color = visemeColor(cue.shape);
    if (cue.shape == avatar::Viseme::X) color.setAlphaF(0.35f);
    p.setPen(Qt::NoPen);
    p.setBrush(color);
    p.drawRoundedRect(cell, 3, 3);
    if (cell.width() >= 12) {
      p.setPen(Qt::white);
      p.drawText(cell, Qt::AlignCenter, QString(QLatin1Char(avatar::visemeLetter(cue.shape))));
    }
  }
}

}  // namespace studio
