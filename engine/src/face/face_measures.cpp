// measureFace (avatar/driver.h): pose and expression from 68 landmarks.
//
// Yaw and pitch come from parallax: the nose tip (30) stands out in front of
// the face outline's ends (0, 16), so turning moves it across the line
// between them, by about half the outline's width times sin(angle). Roll is
// the eye line's angle. The rest are ratios, so the face's size cancels.
#include <algorithm>
#include <cmath>

#include "avatar/driver.h"

namespace avatar {
namespace {

constexpr float kRadToDeg = 57.2957795f;

PointF mean(const std::vector<PointF>& p, int from, int to) {
  PointF m;
  for (int i = from; i <= to; ++i) m.x += p[size_t(i)].x, m.y += p[size_t(i)].y;
  const float n = float(to - from + 1);
  return {m.x / n, m.y / n};
}

float dist(PointF a, PointF b) {
  return std::hypot(a.x - b.x, a.y - b.y);
}

// Eye 36..41 or 42..47: mean of the two lid gaps over the corner distance.
float eyeOpening(const std::vector<PointF>& p, int first) {
  const PointF* e = &p[size_t(first)];
  const float width = dist(e[0], e[3]);
  if (width <= 0) return 0;
  return (dist(e[1], e[5]) + dist(e[2], e[4])) / (2 * width);
}

}  // namespace

FaceMeasures measureFace(const std::vector<PointF>& p) {
  FaceMeasures m;
  if (p.size() < 68) return m;
  const PointF leftEye = mean(p, 36, 41), rightEye = mean(p, 42, 47);
  const float roll = std::atan2(rightEye.y - leftEye.y, rightEye.x - leftEye.x);
  m.rollDeg = roll * kRadToDeg;
  // Undo the roll about the outline's middle, then measure the nose's offset.
  const PointF mid{(p[0].x + p[16].x) / 2, (p[0].y + p[16].y) / 2};
  const float width = dist(p[0], p[16]);
  const float c = std::cos(-roll), s = std::sin(-roll);
  const float nx = p[30].x - mid.x, ny = p[30].y - mid.y;
  const float dx = (c * nx - s * ny) / std::max(width, 1e-3f);
  const float dy = (s * nx + c * ny) / std::max(width, 1e-3f);
  m.yawDeg = std::asin(std::clamp(2 * dx, -1.0f, 1.0f)) * kRadToDeg;
  m.pitchDeg = std::asin(std::clamp(2 * dy, -1.0f, 1.0f)) * kRadToDeg;
  // Position and scale from points the jaw does not move: the outline's
  // ends, the nose bridge and base; the eyes' distance plus the nose's
  // length is about 0.7 of the face's height.
  m.center = {(p[0].x + p[16].x + p[27].x + p[33].x) / 4,
              (p[0].y + p[16].y + p[27].y + p[33].y) / 4};
  m.size = (dist(leftEye, rightEye) + dist(p[27], p[33])) / 0.7f;
  const float size = std::max(m.size, 1e-3f);
  m.eyeOpen[0] = eyeOpening(p, 36);
  m.eyeOpen[1] = eyeOpening(p, 42);
  // Brow height: brows (17..26) above the eye centres, along the face's up.
  const PointF brows = mean(p, 17, 26);
  const PointF eyes{(leftEye.x + rightEye.x) / 2, (leftEye.y + rightEye.y) / 2};
  const float up = -(s * (brows.x - eyes.x) + c * (brows.y - eyes.y));
  m.browHeight = up / size;
  const float mouthWidth = dist(p[48], p[54]);
  m.mouthWidth = mouthWidth / size;
  const float gap = (dist(p[61], p[67]) + dist(p[62], p[66]) + dist(p[63], p[65])) / 3;
  m.mouthOpen = mouthWidth > 0 ? gap / mouthWidth : 0;
  return m;
}

}  // namespace avatar
