// Conversions between OpenCV matrices and the public Image type.
#pragma once

#include <cstdint>

#include <opencv2/core.hpp>

#include "avatar/image.h"

namespace avatar::detail {

// Any decoded matrix (gray, BGR, BGRA; 8 or 16 bit) -> 8-bit RGB, alpha
// composited over `backgroundRgb` (0xRRGGBB).
cv::Mat toRgb8(const cv::Mat& decoded, uint32_t backgroundRgb);

// Applies EXIF orientation 1..8 so the image is upright.
cv::Mat applyExifOrientation(const cv::Mat& img, int orientation);

// Copies a CV_8UC3 RGB matrix into an Image, and back (the view shares memory).
Image toImage(const cv::Mat& rgb);
cv::Mat imageView(const Image& image);

}  // namespace avatar::detail
