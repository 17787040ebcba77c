#include "PreviewView.h"

#include <QPainter>
#include <QPainterPath>

#include "Icons.h"
#include "Theme.h"

namespace studio {
namespace {

// iBUG 68-point contours: [first, last, closed].
struct Contour {
  int first, last;
  bool closed;
};
constexpr Contour kContours[] = {{0, 16, false},  {17, 21, false}, {22, 26, false},
                                 {27, 30, false}, {31, 35, false}, {36, 41, true},
                                 {42, 47, true},  {48, 59, true},  {60, 67, true}};

}  // namespace

PreviewView::PreviewView(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("previewView"));
  setAttribute(Qt::WA_OpaquePaintEvent);
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void PreviewView::setPhoto(const QImage& photo) {
  photo_ = photo;
  faces_.clear();
  chosen_ = -1;
  update();
}

void PreviewView::setFaces(const std::vector<avatar::FaceInfo>& faces, int chosen) {
  faces_ = faces;
  chosen_ = chosen;
  overlayPaintPending_ = !faces_.empty();
  update();
}

void PreviewView::setFrame(const QImage& frame, int index, int frameCount, const QString& source) {
  frame_ = frame;
  frameSource_ = source;
  frameIndex_ = index;
  frameCount_ = frameCount;
  framePaintPending_ = true;
  update();
}

void PreviewView::clearFrame() {
  frame_ = QImage();
  frameIndex_ = -1;
  update();
}

void PreviewView::setShowOriginal(bool original) {
  showOriginal_ = original;
  if (original && !faces_.empty()) overlayPaintPending_ = true;
  update();
}

void PreviewView::setOverlayVisible(bool visible) {
  overlayVisible_ = visible;
  update();
}

void PreviewView::setBanner(BannerKind kind, const QString& text) {
  bannerKind_ = text.isEmpty() ? BannerKind::None : kind;
  bannerText_ = text;
  update();
}

void PreviewView::setBusyText(const QString& text) {
  busyText_ = text;
  update();
}

bool PreviewView::overlayShown() const {
  return overlayVisible_ && showsOriginal() && !photo_.isNull() && !faces_.empty();
}

QRectF PreviewView::imageRect(const QSize& image) const {
  const QRectF area = QRectF(rect()).adjusted(16, 16, -16, -16);
  if (image.isEmpty() || area.isEmpty()) return {};
  const double scale = std::min(area.width() / image.width(), area.height() / image.height());
  const QSizeF size(image.width() * scale, image.height() * scale);
  return QRectF(area.center() - QPointF(size.width() / 2, size.height() / 2), size);
}

void PreviewView::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.setRenderHint(QPainter::Antialiasing);
  p.setRenderHint(QPainter::SmoothPixmapTransform);
  const QColor back = palette().color(QPalette::Base).darker(isDarkTheme() ? 115 : 103);
  p.fillRect(rect(), back);

  const bool original = showsOriginal();
  const QImage& image = original ? photo_ : frame_;
  if (image.isNull()) {
    paintEmpty(p);
  } else {
    const QRectF target = imageRect(image.size());
    p.save();
    p.setPen(Qt::NoPen);
    p.setBrush(QColor(0, 0, 0, 60));
    p.drawRoundedRect(target.translated(0, 3).adjusted(-2, -2, 2, 2), 6, 6);
    p.restore();
    p.drawImage(target, image);
    if (original && overlayShown()) paintOverlay(p, target);
    QString chip = original ? tr("Original photo · %1 × %2").arg(image.width()).arg(image.height())
                            : tr("Preview · frame %1 of %2 · %3 × %4")
                                  .arg(frameIndex_ + 1)
                                  .arg(frameCount_)
                                  .arg(image.width())
                                  .arg(image.height());
    if (!original && !frameSource_.isEmpty()) chip += QStringLiteral(" · ") + frameSource_;
    paintChip(p, chip, target.topLeft() + QPointF(10, 10));
  }
  if (!busyText_.isEmpty()) paintChip(p, busyText_, QPointF(width() - 24, 24));
  paintBanner(p);

  p.end();
  if (!original && framePaintPending_ && !frame_.isNull()) {
    framePaintPending_ = false;
    Q_EMIT framePainted(frameIndex_);
  }
  if (overlayShown() && overlayPaintPending_) {
    overlayPaintPending_ = false;
    Q_EMIT overlayPainted();
  }
}

void PreviewView::paintEmpty(QPainter& p) {
  const QColor text = palette().color(QPalette::WindowText);
  QColor muted = text;
  muted.setAlphaF(0.55f);
  const QRectF card = QRectF(rect()).adjusted(40, 40, -40, -40);
  QPen dash(muted, 1.5, Qt::DashLine);
  p.setPen(dash);
  p.setBrush(Qt::NoBrush);
  p.drawRoundedRect(card, 18, 18);
  const int iconSize = 72;
  const QPointF c = card.center();
  appIcon().paint(&p, QRect(int(c.x()) - iconSize / 2, int(c.y()) - 90, iconSize, iconSize));
  QFont title = font();
  title.setPointSizeF(title.pointSizeF() * 1.5);
  title.setBold(true);
  p.setFont(title);
  p.setPen(text);
  p.drawText(QRectF(card.left(), c.y() - 6, card.width(), 36), Qt::AlignHCenter | Qt::AlignTop,
             tr("Open a photo of a face"));
  p.setFont(font());
  p.setPen(muted);
  p.drawText(QRectF(card.left() + 20, c.y() + 34, card.width() - 40, 60),
             Qt::AlignHCenter | Qt::AlignTop | Qt::TextWordWrap,
             tr("Drop a photo and a speech file here, or use File > Open Photo (Ctrl+O) "
                "and choose speech on the left."));
}

void PreviewView::paintOverlay(QPainter& p, const QRectF& target) {
  const double sx = target.width() / photo_.width();
  const double sy = target.height() / photo_.height();
  auto map = [&](const avatar::PointF& pt) {
    return QPointF(target.left() + pt.x * sx, target.top() + pt.y * sy);
  };
  for (int i = 0; i < int(faces_.size()); ++i) {
    const auto& face = faces_[size_t(i)];
    const bool chosen = i == chosen_;
    QColor color = chosen ? overlayColor() : QColor(0xf5, 0xc2, 0x42);
    const QRectF box(target.left() + face.box.x * sx, target.top() + face.box.y * sy,
                     face.box.width * sx, face.box.height * sy);
    p.setBrush(Qt::NoBrush);
    p.setPen(QPen(color, chosen ? 2.2 : 1.4));
    p.drawRoundedRect(box, 6, 6);
    if (face.landmarks68.size() == 68) {
      QColor line = color;
      line.setAlphaF(0.75f);
      p.setPen(QPen(line, 1.2));
      for (const Contour& c : kContours) {
        QPainterPath path(map(face.landmarks68[size_t(c.first)]));
        for (int k = c.first + 1; k <= c.last; ++k) path.lineTo(map(face.landmarks68[size_t(k)]));
        if (c.closed) path.closeSubpath();
        p.drawPath(path);
      }
      p.setPen(Qt::NoPen);
      p.setBrush(color);
      for (const auto& pt : face.landmarks68) p.drawEllipse(map(pt), 1.8, 1.8);
    }
    const QString label =
        faces_.size() > 1 ? tr("Face %1 · %2%").arg(i + 1).arg(int(std::lround(face.score * 100)))
                          : tr("Face · %1%").arg(int(std::lround(face.score * 100)));
    paintChip(p, label, box.bottomLeft() + QPointF(0, 6));
  }
}

void PreviewView::paintChip(QPainter& p, const QString& text, const QPointF& anchor) {
  QFont f = font();
  f.setPointSizeF(f.pointSizeF() * 0.9);
  p.setFont(f);
  const QFontMetricsF fm(f);
  const QSizeF size(fm.horizontalAdvance(text) + 16, fm.height() + 8);
  QPointF topLeft = anchor;
  if (topLeft.x() + size.width() > width() - 8) topLeft.setX(anchor.x() - size.width());
  const QRectF r(topLeft, size);
  p.setPen(Qt::NoPen);
  p.setBrush(QColor(0, 0, 0, 150));
  p.drawRoundedRect(r, size.height() / 2, size.height() / 2);
  p.setPen(Qt::white);
  p.drawText(r, Qt::AlignCenter, text);
}

void PreviewView::paintBanner(QPainter& p) {
  if (bannerKind_ == BannerKind::None || bannerText_.isEmpty()) return;
  QColor color;
  QString icon;
  switch (bannerKind_) {
    case BannerKind::Error:
      color = QColor(0xc9, 0x3c, 0x3c);
      icon = QStringLiteral("error");
      break;
    case BannerKind::Warning:
      color = QColor(0xb7, 0x79, 0x1f);
      icon = QStringLiteral("warning");
      break;
    default:
      color = QColor(0x3a, 0x5b, 0xc7);
      icon = QStringLiteral("info");
      break;
  }
  p.setFont(font());
  const QFontMetrics fm(font());
  const int w = std::min(width() - 48, 720);
  const QRect textBounds = fm.boundingRect(QRect(0, 0, w - 56, 400), Qt::TextWordWrap, bannerText_);
  const QRectF r((width() - w) / 2.0, height() - textBounds.height() - 44, w,
                 textBounds.height() + 24);
  color.setAlpha(235);
  p.setPen(Qt::NoPen);
  p.setBrush(color);
  p.drawRoundedRect(r, 10, 10);
  QPixmap pm = themedIcon(icon).pixmap(QSize(20, 20), devicePixelRatioF());
  QPainter tint(&pm);
  tint.setCompositionMode(QPainter::CompositionMode_SourceIn);
  tint.fillRect(pm.rect(), Qt::white);
  tint.end();
  p.drawPixmap(QPointF(r.left() + 14, r.top() + 12), pm);
  p.setPen(Qt::white);
  p.drawText(r.adjusted(44, 12, -12, -12), Qt::TextWordWrap | Qt::AlignVCenter, bannerText_);
}

}  // namespace studio
