#include "pipeline/fomm_crop.h"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

#include "avatar_nets/fomm.h"

namespace avatar::detail {
namespace {

constexpr int kSize = nets::FommNet::kSize;
constexpr size_t kPlane = size_t(kSize) * kSize;

// Frame -> crop affine map (256 px across the square).
cv::Mat cropMatrix(const FommCrop& c) {
  const double s = kSize / double(c.side);
  cv::Mat m = (cv::Mat_<double>(2, 3) << s, 0, -(c.center.x - c.side / 2) * s, 0, s,
               -(c.center.y - c.side / 2) * s);
  return m;
}

// Feather: 1 inside, falling to 0 over the outer 15% of the square.
cv::Mat featherMask() {
  cv::Mat mask(kSize, kSize, CV_32F);
  const float edge = 0.15f * kSize;
  for (int y = 0; y < kSize; ++y) {
    for (int x = 0; x < kSize; ++x) {
      const float d = float(std::min(std::min(x, kSize - 1 - x), std::min(y, kSize - 1 - y)));
      const float t = std::clamp(d / edge, 0.f, 1.f);
      mask.at<float>(y, x) = t * t * (3 - 2 * t);
    }
  }
  return mask;
}

}  // namespace

FommCrop fommCropFor(const RectF& b) {
  FommCrop c;
  const float size = std::max(b.width, b.height);
  c.side = std::max(16.0f, 1.9f * size);
  c.center = {b.x + b.width / 2, b.y + b.height / 2 - 0.1f * size};
  return c;
}

void fommCropTensor(const cv::Mat& rgb, const FommCrop& crop, float* out) {
  cv::Mat patch;
  cv::warpAffine(rgb, patch, cropMatrix(crop), cv::Size(kSize, kSize), cv::INTER_AREA,
                 cv::BORDER_REPLICATE);
  for (int y = 0; y < kSize; ++y) {
    const auto* row = patch.ptr<cv::Vec3b>(y);
    for (int x = 0; x < kSize; ++x) {
      for (int ch = 0; ch < 3; ++ch) {
        out[size_t(ch) * kPlane + size_t(y) * kSize + size_t(x)] = float(row[x][ch]) / 255.f;
      }
    }
  }
}

void fommPaste(const float* prediction, const FommCrop& crop, const cv::Mat& original,
               cv::Mat& frame) {
  cv::Mat pred(kSize, kSize, CV_32FC3);
  for (int y = 0; y < kSize; ++y) {
    auto* row = pred.ptr<cv::Vec3f>(y);
    for (int x = 0; x < kSize; ++x) {
      for (int ch = 0; ch < 3; ++ch) {
        row[x][ch] =
            255.f *
            std::clamp(prediction[size_t(ch) * kPlane + size_t(y) * kSize + size_t(x)], 0.f, 1.f);
      }
    }
  }
  static const cv::Mat mask = featherMask();
  const cv::Rect frameRect(0, 0, frame.cols, frame.rows);
  const cv::Rect2f r = crop.rect();
  const cv::Rect roi = cv::Rect(int(std::floor(r.x)), int(std::floor(r.y)),
                                int(std::ceil(r.width)) + 1, int(std::ceil(r.height)) + 1) &
                       frameRect;
  if (roi.empty()) return;
  // Crop -> frame map restricted to the roi.
  cv::Mat inv;
  cv::invertAffineTransform(cropMatrix(crop), inv);
  inv.at<double>(0, 2) -= roi.x;
  inv.at<double>(1, 2) -= roi.y;
  cv::Mat back, backMask;
  cv::warpAffine(pred, back, inv, roi.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT);
  cv::warpAffine(mask, backMask, inv, roi.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT);
  cv::Mat orig;
  original(roi).convertTo(orig, CV_32FC3);
  // The generator drifts in tone: match the mean colour where it is pasted.
  const cv::Mat inside = backMask > 0.5f;
  if (cv::countNonZero(inside) > 16) back += cv::mean(orig, inside) - cv::mean(back, inside);
  cv::Mat mask3;
  cv::merge(std::vector<cv::Mat>{backMask, backMask, backMask}, mask3);
  const cv::Mat blended = orig + mask3.mul(back - orig);
  blended.convertTo(frame(roi), CV_8UC3);
}

}  // namespace avatar::detail
