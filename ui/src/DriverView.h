// The driver video beside the preview: the driver frame the playhead maps to
// (driverFrameAt with the chosen loop mode), with the tracked face drawn over
// it (box and 68 landmarks, "No face" on frames without one). Also the drop
// target for driver videos, and where tracking progress and errors show.
// Draws only; the window feeds it frames from the DriverTracker.
#pragma once

#include <QImage>
#include <QString>
#include <QWidget>

#include "avatar/driver.h"

namespace studio {

class DriverView : public QWidget {
  Q_OBJECT

 public:
  explicit DriverView(QWidget* parent = nullptr);

  // `thumbnail` shows `tracked` (landmarks in the tracked frame's pixels,
  // `scale` maps them onto the thumbnail): driver frame `index` of `count`.
  void setFrame(const QImage& thumbnail, const avatar::DriverFrame& tracked, double scale,
                int index, int count);
  // No frame; `text` says why (tracking, an error, how to choose one).
  void setMessage(const QString& text, bool error = false);

  int shownFrame() const { return index_; }      // -1: no frame shown
  bool faceDrawn() const { return faceDrawn_; }  // the tracked face is drawn on it
  bool noFaceShown() const { return index_ >= 0 && !faceDrawn_; }
  int landmarksDrawn() const { return faceDrawn_ ? int(tracked_.landmarks68.size()) : 0; }
  const QImage& thumbnail() const { return thumbnail_; }
  QString message() const { return message_; }
  bool showsError() const { return error_; }

  QSize sizeHint() const override { return {260, 260}; }
  QSize minimumSizeHint() const override { return {160, 160}; }

 Q_SIGNALS:
  void fileDropped(const QString& path);

 protected:
  void paintEvent(QPaintEvent* event) override;
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;

 private:
  QImage thumbnail_;
  avatar::DriverFrame tracked_;
  double scale_ = 1;
  int index_ = -1;
  int count_ = 0;
  bool faceDrawn_ = false;
  QString message_;
  bool error_ = false;
};

}  // namespace studio
