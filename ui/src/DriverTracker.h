// The studio's driver video: avatar::trackDriverVideo on a worker thread,
// keeping a small thumbnail of every tracked frame so the driver view can
// play the driver beside the preview with the tracked face drawn over it.
// One track at a time: a new track() or clear() cancels the running one and
// its results are dropped. Signals are emitted on the GUI thread.
#pragma once

#include <QByteArray>
#include <QImage>
#include <QObject>
#include <QString>
#include <QThread>
#include <QVector>
#include <memory>

#include "avatar/driver.h"
#include "avatar/engine.h"
#include "avatar/status.h"

namespace studio {

class DriverTracker : public QObject {
  Q_OBJECT

 public:
  static constexpr int kThumbnailSide = 240;  // longer side of the kept frames
  // Thumbnails beyond this many bytes keep every 2nd frame, then every 4th, ...
  static constexpr qint64 kThumbnailBudget = 128 << 20;

  explicit DriverTracker(std::shared_ptr<const avatar::Engine> engine, QObject* parent = nullptr);
  ~DriverTracker() override;

  // Tracks `path` at `fps` (the output's frame rate), replacing any driver.
  void track(const QString& path, double fps);
  // For tests: a smaller thumbnail budget (bytes) for the next track().
  void setThumbnailBudget(qint64 bytes) { budget_ = bytes; }
  // Cancels any tracking and forgets the driver.
  void clear();

  bool isTracking() const { return tracking_; }
  // The path being tracked or tracked (empty after clear()).
  QString path() const { return path_; }
  // The finished track (null while tracking, after a failure or clear()).
  const avatar::DriverTrack* result() const { return track_.get(); }
  // Frame i's thumbnail (null when out of range); landmarks are in
  // result()'s frame pixels, which map onto it by thumbnailScale(). Kept as
  // JPEG in memory (a few kB a frame), decoded when shown. A driver too long
  // for the budget keeps every thumbnailStride()-th frame; the others show
  // the kept frame before them.
  QImage thumbnail(int frame) const;
  double thumbnailScale() const { return scale_; }
  int thumbnailStride() const { return stride_; }

 Q_SIGNALS:
  void started(const QString& path);
  void progress(double fraction);
  // After a track that was not cancelled: ok, or the engine's reason.
  void finished(const avatar::Status& status);

 private:
  struct Job;

  std::shared_ptr<const avatar::Engine> engine_;
  QThread thread_;
  QObject* worker_ = nullptr;
  std::shared_ptr<avatar::StopToken> stop_;
  quint64 generation_ = 0;
  bool tracking_ = false;
  QString path_;
  std::shared_ptr<const avatar::DriverTrack> track_;
  QVector<QByteArray> thumbnails_;
  double scale_ = 1;
  int stride_ = 1;
  qint64 budget_ = kThumbnailBudget;
};

}  // namespace studio
