#include "DriverTracker.h"

#include <QBuffer>
#include <QElapsedTimer>
#include <QPointer>
#include <algorithm>
#include <cmath>

#include "EngineTypes.h"

namespace studio {
namespace {

// Forwards tracking progress to the GUI thread, at most every 50 ms.
class TrackProgress : public avatar::ProgressSink {
 public:
  TrackProgress(DriverTracker* target, std::function<bool()> current)
      : target_(target), current_(std::move(current)) {
    timer_.start();
  }
  void onProgress(double overall, std::string_view, double) override {
    if (timer_.elapsed() < 50 && overall < 1.0) return;
    timer_.restart();
    QPointer<DriverTracker> target = target_;
    auto current = current_;
    QMetaObject::invokeMethod(
        target_,
        [target, current, overall] {
          if (target && current()) Q_EMIT target->progress(overall);
        },
        Qt::QueuedConnection);
  }

 private:
  DriverTracker* target_;
  std::function<bool()> current_;
  QElapsedTimer timer_;
};

}  // namespace

struct DriverTracker::Job {
  quint64 generation = 0;
  std::string path;
  double fps = 25;
  std::shared_ptr<avatar::StopToken> stop;
  // Results (filled on the worker thread).
  avatar::Status status;
  std::shared_ptr<avatar::DriverTrack> track;
  QVector<QByteArray> thumbnails;
  double scale = 1;
  int stride = 1;
  qint64 bytes = 0, budget = 0;

  // Keeps frame `frame`'s thumbnail unless the stride skips it; halves what
  // is kept while over the budget.
  void keep(int frame, const QImage& rgb) {
    if (frame < 0 || frame % stride != 0) return;
    QByteArray jpeg;
    QBuffer buffer(&jpeg);
    buffer.open(QIODevice::WriteOnly);
    rgb.save(&buffer, "JPEG", 85);
    if (thumbnails.size() <= frame) thumbnails.resize(frame + 1);
    bytes += jpeg.size();
    thumbnails[frame] = std::move(jpeg);
    while (bytes > budget && stride < (1 << 20)) {
      stride *= 2;
      bytes = 0;
      for (qsizetype i = 0; i < thumbnails.size(); ++i) {
        if (i % stride != 0) {
          thumbnails[i].clear();
          thumbnails[i].squeeze();
        }
        bytes += thumbnails[i].size();
      }
    }
  }
};

DriverTracker::DriverTracker(std::shared_ptr<const avatar::Engine> engine, QObject* parent)
    : QObject(parent), engine_(std::move(engine)) {
  thread_.setObjectName(QStringLiteral("driver-tracker"));
  worker_ = new QObject;
  worker_->moveToThread(&thread_);
  connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);
  thread_.start();
}

DriverTracker::~DriverTracker() {
  if (stop_) stop_->requestStop();
  thread_.quit();
  thread_.wait();
}

void DriverTracker::clear() {
  if (stop_) stop_->requestStop();
  stop_.reset();
  ++generation_;
  tracking_ = false;
  path_.clear();
  track_.reset();
  thumbnails_.clear();
  scale_ = 1;
  stride_ = 1;
}

QImage DriverTracker::thumbnail(int frame) const {
  if (frame < 0 || frame >= thumbnails_.size()) return {};
  frame -= frame % stride_;
  return thumbnails_[frame].isEmpty() ? QImage() : QImage::fromData(thumbnails_[frame], "JPEG");
}

void DriverTracker::track(const QString& path, double fps) {
  clear();
  path_ = path;
  tracking_ = true;
  auto job = std::make_shared<Job>();
  job->generation = generation_;
  job->path = toEnginePath(path);
  job->fps = fps;
  job->budget = budget_;
  job->stop = stop_ = std::make_shared<avatar::StopToken>();
  Q_EMIT started(path);
  if (!engine_) {
    tracking_ = false;
    Q_EMIT finished(avatar::Status::error(avatar::ErrorCode::Internal, path_.toStdString(),
                                          "the engine is not loaded"));
    return;
  }
  QPointer<DriverTracker> self = this;
  auto engine = engine_;
  const quint64 generation = generation_;
  auto current = [self, generation] { return self && self->generation_ == generation; };
  QMetaObject::invokeMethod(
      worker_,
      [self, engine, job, current] {
        TrackProgress progress(self.data(), current);
        avatar::DriverTrackOptions options;
        options.fps = job->fps;
        options.onFrame = [job](int frame, const avatar::Image& rgb, const avatar::DriverFrame&) {
          if (rgb.width <= 0 || rgb.height <= 0 || frame < 0 || frame % job->stride != 0) return;
          job->scale = std::min(1.0, double(kThumbnailSide) / std::max(rgb.width, rgb.height));
          QImage full = toQImage(rgb);
          QImage small = job->scale < 1.0
                             ? full.scaled(int(std::lround(rgb.width * job->scale)),
                                           int(std::lround(rgb.height * job->scale)),
                                           Qt::IgnoreAspectRatio, Qt::SmoothTransformation)
                             : full;
          job->keep(frame, small);
        };
        job->track = std::make_shared<avatar::DriverTrack>();
        job->status = avatar::trackDriverVideo(*engine, job->path, options, job->track.get(),
                                               &progress, job->stop.get());
        QMetaObject::invokeMethod(
            self.data(),
            [self, job] {
              if (!self || job->generation != self->generation_) return;  // cancelled or replaced
              self->tracking_ = false;
              if (job->status) {
                self->track_ = job->track;
                self->thumbnails_ = std::move(job->thumbnails);
                self->thumbnails_.resize(qsizetype(job->track->frames.size()));
                self->scale_ = job->scale;
                self->stride_ = job->stride;
              }
              Q_EMIT self->finished(job->status);
            },
            Qt::QueuedConnection);
      },
      Qt::QueuedConnection);
}

}  // namespace studio
