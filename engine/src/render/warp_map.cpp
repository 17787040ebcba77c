#include "render/warp_map.h"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

namespace avatar::detail {
namespace {

constexpr int kCoarseStep = 8;  // head motion is smooth over tens of pixels

cv::Rect imageBox(const FaceRig& r, float x0, float y0, float x1, float y1, cv::Size frame) {
  float minX = 1e9f, minY = 1e9f, maxX = -1e9f, maxY = -1e9f;
  for (cv::Point2f c :
       {cv::Point2f(x0, y0), cv::Point2f(x1, y0), cv::Point2f(x0, y1), cv::Point2f(x1, y1)}) {
    const cv::Point2f p = r.toImage(c);
    minX = std::min(minX, p.x), maxX = std::max(maxX, p.x);
    minY = std::min(minY, p.y), maxY = std::max(maxY, p.y);
  }
  const cv::Rect box(cv::Point(int(std::floor(minX)), int(std::floor(minY))),
                     cv::Point(int(std::ceil(maxX)) + 1, int(std::ceil(maxY)) + 1));
  return box & cv::Rect(0, 0, frame.width, frame.height);
}

// Samples f(image point) -> image point on a grid over `region`.
struct GridMap {
  cv::Rect region;
  int step = 1, cols = 0, rows = 0;
  std::vector<cv::Point2f> values;

  template <typename F>
  void build(cv::Rect reg, int s, F&& f) {
    region = reg;
    step = s;
    cols = (reg.width + s - 1) / s + 1;
    rows = (reg.height + s - 1) / s + 1;
    values.resize(size_t(cols) * rows);
    for (int j = 0; j < rows; ++j) {
      for (int i = 0; i < cols; ++i) {
        values[size_t(j) * cols + i] = f(cv::Point2f(float(reg.x + i * s), float(reg.y + j * s)));
      }
    }
  }
  bool contains(cv::Point2f p) const {
    return p.x >= region.x && p.y >= region.y && p.x <= region.x + (cols - 1) * step &&
           p.y <= region.y + (rows - 1) * step;
  }
  cv::Point2f at(cv::Point2f p) const {
    const float fx = (p.x - region.x) / step, fy = (p.y - region.y) / step;
    const int i = std::clamp(int(fx), 0, cols - 2), j = std::clamp(int(fy), 0, rows - 2);
    const float a = fx - i, b = fy - j;
    const cv::Point2f* r0 = &values[size_t(j) * cols + i];
    const cv::Point2f* r1 = r0 + cols;
    return (1 - b) * ((1 - a) * r0[0] + a * r0[1]) + b * ((1 - a) * r1[0] + a * r1[1]);
  }
};

}  // namespace

LipSide TargetMouth::sideAt(cv::Point2f q) const {
  if (q.x <= xLeft || q.x >= xRight) return LipSide::Upper;  // both sides agree there
  return q.y < 0.5f * (upper.yAt(q.x) + lower.yAt(q.x)) ? LipSide::Upper : LipSide::Lower;
}

TargetMouth targetMouth(const FaceRig& r, const FieldParams& fp) {
  TargetMouth m;
  for (int i : {60, 61, 62, 63, 64})
    m.upper.pts.push_back(faceForward(r, fp, r.lm[i], LipSide::Upper));
  for (int i : {60, 67, 66, 65, 64})
    m.lower.pts.push_back(faceForward(r, fp, r.lm[i], LipSide::Lower));
  auto byX = [](auto a, auto b) { return a.x < b.x; };
  std::sort(m.upper.pts.begin(), m.upper.pts.end(), byX);
  std::sort(m.lower.pts.begin(), m.lower.pts.end(), byX);
  m.xLeft = std::min(m.upper.pts.front().x, m.lower.pts.front().x);
  m.xRight = std::max(m.upper.pts.back().x, m.lower.pts.back().x);
  return m;
}

cv::Rect faceRegion(const FaceRig& r, const FieldParams& fp, cv::Size frame) {
  const float fw = r.faceHalfWidth, h = r.faceHeight;
  const float above = fp.browRaise != 0 ? 0.4f : 0.1f;  // the brows' field reaches up the forehead
  return imageBox(r, r.lm[0].x - 0.25f * fw, std::min(r.eyes[0].browY, r.eyes[1].browY) - above * h,
                  r.lm[16].x + 0.25f * fw, r.chinY + 0.35f * h + std::abs(fp.jawDrop), frame);
}

cv::Rect movingRegion(const FaceRig& r, const FieldParams& fp, cv::Size frame) {
  const cv::Rect face = faceRegion(r, fp, frame);
  if (!fp.hasHeadMotion) return face;
  const float margin = std::hypot(fp.shift.x, fp.shift.y) + std::hypot(fp.turn.x, fp.turn.y) +
                       std::abs(fp.rollRad) * 2.5f * r.faceHeight +
                       std::abs(std::max(fp.scaleX, fp.scaleY) - 1) * 2 * r.headRadiusY + 4;
  const cv::Rect head = imageBox(r, r.headCenter.x - 1.75f * r.headRadiusX - margin,
                                 r.headCenter.y - 1.75f * r.headRadiusY - margin,
                                 r.headCenter.x + 1.75f * r.headRadiusX + margin,
                                 r.headCenter.y + 1.75f * r.headRadiusY + margin, frame);
  return head | face;
}

void warpFrame(const cv::Mat& base, const FaceRig& r, const FieldParams& fp,
               const TargetMouth& mouth, int fineStep, cv::Mat& out) {
  const cv::Rect region = movingRegion(r, fp, base.size());
  if (region.empty()) return;
  const bool faceMoves = fp.facePoseChanges();
  GridMap head, face;
  if (fp.hasHeadMotion) {
    head.build(region, kCoarseStep,
               [&](cv::Point2f t) { return r.toImage(headInverse(r, fp, r.toFace(t))); });
  }
  if (faceMoves) {
    face.build(faceRegion(r, fp, base.size()), fineStep, [&](cv::Point2f qi) {
      const cv::Point2f q = r.toFace(qi);
      return r.toImage(faceInverse(r, fp, q, mouth.sideAt(q)));
    });
  }
  cv::Mat mapX(region.height, region.width, CV_32F), mapY(region.height, region.width, CV_32F);
  for (int y = 0; y < region.height; ++y) {
    float* mx = mapX.ptr<float>(y);
    float* my = mapY.ptr<float>(y);
    for (int x = 0; x < region.width; ++x) {
      cv::Point2f p(float(region.x + x), float(region.y + y));
      if (fp.hasHeadMotion) p = head.at(p);
      if (faceMoves && face.contains(p)) p = face.at(p);
      mx[x] = p.x;
      my[x] = p.y;
    }
  }
  cv::Mat dst = out(region);
  cv::remap(base, dst, mapX, mapY, cv::INTER_LINEAR, cv::BORDER_REPLICATE);
}

}  // namespace avatar::detail
