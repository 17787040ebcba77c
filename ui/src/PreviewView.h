// The picture in the middle of the studio: the photo with its face overlay
// ("original"), or the engine's rendered frame at the playhead ("preview").
// Draws only; it never calls the engine.
#pragma once

#include <QImage>
#include <QString>
#include <QWidget>
#include <vector>

#include "avatar/face.h"

namespace studio {

class PreviewView : public QWidget {
  Q_OBJECT

 public:
  enum class BannerKind { None, Info, Warning, Error };

  explicit PreviewView(QWidget* parent = nullptr);

  void setPhoto(const QImage& photo);
  void setFaces(const std::vector<avatar::FaceInfo>& faces, int chosen);
  int chosenFace() const { return chosen_; }
  // `source` says where the frame comes from when that is not the plain
  // preview ("Diff2Lip · 25 steps"); shown in the frame's chip.
  void setFrame(const QImage& frame, int index, int frameCount, const QString& source = {});
  const QString& frameSource() const { return frameSource_; }
  void clearFrame();
  // true: the photo as loaded (with the face overlay); false: the rendered frame.
  void setShowOriginal(bool original);
  void setOverlayVisible(bool visible);
  void setBanner(BannerKind kind, const QString& text);
  void setBusyText(const QString& text);  // empty: not busy

  bool showsOriginal() const { return showOriginal_ || frame_.isNull(); }
  bool overlayShown() const;  // the face overlay is drawn right now
  const QImage& frame() const { return frame_; }
  int frameIndex() const { return frameIndex_; }
  const QImage& photo() const { return photo_; }
  QString bannerText() const { return bannerText_; }
  BannerKind bannerKind() const { return bannerKind_; }

  QSize sizeHint() const override { return {640, 480}; }
  QSize minimumSizeHint() const override { return {240, 180}; }

 Q_SIGNALS:
  // After a paint that showed frame `index` for the first time.
  void framePainted(int index);
  // After a paint that showed the face overlay for the first time.
  void overlayPainted();

 protected:
  void paintEvent(QPaintEvent* event) override;

 private:
  QRectF imageRect(const QSize& image) const;
  void paintEmpty(QPainter& p);
  void paintOverlay(QPainter& p, const QRectF& target);
  void paintChip(QPainter& p, const QString& text, const QPointF& topLeft);
  void paintBanner(QPainter& p);

  QImage photo_;
  QImage frame_;
  int frameIndex_ = -1;
  QString frameSource_;
  int frameCount_ = 0;
  bool framePaintPending_ = false;
  bool overlayPaintPending_ = false;
  std::vector<avatar::FaceInfo> faces_;
  int chosen_ = -1;
  bool showOriginal_ = false;
  bool overlayVisible_ = true;
  BannerKind bannerKind_ = BannerKind::None;
  QString bannerText_;
  QString busyText_;
};

}  // namespace studio
