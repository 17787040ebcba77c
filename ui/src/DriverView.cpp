#include "DriverView.h"

#include <QDragEnterEvent>
#include <QDropEvent>
#include <QMimeData>
#include <QPainter>

#include "FileDrops.h"
#include "Theme.h"

namespace studio {

DriverView::DriverView(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("driverView"));
  setAcceptDrops(true);
  setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Expanding);
  setToolTip(tr("Driver video: drop a video of a face here; its head motion drives the photo"));
  setMessage(tr("No driver video.\nDrop a video of a face here to drive the head."));
}

void DriverView::setFrame(const QImage& thumbnail, const avatar::DriverFrame& tracked, double scale,
                          int index, int count) {
  thumbnail_ = thumbnail;
  tracked_ = tracked;
  scale_ = scale;
  index_ = index;
  count_ = count;
  faceDrawn_ = tracked.face && !tracked.landmarks68.empty();
  message_.clear();
  error_ = false;
  update();
}

void DriverView::setMessage(const QString& text, bool error) {
  thumbnail_ = QImage();
  tracked_ = {};
  index_ = -1;
  count_ = 0;
  faceDrawn_ = false;
  message_ = text;
  error_ = error;
  update();
}

void DriverView::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.setRenderHint(QPainter::Antialiasing);
  p.fillRect(rect(), palette().color(QPalette::Base).darker(isDarkTheme() ? 90 : 104));
  if (thumbnail_.isNull()) {
    p.setPen(error_ ? QColor(0xc9, 0x3c, 0x3c) : palette().color(QPalette::PlaceholderText));
    p.drawText(rect().adjusted(12, 12, -12, -12), Qt::AlignCenter | Qt::TextWordWrap, message_);
    return;
  }
  const QSizeF size =
      QSizeF(thumbnail_.size()).scaled(QSizeF(this->size()) - QSizeF(16, 16), Qt::KeepAspectRatio);
  const QRectF target(QPointF((width() - size.width()) / 2, (height() - size.height()) / 2), size);
  p.drawImage(target, thumbnail_);
  // Tracked-frame pixels -> widget.
  const double k = scale_ * target.width() / std::max(1, thumbnail_.width());
  auto map = [&](avatar::PointF q) {
    return QPointF(target.left() + q.x * k, target.top() + q.y * k);
  };
  if (faceDrawn_) {
    const QColor c = overlayColor();
    p.setPen(QPen(c, 1.5));
    p.setBrush(Qt::NoBrush);
    const avatar::RectF& b = tracked_.box;
    p.drawRect(QRectF(map({b.x, b.y}), map({b.x + b.width, b.y + b.height})));
    p.setPen(Qt::NoPen);
    p.setBrush(c);
    for (const avatar::PointF& q : tracked_.landmarks68) p.drawEllipse(map(q), 1.6, 1.6);
  }
  QFont f = font();
  f.setPointSizeF(f.pointSizeF() * 0.85);
  p.setFont(f);
  const QFontMetricsF fm(f);
  auto chip = [&](const QString& text, const QPointF& at, const QColor& bg) {
    const QRectF r(at, QSizeF(fm.horizontalAdvance(text) + 12, fm.height() + 6));
    p.setPen(Qt::NoPen);
    p.setBrush(bg);
    p.drawRoundedRect(r, r.height() / 2, r.height() / 2);
    p.setPen(Qt::white);
    p.drawText(r, Qt::AlignCenter, text);
  };
  chip(tr("driver %1 / %2").arg(index_ + 1).arg(count_), target.topLeft() + QPointF(6, 6),
       QColor(0, 0, 0, 150));
  if (!faceDrawn_) {
    chip(tr("No face"), target.bottomLeft() + QPointF(6, -fm.height() - 12),
         QColor(0xc9, 0x3c, 0x3c, 220));
  }
}

void DriverView::dragEnterEvent(QDragEnterEvent* event) {
  acceptLocalFileDrag(event);
}

void DriverView::dropEvent(QDropEvent* event) {
  for (const QUrl& url : event->mimeData()->urls()) {
    if (!url.isLocalFile()) continue;
    Q_EMIT fileDropped(url.toLocalFile());
    event->acceptProposedAction();
    return;  // one driver
  }
}

}  // namespace studio
