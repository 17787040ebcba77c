// trackDriverVideo (avatar/driver.h): follows one face through a driver video.
//
// Per frame: the landmark net runs in the box predicted from the previous
// frame's landmarks (one 112 px pass), and the points are checked as
// analyseFace checks a photo's (a sanity check, and that they stay on the
// features when the box moves). When the check fails the detectors look
// for the face again (every 5th frame while none is found, so a long
// faceless stretch stays cheap); frames without a face hold the pose.
#include <algorithm>
#include <cmath>

#include <filesystem>
#include <mutex>

#include "avatar/driver.h"
#include "avatar/face.h"
#include "core/engine_impl.h"
#include "driver/driver_signals.h"
#include "face/face_landmarks.h"
#include "media/video_reader.h"

namespace avatar {
namespace {

constexpr float kMaxLandmarkFollow = 0.35f;  // as analyseFace
constexpr int kRedetectEvery = 5;            // frames, while no face is found
constexpr float kMinFacePx = 24;

RectF landmarkBounds(const std::vector<PointF>& p) {
  float x0 = 1e30f, y0 = 1e30f, x1 = -1e30f, y1 = -1e30f;
  for (const PointF& q : p) {
    x0 = std::min(x0, q.x), y0 = std::min(y0, q.y);
    x1 = std::max(x1, q.x), y1 = std::max(y1, q.y);
  }
  return {x0, y0, x1 - x0, y1 - y0};
}

// The detector's box relative to the landmarks' bounds, so that boxes
// predicted from landmarks look like the detector's (what the net expects).
struct BoxModel {
  float dx = 0, dy = 0, sx = 1, sy = 1;  // centre offset and size, in bounds units
  static BoxModel fit(const RectF& box, const RectF& b) {
    BoxModel m;
    if (b.width <= 0 || b.height <= 0) return m;
    m.dx = (box.x + box.width / 2 - (b.x + b.width / 2)) / b.width;
    m.dy = (box.y + box.height / 2 - (b.y + b.height / 2)) / b.height;
    m.sx = box.width / b.width;
    m.sy = box.height / b.height;
    return m;
  }
  RectF apply(const RectF& b) const {
    const float w = sx * b.width, h = sy * b.height;
    const float cx = b.x + b.width / 2 + dx * b.width, cy = b.y + b.height / 2 + dy * b.height;
    return {cx - w / 2, cy - h / 2, w, h};
  }
};

float centreDistance(const RectF& a, const RectF& b) {
  return std::hypot(a.x + a.width / 2 - b.x - b.width / 2, a.y + a.height / 2 - b.y - b.height / 2);
}

class Tracker {
 public:
  explicit Tracker(const Engine& engine) : engine_(engine) {}

  // Tracks one frame; *found is false when it shows no face.
  Status track(const Image& frame, DriverFrame* out, bool* found) {
    *found = false;
    if (tracking_) {
      const RectF box = model_.apply(bounds_);
      std::vector<PointF> pts;
      bool ok = false;
      if (Status s = check(frame, box, &pts, &ok); !s) return s;
      if (ok) return accept(box, std::move(pts), out, found);
      tracking_ = false;
      sinceSearch_ = kRedetectEvery;  // search on this frame
    }
    if (++sinceSearch_ < kRedetectEvery) return Status::ok();
    sinceSearch_ = 0;
    std::vector<FaceInfo> faces;
    if (Status s = detectFaces(engine_, frame, &faces); !s) return s;
    faces.erase(std::remove_if(faces.begin(), faces.end(),
                               [](const FaceInfo& f) {
                                 return f.landmarks68.size() != 68 ||
                                        std::min(f.box.width, f.box.height) < kMinFacePx;
                               }),
                faces.end());
    mostFaces_ = std::max(mostFaces_, int(faces.size()));
    if (faces.empty()) return Status::ok();
    // The face followed so far (nearest to where it was), else the largest.
    size_t pick = 0;
    for (size_t i = 1; i < faces.size(); ++i) {
      const bool better = haveLast_ ? centreDistance(faces[i].box, lastBox_) <
                                          centreDistance(faces[pick].box, lastBox_)
                                    : faces[i].box.width * faces[i].box.height >
                                          faces[pick].box.width * faces[pick].box.height;
      if (better) pick = i;
    }
    const FaceInfo& f = faces[pick];
    bool ok = false;
    std::vector<PointF> pts = f.landmarks68;
    if (Status s = checkPoints(frame, f.box, pts, &ok); !s) return s;
    if (!ok) return Status::ok();
    model_ = BoxModel::fit(f.box, landmarkBounds(pts));
    return accept(f.box, std::move(pts), out, found);
  }

  int mostFaces() const { return mostFaces_; }

 private:
  Status check(const Image& frame, const RectF& box, std::vector<PointF>* pts, bool* ok) {
    *ok = false;
    if (box.width < kMinFacePx || box.x + box.width < 0 || box.y + box.height < 0 ||
        box.x > frame.width || box.y > frame.height) {
      return Status::ok();
    }
    if (Status s = detail::landmarksInBox(engine_, frame.rgb.data(), frame.width, frame.height, 0,
                                          box, pts);
        !s) {
      return s;
    }
    return checkPoints(frame, box, *pts, ok);
  }

  Status checkPoints(const Image& frame, const RectF& box, const std::vector<PointF>& pts,
                     bool* ok) {
    *ok = false;
    if (pts.size() != 68 || !detail::landmarkSanityProblem(pts, box).empty()) return Status::ok();
    float follow = 0;
    if (Status s = detail::landmarkBoxFollow(engine_, frame.rgb.data(), frame.width, frame.height,
                                             box, pts, &follow);
        !s) {
      return s;
    }
    *ok = follow <= kMaxLandmarkFollow;
    return Status::ok();
  }

  Status accept(const RectF& box, std::vector<PointF> pts, DriverFrame* out, bool* found) {
    bounds_ = landmarkBounds(pts);
    tracking_ = true;
    haveLast_ = true;
    lastBox_ = box;
    out->face = true;
    out->box = box;
    out->measures = measureFace(pts);
    out->landmarks68 = std::move(pts);
    *found = true;
    return Status::ok();
  }

  const Engine& engine_;
  bool tracking_ = false, haveLast_ = false;
  RectF bounds_, lastBox_;
  BoxModel model_;
  int sinceSearch_ = kRedetectEvery - 1;  // search on the first frame
  int mostFaces_ = 0;
};

std::string plural(int n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

// The file's version and the tracking options, or empty when the file
// cannot be stat'ed (then nothing is cached).
std::string cacheKey(const std::string& path, const DriverTrackOptions& o) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return "";
  const auto mtime = std::filesystem::last_write_time(path, ec);
  if (ec) return "";
  return path + "|" + std::to_string(size) + "|" +
         std::to_string(mtime.time_since_epoch().count()) + "|" + std::to_string(o.fps) + "|" +
         std::to_string(o.maxSide);
}

// Counts, the first face and the notes of a track (also of a cached track
// cut to fewer frames); NoFaceDetected naming the file when no frame has a
// face, UnsupportedMedia when there are no frames.
Status finishTrack(DriverTrack* t) {
  const int n = int(t->frames.size());
  if (n == 0) return Status::error(ErrorCode::UnsupportedMedia, t->path, "the video has no frames");
  t->firstFaceFrame = -1;
  t->facelessFrames = 0;
  for (int i = 0; i < n; ++i) {
    if (!t->frames[size_t(i)].face) {
      ++t->facelessFrames;
    } else if (t->firstFaceFrame < 0) {
      t->firstFaceFrame = i;
    }
  }
  if (t->firstFaceFrame < 0) {
    t->firstFaceFrame = 0;
    return Status::error(
        ErrorCode::NoFaceDetected, t->path,
        std::string(t->complete ? "no face found in any of its " : "no face found in the first ") +
            plural(n, "frame", "frames") + " (a driver video must show a face)");
  }
  t->notes.clear();
  t->notes.push_back("driver: " + plural(n, "frame", "frames") + " tracked at " +
                     std::to_string(int(std::lround(t->fps))) + " fps" +
                     (t->complete ? "" : " (the speech's length; the rest is not used)"));
  if (t->facelessFrames > 0) {
    t->notes.push_back("driver: " + plural(t->facelessFrames, "frame", "frames") +
                       " without a face held the last pose");
  }
  if (t->mostFaces > 1) {
    t->notes.push_back("driver: the video shows up to " + std::to_string(t->mostFaces) +
                       " faces; following the largest one found first");
  }
  return Status::ok();
}

Status trackUncached(const Engine& engine, const std::string& path,
                     const DriverTrackOptions& options, DriverTrack* out, ProgressSink* progress,
                     const StopToken* stop) {
  detail::VideoReader reader;
  detail::VideoReadOptions ro;
  ro.fps = options.fps;
  ro.maxSide = options.maxSide;
  if (Status s = reader.open(path, ro); !s) return s;
  DriverTrack t;
  t.path = path;
  t.fps = options.fps;
  t.width = reader.width();
  t.height = reader.height();
  t.sourceWidth = reader.info().width;
  t.sourceHeight = reader.info().height;
  t.rotation = reader.info().rotation;
  const double expected = std::max(1.0, reader.info().durationSec * options.fps);
  Tracker tracker(engine);
  std::vector<float> iris;  // both eyes' opening per frame
  Image frame;
  cv::Mat rgb;
  for (;;) {
    if (stop && stop->stopRequested()) {
      return Status::error(ErrorCode::Cancelled, "driver video", "cancelled");
    }
    bool got = false;
    if (Status s = reader.read(&rgb, &got); !s) return s;
    if (!got) break;
    if (options.maxFrames > 0 && int(t.frames.size()) >= options.maxFrames) {
      t.complete = false;  // the speech is shorter: the rest is never shown
      break;
    }
    frame.width = rgb.cols;
    frame.height = rgb.rows;
    frame.rgb.assign(rgb.data, rgb.data + rgb.total() * 3);
    DriverFrame f;
    bool found = false;
    if (Status s = tracker.track(frame, &f, &found); !s) {
      return s.addContext("while tracking the face in " + path);
    }
    iris.push_back(found ? 0.5f * (detail::irisOpening(rgb, f.landmarks68, 36) +
                                   detail::irisOpening(rgb, f.landmarks68, 42))
                         : (iris.empty() ? 0.0f : iris.back()));
    t.frames.push_back(std::move(f));
    if (options.onFrame) options.onFrame(int(t.frames.size()) - 1, frame, t.frames.back());
    if (progress) {
      progress->onProgress(std::min(0.99, double(t.frames.size()) / expected), "track",
                           std::min(0.99, double(t.frames.size()) / expected));
    }
  }
  t.mostFaces = tracker.mostFaces();
  if (Status s = finishTrack(&t); !s) return s;
  // Frames without a face hold the last pose (the first, before any).
  const FaceMeasures* last = &t.frames[size_t(t.firstFaceFrame)].measures;
  for (DriverFrame& f : t.frames) {
    if (f.face) {
      last = &f.measures;
    } else {
      f.measures = *last;
    }
  }
  detail::smoothMeasures(t.frames, options.fps);
  detail::blinksFromIris(iris, t.frames, options.fps);
  if (progress) progress->onProgress(1.0, "track", 1.0);
  *out = std::move(t);
  return Status::ok();
}

}  // namespace

Status trackDriverVideo(const Engine& engine, const std::string& path,
                        const DriverTrackOptions& options, DriverTrack* out, ProgressSink* progress,
                        const StopToken* stop) {
  *out = DriverTrack{};
  auto& cache = engine.impl().driverTracks;
  const std::string key = cacheKey(path, options);
  if (!key.empty() && !options.onFrame) {  // a caller that wants the frames decodes them
    std::lock_guard<std::mutex> lock(cache.mutex);
    for (const auto& [k, track] : cache.recent) {
      const bool enough = track->complete ||
                          (options.maxFrames > 0 && int(track->frames.size()) >= options.maxFrames);
      if (k != key || !enough) continue;
      DriverTrack t = *track;
      if (options.maxFrames > 0 && int(t.frames.size()) > options.maxFrames) {
        t.frames.resize(size_t(options.maxFrames));
        t.complete = false;
        if (Status s = finishTrack(&t); !s) return s;
      }
      *out = std::move(t);
      if (progress) progress->onProgress(1.0, "track", 1.0);
      return Status::ok();
    }
  }
  DriverTrack t;
  if (Status s = trackUncached(engine, path, options, &t, progress, stop); !s) return s;
  if (!key.empty()) {
    std::lock_guard<std::mutex> lock(cache.mutex);
    auto& recent = cache.recent;
    recent.erase(
        std::remove_if(recent.begin(), recent.end(), [&](const auto& e) { return e.first == key; }),
        recent.end());
    recent.emplace_back(key, std::make_shared<const DriverTrack>(t));
    if (recent.size() > 4) recent.erase(recent.begin());
  }
  *out = std::move(t);
  return Status::ok();
}

int driverFrameAt(int outputFrame, int driverFrames, DriverLoop loop) {
  if (driverFrames <= 1 || outputFrame <= 0) return 0;
  if (outputFrame < driverFrames) return outputFrame;
  switch (loop) {
    case DriverLoop::Loop:
      return outputFrame % driverFrames;
    case DriverLoop::Hold:
      return driverFrames - 1;
    case DriverLoop::PingPong:
    default: {
      const int period = 2 * (driverFrames - 1);
      const int k = outputFrame % period;
      return k < driverFrames ? k : period - k;
    }
  }
}

int bestDriverFrame(const DriverTrack& track, const std::vector<PointF>& photo) {
  if (photo.size() != 68) return track.firstFaceFrame;
  // Normalised shape: centred, unit RMS radius, eye line horizontal.
  auto normalise = [](const std::vector<PointF>& p) {
    PointF c;
    for (const PointF& q : p) c.x += q.x, c.y += q.y;
    c.x /= float(p.size());
    c.y /= float(p.size());
    double r2 = 0;
    for (const PointF& q : p)
      r2 += double(q.x - c.x) * (q.x - c.x) + double(q.y - c.y) * (q.y - c.y);
    const float scale = float(1 / std::sqrt(std::max(r2 / double(p.size()), 1e-12)));
    const FaceMeasures m = measureFace(p);
    const float a = -m.rollDeg / 57.2957795f, cs = std::cos(a), sn = std::sin(a);
    std::vector<PointF> out;
    out.reserve(p.size());
    for (const PointF& q : p) {
      const float x = (q.x - c.x) * scale, y = (q.y - c.y) * scale;
      out.push_back({cs * x - sn * y, sn * x + cs * y});
    }
    return out;
  };
  const std::vector<PointF> target = normalise(photo);
  int best = track.firstFaceFrame;
  double bestErr = 1e300;
  for (size_t i = 0; i < track.frames.size(); ++i) {
    const DriverFrame& f = track.frames[i];
    if (!f.face) continue;
    const std::vector<PointF> q = normalise(f.landmarks68);
    double err = 0;
    for (size_t k = 0; k < 68; ++k) {
      err += double(q[k].x - target[k].x) * (q[k].x - target[k].x) +
             double(q[k].y - target[k].y) * (q[k].y - target[k].y);
    }
    if (err < bestErr) bestErr = err, best = int(i);
  }
  return best;
}

}  // namespace avatar
