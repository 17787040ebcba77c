// Test images written at test time: formats, EXIF orientation, hostile headers.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace fixtures {

// A 60x40 BGR image whose four quadrants have distinct colours, so any
// rotation or flip is detectable.
cv::Mat quadrants(int width = 60, int height = 40);

// Inserts an EXIF APP1 segment with the given orientation into a JPEG.
std::vector<uint8_t> jpegWithOrientation(const cv::Mat& bgr, int orientation);

// A PNG signature + IHDR claiming width x height, then a few junk bytes.
std::vector<uint8_t> pngHeaderClaiming(uint32_t width, uint32_t height);

std::vector<uint8_t> encode(const std::string& ext, const cv::Mat& img);

}  // namespace fixtures
