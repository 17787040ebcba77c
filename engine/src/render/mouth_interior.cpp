#include "render/mouth_interior.h"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

namespace avatar::detail {
namespace {

cv::Vec3f sampleMean(const cv::Mat& rgb, cv::Point2f p, int radius) {
  cv::Vec3f acc(0, 0, 0);
  int n = 0;
  for (int dy = -radius; dy <= radius; ++dy) {
    for (int dx = -radius; dx <= radius; ++dx) {
      const int x = std::clamp(int(std::lround(p.x)) + dx, 0, rgb.cols - 1);
      const int y = std::clamp(int(std::lround(p.y)) + dy, 0, rgb.rows - 1);
      const cv::Vec3b c = rgb.at<cv::Vec3b>(y, x);
      acc += cv::Vec3f(c[0], c[1], c[2]);
      ++n;
    }
  }
  return acc / float(n);
}

cv::Vec3f bilinear(const cv::Mat& rgb, cv::Point2f p) {
  const float x = std::clamp(p.x, 0.0f, float(rgb.cols - 1));
  const float y = std::clamp(p.y, 0.0f, float(rgb.rows - 1));
  const int x0 = int(x), y0 = int(y);
  const int x1 = std::min(x0 + 1, rgb.cols - 1), y1 = std::min(y0 + 1, rgb.rows - 1);
  const float a = x - x0, b = y - y0;
  cv::Vec3f out;
  for (int c = 0; c < 3; ++c) {
    out[c] = (1 - b) * ((1 - a) * rgb.at<cv::Vec3b>(y0, x0)[c] + a * rgb.at<cv::Vec3b>(y0, x1)[c]) +
             b * ((1 - a) * rgb.at<cv::Vec3b>(y1, x0)[c] + a * rgb.at<cv::Vec3b>(y1, x1)[c]);
  }
  return out;
}

float smoothstep(float e0, float e1, float x) {
  const float t = std::clamp((x - e0) / (e1 - e0), 0.0f, 1.0f);
  return t * t * (3 - 2 * t);
}

// Synthetic interior at normalised mouth coordinates: u across (-1..1),
// v from the upper lip (0) to the lower lip (1), gap in pixels.
cv::Vec3f synthetic(const MouthPalette& pal, float u, float v, float gap, float mouthWidth,
                    float jawOpen, float upperTeeth) {
  const float au = std::abs(u);
  // Darkest just under the upper teeth and at the corners, warmer lower down.
  cv::Vec3f c = pal.cavity * ((0.75f + 0.55f * v) * (1.0f - 0.45f * au * au));
  const float depth = v * gap;             // px below the upper lip
  const float fromBottom = (1 - v) * gap;  // px above the lower lip
  // Teeth rows are arcs: tallest in the middle, vanishing before the corners.
  const float arc = std::sqrt(std::max(0.0f, 1 - (u / 0.8f) * (u / 0.8f)));
  const float teethH = std::min(0.6f * gap, 0.15f * mouthWidth) * arc;
  if (upperTeeth > 0 && depth < teethH) {
    float shade = 0.72f + 0.28f * arc;
    shade *= 0.8f + 0.2f * smoothstep(0, 1.5f, depth);             // shadow under the lip
    shade *= 1 - 0.3f * smoothstep(teethH - 1.5f, teethH, depth);  // soft biting edge
    c = pal.teeth * shade;
  }
  const float lowerArc = std::sqrt(std::max(0.0f, 1 - (u / 0.6f) * (u / 0.6f)));
  const float lowerH = 0.45f * std::min(0.6f * gap, 0.15f * mouthWidth) * lowerArc *
                       smoothstep(0.45f, 0.9f, jawOpen);
  if (fromBottom < lowerH) c = pal.teeth * (0.5f + 0.15f * lowerArc);
  if (jawOpen > 0.45f) {
    const float tu = u / 0.55f, tv = (v - 0.98f) / 0.35f;
    const float tongue = 1 - smoothstep(0.7f, 1.0f, tu * tu + tv * tv);
    c = c * (1 - tongue) + (pal.lip * 0.55f) * tongue;
  }
  return c;
}

}  // namespace

MouthPalette measurePalette(const cv::Mat& rgb, const FaceRig& r) {
  MouthPalette pal;
  const int radius = std::max(1, int(r.mouthHalfWidth / 12));
  const std::pair<int, int> pairs[] = {{50, 61}, {51, 62}, {52, 63}, {58, 67}, {57, 66}, {56, 65}};
  cv::Vec3f lip(0, 0, 0);
  for (auto [outer, inner] : pairs)
    lip += sampleMean(rgb, r.toImage((r.lm[outer] + r.lm[inner]) * 0.5f), radius);
  pal.lip = lip / 6.0f;
  // Cheek brightness sets how bright synthetic teeth may be.
  const cv::Vec3f cheek = (sampleMean(rgb, r.toImage((r.lm[3] + r.lm[48]) * 0.5f), radius * 2) +
                           sampleMean(rgb, r.toImage((r.lm[13] + r.lm[54]) * 0.5f), radius * 2)) /
                          2.0f;
  const float luma = 0.3f * cheek[0] + 0.59f * cheek[1] + 0.11f * cheek[2];
  pal.teeth = cv::Vec3f(236, 230, 218) * std::clamp(luma / 165.0f, 0.5f, 1.0f);
  pal.cavity = cv::Vec3f(pal.lip[0] * 0.3f + 6, pal.lip[1] * 0.16f + 3, pal.lip[2] * 0.18f + 4);
  return pal;
}

void drawMouthInterior(const cv::Mat& base, const FaceRig& r, const FieldParams& fp,
                       const TargetMouth& m, const MouthPalette& pal, float jawOpen, cv::Mat& out) {
  // Polygon of the opening in image space, sampled along both inner lips.
  constexpr int kSamples = 24;
  std::vector<cv::Point> poly;
  std::vector<cv::Point2f> polyF;
  float maxGap = 0;
  for (int k = 0; k <= kSamples; ++k) {
    const float x = m.xLeft + (m.xRight - m.xLeft) * k / kSamples;
    polyF.push_back(r.toImage(headForward(r, fp, {x, m.upper.yAt(x)})));
    maxGap = std::max(maxGap, m.lower.yAt(x) - m.upper.yAt(x));
  }
  if (maxGap < 0.75f) return;
  for (int k = kSamples; k >= 0; --k) {
    const float x = m.xLeft + (m.xRight - m.xLeft) * k / kSamples;
    polyF.push_back(r.toImage(headForward(r, fp, {x, m.lower.yAt(x)})));
  }
  constexpr int kShift = 4;  // sub-pixel polygon for anti-aliased edges
  for (const auto& p : polyF) poly.emplace_back(int(p.x * (1 << kShift)), int(p.y * (1 << kShift)));
  const cv::Rect box = cv::boundingRect(polyF) & cv::Rect(0, 0, out.cols, out.rows);
  if (box.empty()) return;
  cv::Mat mask = cv::Mat::zeros(box.size(), CV_8U);
  for (auto& p : poly) p -= cv::Point(box.x << kShift, box.y << kShift);
  cv::fillPoly(mask, std::vector<std::vector<cv::Point>>{poly}, cv::Scalar(255), cv::LINE_AA,
               kShift);

  const float halfT = std::max(1.0f, 0.5f * (m.xRight - m.xLeft));
  const float xcT = 0.5f * (m.xLeft + m.xRight);
  const float mouthWidth = 2 * r.mouthHalfWidth;
  for (int y = 0; y < box.height; ++y) {
    const uint8_t* mk = mask.ptr<uint8_t>(y);
    cv::Vec3b* dst = out.ptr<cv::Vec3b>(box.y + y) + box.x;
    for (int x = 0; x < box.width; ++x) {
      if (!mk[x]) continue;
      // Back through the head motion to the mouth's own frame.
      const cv::Point2f t = headInverse(r, fp, r.toFace({float(box.x + x), float(box.y + y)}));
      const float up = m.upper.yAt(t.x), low = m.lower.yAt(t.x);
      const float gap = std::max(0.5f, low - up);
      const float u = (t.x - xcT) / halfT;
      const float v = std::clamp((t.y - up) / gap, 0.0f, 1.0f);
      cv::Vec3f c;
      if (r.sourceMouthOpen) {
        // Reuse the photo's own teeth: they are upper teeth, fixed to the
        // skull, so they stay under the upper lip; the lower lip slides over
        // them when closing, and a wider opening shows cavity below them.
        const float xs = r.mouthCenterX + u * r.mouthHalfWidth;
        const float upS = r.innerUpper.yAt(xs), lowS = r.innerLower.yAt(xs);
        const float gapS = std::max(0.0f, lowS - upS);
        const float depth = t.y - up;
        if (depth < gapS) {
          c = bilinear(base, r.toImage({xs, upS + depth}));
          const float fade = smoothstep(gapS - 2.0f, gapS, depth);  // blend into the cavity
          if (fade > 0)
            c = c * (1 - fade) + synthetic(pal, u, v, gap, mouthWidth, jawOpen, 0) * fade;
        } else {
          c = synthetic(pal, u, v, gap, mouthWidth, jawOpen, 0);
        }
      } else {
        c = synthetic(pal, u, v, gap, mouthWidth, jawOpen, 1);
      }
      const float a = mk[x] / 255.0f;
      cv::Vec3b& d = dst[x];
      for (int ch = 0; ch < 3; ++ch)
        d[ch] = cv::saturate_cast<uint8_t>(d[ch] * (1 - a) + c[ch] * a);
    }
  }
}

}  // namespace avatar::detail
