#include "face/face_landmarks.h"

#include <cmath>

#include "core/engine_impl.h"
#include "face/face_models.h"

namespace avatar::detail {
namespace {

PointF mean(const std::vector<PointF>& p, int first, int last) {
  PointF m;
  for (int i = first; i <= last; ++i) {
    m.x += p[i].x;
    m.y += p[i].y;
  }
  const float n = float(last - first + 1);
  return {m.x / n, m.y / n};
}

float distance(PointF a, PointF b) {
  return std::hypot(a.x - b.x, a.y - b.y);
}

std::string fmt(float v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

}  // namespace

Status landmarksInBox(const Engine& engine, const uint8_t* rgb, int width, int height,
                      int strideBytes, const RectF& box, std::vector<PointF>* points) {
  points->clear();
  if (!rgb || width <= 0 || height <= 0) {
    return Status::error(ErrorCode::InvalidArgument, "frame", "empty image");
  }
  const FaceModels& models = engine.impl().faceModels();
  if (!models.landmarks) {
    if (!models.loadError.isOk()) return models.loadError;
    return Status::error(ErrorCode::ModelMissing, "face-api-landmark-68",
                         "no face landmark net is installed: " + models.landmarksWhy);
  }
  std::vector<nets::Point2F> out;
  std::string error;
  if (!models.landmarks->landmarks({rgb, width, height, strideBytes},
                                   {box.x, box.y, box.width, box.height}, &out, &error)) {
    return Status::error(ErrorCode::InvalidArgument, "face box", error);
  }
  points->reserve(out.size());
  for (const nets::Point2F& p : out) points->push_back({p.x, p.y});
  return Status::ok();
}

std::array<PointF, 5> alignmentFrom68(const std::vector<PointF>& p) {
  if (p.size() < 68) return {};
  return {mean(p, 36, 41), mean(p, 42, 47), p[30], p[48], p[54]};
}

std::array<PointF, 5> alignmentFromBox(const RectF& b) {
  auto at = [&](float fx, float fy) { return PointF{b.x + fx * b.width, b.y + fy * b.height}; };
  return {at(0.32f, 0.38f), at(0.68f, 0.38f), at(0.5f, 0.58f), at(0.36f, 0.76f), at(0.64f, 0.76f)};
}

std::string landmarkSanityProblem(const std::vector<PointF>& p, const RectF& box) {
  if (p.size() != 68) return "expected 68 landmarks, got " + std::to_string(p.size());
  for (const PointF& q : p) {
    if (!std::isfinite(q.x) || !std::isfinite(q.y)) return "landmarks are not finite numbers";
  }
  const float marginX = 0.3f * box.width, marginY = 0.3f * box.height;
  int outside = 0;
  for (const PointF& q : p) {
    if (q.x < box.x - marginX || q.x > box.x + box.width + marginX || q.y < box.y - marginY ||
        q.y > box.y + box.height + marginY) {
      ++outside;
    }
  }
  if (outside > 0) {
    return std::to_string(outside) + " of 68 landmarks lie far outside the face box";
  }
  const std::array<PointF, 5> a = alignmentFrom68(p);
  const PointF eyes{a[1].x - a[0].x, a[1].y - a[0].y};
  const float eyeDistance = std::hypot(eyes.x, eyes.y);
  const float faceWidth = std::max(box.width, 1.f);
  if (eyeDistance < 0.15f * faceWidth || eyeDistance > 0.8f * faceWidth) {
    return "eye distance is " + fmt(eyeDistance / faceWidth) +
           " of the face width (plausible: 0.15..0.8)";
  }
  // "Down" in the face's own frame: the eye line turned by +90 degrees.
  const PointF down{-eyes.y / eyeDistance, eyes.x / eyeDistance};
  const PointF eyeMid{(a[0].x + a[1].x) / 2, (a[0].y + a[1].y) / 2};
  const PointF mouthMid{(a[3].x + a[4].x) / 2, (a[3].y + a[4].y) / 2};
  const float mouthDrop = (mouthMid.x - eyeMid.x) * down.x + (mouthMid.y - eyeMid.y) * down.y;
  const float noseDrop = (a[2].x - eyeMid.x) * down.x + (a[2].y - eyeMid.y) * down.y;
  if (mouthDrop <= 0) return "the mouth is not below the eyes (face upside down or not a face)";
  if (noseDrop <= 0 || noseDrop >= mouthDrop) return "the nose is not between the eyes and mouth";
  const float ratio = distance(eyeMid, mouthMid) / eyeDistance;
  if (ratio < 0.5f || ratio > 2.0f) {
    return "eye-to-mouth distance is " + fmt(ratio) + " eye distances (plausible: 0.5..2)";
  }
  return {};
}

float mouthOpenRatio(const std::vector<PointF>& p) {
  if (p.size() < 68) return 0;
  const float width = distance(p[48], p[54]);
  if (width <= 0) return 0;
  return distance(mean(p, 61, 63), mean(p, 65, 67)) / width;
}

}  // namespace avatar::detail
