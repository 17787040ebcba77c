#include "render/face_field.h"

#include <algorithm>
#include <cmath>

namespace avatar::detail {
namespace {

constexpr float kDegToRad = 0.017453292f;

float smoothstep(float e0, float e1, float x) {
  if (e1 == e0) return x < e0 ? 0.0f : 1.0f;
  const float t = std::clamp((x - e0) / (e1 - e0), 0.0f, 1.0f);
  return t * t * (3 - 2 * t);
}

// 1 at the mouth centre, 0 at and beyond the corners (elliptical opening).
float taper(float u) {
  return u * u < 1 ? std::sqrt(1 - u * u) : 0.0f;
}

// Vertical displacement of the jaw and lips.
float jawField(const FaceRig& r, const FieldParams& fp, cv::Point2f p, LipSide side) {
  if (fp.jawDrop == 0) return 0;
  const float u = (p.x - r.mouthCenterX) / r.mouthHalfWidth;
  const float tau = taper(u);
  const float lateral = 1 - smoothstep(0.45f * r.faceHalfWidth, 1.1f * r.faceHalfWidth,
                                       std::abs(p.x - r.mouthCenterX));
  if (lateral <= 0) return 0;
  const float jawY = r.jawLine.yAt(p.x);
  // The neck stays. The falloff is short (the chin's surroundings stay as
  // in the photo) but wide enough that the map never folds:
  // |d(displacement)/dy| <= 1.5 * maxDrop / width = 1.5 * 0.16 / 0.3 = 0.8 < 1.
  const float below = 1 - smoothstep(jawY, jawY + 0.3f * r.faceHeight, p.y);
  if (below <= 0) return 0;
  const float line = side == LipSide::Upper ? r.innerUpper.yAt(p.x) : r.innerLower.yAt(p.x);
  const float atLine = side == LipSide::Upper ? 0.5f - 0.5f * tau : 0.5f + 0.5f * tau;
  float v;
  if (p.y < line) {
    v = atLine * smoothstep(r.noseBaseY, line, p.y);  // cheeks and upper lip stretch
  } else {
    const float s = smoothstep(line, line + 0.5f * (r.chinY - line), p.y);
    v = atLine + (1 - atLine) * s;  // towards the chin the jaw moves as one
  }
  return fp.jawDrop * lateral * below * v;
}

cv::Point2f lipShapeField(const FaceRig& r, const FieldParams& fp, cv::Point2f p, LipSide side) {
  const float w = r.mouthHalfWidth;
  const float u = (p.x - r.mouthCenterX) / w;
  const float dy = (p.y - r.mouthCenterY) / (0.22f * r.faceHeight);
  if (u * u > 40 || dy * dy > 20) return {0, 0};
  const float g = std::exp(-(u * u) / 2.2f - dy * dy);
  cv::Point2f d(fp.widthShift * std::clamp(u, -1.3f, 1.3f) * g, 0);
  const float tau = taper(u * 0.95f);
  if (fp.pucker > 0) {
    const float line = side == LipSide::Upper ? r.innerUpper.yAt(p.x) : r.innerLower.yAt(p.x);
    const float near = std::exp(-std::pow((p.y - line) / (0.07f * r.faceHeight), 2.0f));
    d.y += fp.pucker * 0.03f * r.faceHeight * tau * near * (side == LipSide::Upper ? -1 : 1);
  }
  if (fp.lipRaise > 0 && side == LipSide::Upper) {
    const float line = r.innerUpper.yAt(p.x);
    const float near = std::exp(-std::pow((p.y - line) / (0.08f * r.faceHeight), 2.0f));
    d.y -= fp.lipRaise * 0.03f * r.faceHeight * tau * near;
  }
  return d;
}

// 1 over an eye's span (corner to corner), fading to 0 over `margin` times
// its width on either side.
float eyeSpanWeight(const EyeRig& e, float margin, float x) {
  const float m = margin * (e.xOuter - e.xInner);
  if (x < e.xInner - m || x > e.xOuter + m) return 0;
  return smoothstep(e.xInner - m, e.xInner, x) * (1 - smoothstep(e.xOuter, e.xOuter + m, x));
}

// The lids at column x: the upper and lower lid lines and the top of the
// lid skin that stretches down over a closing eye.
struct LidColumn {
  float up = 0, low = 0, top = 0;
};

LidColumn lidColumn(const EyeRig& e, float x) {
  const float xc = std::clamp(x, e.xInner, e.xOuter);
  LidColumn c;
  c.up = e.upperLid.yAt(xc);
  c.low = e.lowerLid.yAt(xc);
  c.top = c.up - std::max(1.2f * e.maxGap, 0.55f * (c.up - e.browY));
  return c;
}

float eyeField(const EyeRig& e, float blink, cv::Point2f p) {
  const float lateral = eyeSpanWeight(e, 0.25f, p.x);
  if (lateral <= 0) return 0;
  const LidColumn c = lidColumn(e, p.x);
  const float gap = std::max(0.0f, c.low - c.up);
  const float b = 0.97f * blink * lateral;
  if (p.y >= c.up && p.y <= c.low) return b * (c.low - p.y);  // the eye folds to the lower lid
  if (p.y >= c.top && p.y < c.up) return b * gap * smoothstep(c.top, c.up, p.y);  // lid skin
  return 0;
}

// Vertical displacement (+ down) of the brows and the skin around them: a
// bump over each eye's span that peaks on the brow, fades out towards the
// upper lid and up the forehead. The lid stays where it is; the raise is at
// most 3% of the face height over a falloff of more than 6%, so the map
// never folds.
float browField(const EyeRig& e, float faceHeight, float raise, cv::Point2f p) {
  const float lateral = eyeSpanWeight(e, 0.45f, p.x);
  if (lateral <= 0) return 0;
  const float lid = lidColumn(e, p.x).up;
  const float below = std::max(lid - e.browY, 0.06f * faceHeight);
  const float top = e.browY - 0.35f * faceHeight;
  float v = 0;
  if (p.y >= e.browY && p.y < e.browY + below) {
    v = 1 - smoothstep(e.browY, e.browY + below, p.y);
  } else if (p.y < e.browY && p.y > top) {
    v = smoothstep(top, e.browY, p.y);
  }
  return -raise * lateral * v;
}

// How far a face point stands out towards the viewer, 1 at the face's
// centre, 0 at its outline and beyond: (1 - rho^2)^2 over an ellipse a
// little larger than the face, smooth at the rim. A turning head moves its
// front (nose, mouth) further than its outline, which is what tells a turn
// from a slide; the slope stays under 0.3 px/px at 20 degrees (no folds).
float faceDepth(const FaceRig& r, cv::Point2f q) {
  const float u = (q.x - r.headCenter.x) / (1.15f * r.faceHalfWidth);
  const float v = (q.y - r.headCenter.y) / (1.1f * r.headRadiusY);
  const float rho2 = u * u + v * v;
  return rho2 < 1 ? (1 - rho2) * (1 - rho2) : 0.0f;
}

cv::Point2f headMap(const FaceRig& r, const FieldParams& fp, cv::Point2f q) {
  const cv::Point2f d = q - r.neckPivot;
  const float c = std::cos(fp.rollRad), s = std::sin(fp.rollRad);
  const cv::Point2f rotated(c * d.x * fp.scaleX - s * d.y * fp.scaleY,
                            s * d.x * fp.scaleX + c * d.y * fp.scaleY);
  return r.neckPivot + rotated + fp.shift + fp.turn * faceDepth(r, q);
}

}  // namespace

float headWeight(const FaceRig& r, cv::Point2f p) {
  const float dx = (p.x - r.headCenter.x) / r.headRadiusX;
  const float dy = (p.y - r.headCenter.y) / r.headRadiusY;
  const float rho = std::sqrt(dx * dx + dy * dy);
  return 1 - smoothstep(1.0f, 1.7f, rho);
}

FieldParams fieldParams(const FaceRig& r, const FrameMotion& m) {
  FieldParams fp;
  // A loud "ah" opens the lips by about 13% of the face height; gain may
  // push it to 16%, never further (the field stays fold-free).
  fp.targetGap = std::clamp(m.mouth.jawOpen, 0.0f, 1.25f) * 0.13f * r.faceHeight;
  // Closing a photo's open mouth: the lower lip slides a little past the
  // landmark line, because the visible lip edge lies outside the inner-lip
  // landmarks and a sliver of teeth would otherwise stay.
  const float overshoot =
      r.sourceMouthOpen ? 0.3f * r.sourceGap * (1 - std::min(1.0f, fp.targetGap / r.sourceGap))
                        : 0.0f;
  fp.jawDrop = fp.targetGap - r.sourceGap - overshoot;
  fp.widthShift = (0.13f * m.mouth.width - 0.08f * m.mouth.pucker) * r.mouthHalfWidth;
  fp.pucker = m.mouth.pucker;
  fp.lipRaise = m.mouth.upperLipRaise;
  fp.blink = std::clamp(m.blink, 0.0f, 1.0f);
  fp.browRaise = std::clamp(m.browRaise, -0.03f, 0.03f) * r.faceHeight;
  const float yaw = m.head.yawDeg * kDegToRad, pitch = m.head.pitchDeg * kDegToRad;
  fp.rollRad = m.head.rollDeg * kDegToRad;
  // Small rotations seen from the front: the head slides, its front slides
  // further and it foreshortens. The nose stands about a face half-width in
  // front of the outline, so it moves that much per radian more than the
  // outline does (1.3 vs 0.3 half-widths sideways, 1.2 vs 0.2 down).
  fp.shift = {yaw * 0.3f * r.faceHalfWidth, pitch * 0.2f * r.faceHalfWidth};
  fp.turn = {yaw * 1.0f * r.faceHalfWidth, pitch * 1.0f * r.faceHalfWidth};
  // A driver's translation and zoom (face frame: x along the eyes).
  fp.shift += cv::Point2f(m.head.shiftX, m.head.shiftY) * r.faceHeight;
  const float zoom = std::clamp(m.head.scale, 0.7f, 1.4f);
  fp.scaleX = zoom * (1 - 0.15f * std::abs(yaw));
  fp.scaleY = zoom * (1 - 0.10f * std::abs(pitch));
  fp.hasHeadMotion = m.head.moves();
  return fp;
}

cv::Point2f faceForward(const FaceRig& r, const FieldParams& fp, cv::Point2f p, LipSide side) {
  cv::Point2f q = p + lipShapeField(r, fp, p, side);
  q.y += jawField(r, fp, p, side);
  if (fp.blink > 0) {
    for (const EyeRig& e : r.eyes) q.y += eyeField(e, fp.blink, p);
  }
  if (fp.browRaise != 0) {
    for (const EyeRig& e : r.eyes) q.y += browField(e, r.faceHeight, fp.browRaise, p);
  }
  return q;
}

cv::Point2f headForward(const FaceRig& r, const FieldParams& fp, cv::Point2f q) {
  if (!fp.hasHeadMotion) return q;
  const float w = headWeight(r, q);
  return w > 0 ? q + w * (headMap(r, fp, q) - q) : q;
}

namespace {

// Newton's method with a numeric Jacobian: the maps are near identity almost
// everywhere, but a closing eyelid compresses strongly (Jacobian near 0),
// where plain fixed-point iteration would crawl.
template <typename Map>
cv::Point2f invert(Map&& map, cv::Point2f t, cv::Point2f start, float maxStep) {
  constexpr float h = 0.5f;
  cv::Point2f s = start;
  for (int it = 0; it < 10; ++it) {
    const cv::Point2f f = map(s);
    const cv::Point2f err = f - t;
    if (err.x * err.x + err.y * err.y < 1e-4f) break;
    const cv::Point2f fx = (map(s + cv::Point2f(h, 0)) - f) / h;
    const cv::Point2f fy = (map(s + cv::Point2f(0, h)) - f) / h;
    const float det = fx.x * fy.y - fy.x * fx.y;
    cv::Point2f step = err;
    if (std::abs(det) > 0.02f) {
      step = {(fy.y * err.x - fy.x * err.y) / det, (-fx.y * err.x + fx.x * err.y) / det};
    }
    const float len = std::hypot(step.x, step.y);
    if (len > maxStep) step *= maxStep / len;
    s -= step;
  }
  return s;
}

// Where to start inverting at a point of a closing eye. There the map
// squeezes the eye into its lower lid (slope 1 - blink, near 0), so Newton
// from the target itself steps wildly and can settle on the squeezed eye
// instead of the lid skin that now covers it. The eye's field moves points
// down only and keeps their order along y, so one bisection along the
// column finds the source that lands on the target.
cv::Point2f blinkStart(const FaceRig& r, const FieldParams& fp, cv::Point2f q) {
  for (const EyeRig& e : r.eyes) {
    if (eyeSpanWeight(e, 0.25f, q.x) <= 0) continue;
    const LidColumn c = lidColumn(e, q.x);
    if (q.y < c.top || q.y > c.low) continue;
    float lo = c.top, hi = c.low;
    for (int it = 0; it < 24; ++it) {
      const float mid = 0.5f * (lo + hi);
      const float at = mid + eyeField(e, fp.blink, {q.x, mid});
      (at < q.y ? lo : hi) = mid;
    }
    return {q.x, 0.5f * (lo + hi)};
  }
  return q;
}

}  // namespace

cv::Point2f faceInverse(const FaceRig& r, const FieldParams& fp, cv::Point2f q, LipSide side) {
  const cv::Point2f start = fp.blink > 0 ? blinkStart(r, fp, q) : q;
  return invert([&](cv::Point2f p) { return faceForward(r, fp, p, side); }, q, start,
                0.5f * r.faceHeight);
}

cv::Point2f headInverse(const FaceRig& r, const FieldParams& fp, cv::Point2f t) {
  if (!fp.hasHeadMotion) return t;
  // Where the weight is 1 the head map is nearly affine: start from the
  // inverse of its affine part (with the depth term taken at the target).
  const float c = std::cos(fp.rollRad), s = std::sin(fp.rollRad);
  const cv::Point2f d = t - fp.shift - fp.turn * faceDepth(r, t) - r.neckPivot;
  const cv::Point2f start =
      r.neckPivot + cv::Point2f((c * d.x + s * d.y) / fp.scaleX, (-s * d.x + c * d.y) / fp.scaleY);
  const cv::Point2f guess = headWeight(r, start) > 0.999f ? start : t;
  return invert([&](cv::Point2f q) { return headForward(r, fp, q); }, t, guess, r.faceHeight);
}

}  // namespace avatar::detail
