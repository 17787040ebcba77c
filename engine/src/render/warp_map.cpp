#include "render/warp_map.h"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

namespace avatar::detail {

LipSide TargetMouth::sideAt(cv::Point2f t) const {
  if (t.x <= xLeft || t.x >= xRight) return LipSide::Upper;  // both sides agree there
  return t.y < 0.5f * (upper.yAt(t.x) + lower.yAt(t.x)) ? LipSide::Upper : LipSide::Lower;
}

TargetMouth targetMouth(const FaceRig& r, const FieldParams& fp) {
  TargetMouth m;
  for (int i : {60, 61, 62, 63, 64})
    m.upper.pts.push_back(forwardMap(r, fp, r.lm[i], LipSide::Upper));
  for (int i : {60, 67, 66, 65, 64})
    m.lower.pts.push_back(forwardMap(r, fp, r.lm[i], LipSide::Lower));
  auto byX = [](auto a, auto b) { return a.x < b.x; };
  std::sort(m.upper.pts.begin(), m.upper.pts.end(), byX);
  std::sort(m.lower.pts.begin(), m.lower.pts.end(), byX);
  m.xLeft = std::min(m.upper.pts.front().x, m.lower.pts.front().x);
  m.xRight = std::max(m.upper.pts.back().x, m.lower.pts.back().x);
  return m;
}

cv::Rect movingRegion(const FaceRig& r, const FieldParams& fp, cv::Size frame) {
  const auto& lm = r.lm;
  const float fw = r.faceHalfWidth, h = r.faceHeight;
  float x0 = lm[0].x - 0.25f * fw, x1 = lm[16].x + 0.25f * fw;
  float y0 = std::min(r.eyes[0].browY, r.eyes[1].browY) - 0.1f * h;
  float y1 = r.chinY + 0.35f * h + std::abs(fp.jawDrop);
  if (fp.hasHeadMotion) {
    const float margin = std::hypot(fp.shift.x, fp.shift.y) + std::abs(fp.rollRad) * 2.5f * h + 4;
    x0 = std::min(x0, r.headCenter.x - 1.75f * r.headRadiusX - margin);
    x1 = std::max(x1, r.headCenter.x + 1.75f * r.headRadiusX + margin);
    y0 = std::min(y0, r.headCenter.y - 1.75f * r.headRadiusY - margin);
    y1 = std::max(y1, r.headCenter.y + 1.75f * r.headRadiusY + margin);
  }
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

void warpRegion(const cv::Mat& base, const FaceRig& r, const FieldParams& fp,
                const TargetMouth& mouth, cv::Rect region, int step, cv::Mat& out) {
  if (region.empty()) return;
  const int gw = (region.width + step - 1) / step + 1;
  const int gh = (region.height + step - 1) / step + 1;
  cv::Mat gx(gh, gw, CV_32F), gy(gh, gw, CV_32F);
  for (int j = 0; j < gh; ++j) {
    for (int i = 0; i < gw; ++i) {
      const cv::Point2f img(float(region.x + i * step), float(region.y + j * step));
      const cv::Point2f t = r.toFace(img);
      const cv::Point2f s = r.toImage(inverseMap(r, fp, t, mouth.sideAt(t)));
      gx.at<float>(j, i) = s.x;
      gy.at<float>(j, i) = s.y;
    }
  }
  // Bilinear upsampling of the grid to every pixel of the region.
  cv::Mat mapX(region.height, region.width, CV_32F), mapY(region.height, region.width, CV_32F);
  const float inv = 1.0f / float(step);
  for (int y = 0; y < region.height; ++y) {
    const float fy = y * inv;
    const int j = std::min(int(fy), gh - 2);
    const float b = fy - float(j);
    const float* x0r = gx.ptr<float>(j);
    const float* x1r = gx.ptr<float>(j + 1);
    const float* y0r = gy.ptr<float>(j);
    const float* y1r = gy.ptr<float>(j + 1);
    float* mx = mapX.ptr<float>(y);
    float* my = mapY.ptr<float>(y);
    for (int x = 0; x < region.width; ++x) {
      const float fx = x * inv;
      const int i = std::min(int(fx), gw - 2);
      const float a = fx - float(i);
      mx[x] =
          (1 - b) * ((1 - a) * x0r[i] + a * x0r[i + 1]) + b * ((1 - a) * x1r[i] + a * x1r[i + 1]);
      my[x] =
          (1 - b) * ((1 - a) * y0r[i] + a * y0r[i + 1]) + b * ((1 - a) * y1r[i] + a * y1r[i + 1]);
    }
  }
  cv::Mat dst = out(region);
  cv::remap(base, dst, mapX, mapY, cv::INTER_LINEAR, cv::BORDER_REPLICATE);
}

}  // namespace avatar::detail
