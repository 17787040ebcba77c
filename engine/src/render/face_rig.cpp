#include "render/face_rig.h"

#include <algorithm>
#include <cmath>

namespace avatar::detail {
namespace {

Curve curveOf(const FaceRig& r, std::initializer_list<int> idx) {
  Curve c;
  for (int i : idx) c.pts.push_back(r.lm[i]);
  std::sort(c.pts.begin(), c.pts.end(), [](auto a, auto b) { return a.x < b.x; });
  return c;
}

cv::Point2f mean(const std::array<cv::Point2f, 68>& lm, int from, int to) {
  cv::Point2f m(0, 0);
  for (int i = from; i <= to; ++i) m += lm[i];
  return m * (1.0f / float(to - from + 1));
}

}  // namespace

float Curve::yAt(float x) const {
  if (pts.empty()) return 0;
  if (x <= pts.front().x) return pts.front().y;
  if (x >= pts.back().x) return pts.back().y;
  for (size_t i = 1; i < pts.size(); ++i) {
    if (x <= pts[i].x) {
      const float dx = pts[i].x - pts[i - 1].x;
      const float a = dx > 1e-6f ? (x - pts[i - 1].x) / dx : 0.5f;
      return pts[i - 1].y + a * (pts[i].y - pts[i - 1].y);
    }
  }
  return pts.back().y;
}

cv::Point2f FaceRig::toFace(cv::Point2f p) const {
  const cv::Point2f d = p - origin;
  return {cosA * d.x + sinA * d.y, -sinA * d.x + cosA * d.y};
}

cv::Point2f FaceRig::vecToImage(cv::Point2f v) const {
  return {cosA * v.x - sinA * v.y, sinA * v.x + cosA * v.y};
}

cv::Point2f FaceRig::toImage(cv::Point2f p) const {
  return vecToImage(p) + origin;
}

bool buildFaceRig(const std::vector<cv::Point2f>& img, FaceRig* out) {
  if (img.size() != 68) return false;
  FaceRig r;
  std::array<cv::Point2f, 68> li;
  std::copy(img.begin(), img.end(), li.begin());
  const cv::Point2f eyeL = mean(li, 36, 41), eyeR = mean(li, 42, 47);
  const cv::Point2f axis = eyeR - eyeL;
  const float io = std::hypot(axis.x, axis.y);
  if (io < 4) return false;
  r.cosA = axis.x / io;
  r.sinA = axis.y / io;
  r.origin = (eyeL + eyeR) * 0.5f;
  for (int i = 0; i < 68; ++i) r.lm[i] = r.toFace(li[i]);

  const auto& lm = r.lm;
  const float browY = (mean(lm, 17, 21).y + mean(lm, 22, 26).y) / 2;
  r.chinY = lm[8].y;
  r.faceHeight = r.chinY - browY;
  r.faceHalfWidth = (lm[16].x - lm[0].x) / 2;
  if (r.faceHeight < 8 || r.faceHalfWidth < 4) return false;
  r.mouthHalfWidth = std::max(2.0f, (lm[54].x - lm[48].x) / 2);
  r.mouthCenterX = (lm[48].x + lm[54].x + lm[60].x + lm[64].x) / 4;
  r.mouthCenterY = (lm[62].y + lm[66].y) / 2;
  r.noseBaseY = lm[33].y;
  r.innerUpper = curveOf(r, {60, 61, 62, 63, 64});
  r.innerLower = curveOf(r, {60, 67, 66, 65, 64});
  r.outerUpper = curveOf(r, {48, 49, 50, 51, 52, 53, 54});
  r.outerLower = curveOf(r, {48, 59, 58, 57, 56, 55, 54});
  r.jawLine = curveOf(r, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
  r.sourceGap = ((lm[67].y - lm[61].y) + (lm[66].y - lm[62].y) + (lm[65].y - lm[63].y)) / 3;
  r.sourceGap = std::max(0.0f, r.sourceGap);
  r.sourceMouthOpen = r.sourceGap > 0.08f * 2 * r.mouthHalfWidth;

  const int lids[2][4] = {{36, 37, 38, 39}, {42, 43, 44, 45}};
  const int lows[2][4] = {{36, 41, 40, 39}, {42, 47, 46, 45}};
  for (int e = 0; e < 2; ++e) {
    EyeRig& eye = r.eyes[e];
    eye.upperLid = curveOf(r, {lids[e][0], lids[e][1], lids[e][2], lids[e][3]});
    eye.lowerLid = curveOf(r, {lows[e][0], lows[e][1], lows[e][2], lows[e][3]});
    eye.xInner = eye.upperLid.pts.front().x;
    eye.xOuter = eye.upperLid.pts.back().x;
    eye.browY = e == 0 ? mean(lm, 17, 21).y : mean(lm, 22, 26).y;
    for (const auto& p : eye.upperLid.pts) {
      eye.maxGap = std::max(eye.maxGap, eye.lowerLid.yAt(p.x) - p.y);
    }
  }
  // The head: from above the brows (hair) to below the chin, a bit wider
  // than the face contour.
  const float top = browY - 0.75f * r.faceHeight;
  const float bottom = r.chinY + 0.12f * r.faceHeight;
  r.headCenter = {(lm[0].x + lm[16].x) / 2, (top + bottom) / 2};
  r.headRadiusX = 1.3f * r.faceHalfWidth;
  r.headRadiusY = (bottom - top) / 2;
  r.neckPivot = {lm[8].x, r.chinY + 0.35f * r.faceHeight};
  *out = r;
  return true;
}

}  // namespace avatar::detail
