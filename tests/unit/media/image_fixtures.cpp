#include "image_fixtures.h"

#include <opencv2/imgcodecs.hpp>

namespace fixtures {
namespace {

uint32_t crc32(const uint8_t* data, size_t n) {
  uint32_t c = 0xFFFFFFFFu;
  for (size_t i = 0; i < n; ++i) {
    c ^= data[i];
    for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
  }
  return c ^ 0xFFFFFFFFu;
}

void be32(std::vector<uint8_t>& v, uint32_t x) {
  for (int s = 24; s >= 0; s -= 8) v.push_back(uint8_t(x >> s));
}

}  // namespace

cv::Mat quadrants(int w, int h) {
  cv::Mat m(h, w, CV_8UC3);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const bool right = x >= w / 2;
      const bool bottom = y >= h / 2;
      cv::Vec3b c = !right && !bottom  ? cv::Vec3b(0, 0, 255)       // top-left red (BGR)
                    : right && !bottom ? cv::Vec3b(0, 255, 0)       // top-right green
                    : !right && bottom ? cv::Vec3b(255, 0, 0)       // bottom-left blue
                                       : cv::Vec3b(255, 255, 255);  // bottom-right white
      m.at<cv::Vec3b>(y, x) = c;
    }
  }
  return m;
}

std::vector<uint8_t> encode(const std::string& ext, const cv::Mat& img) {
  std::vector<uint8_t> out;
  std::vector<int> params;
  if (ext == ".jpg") params = {cv::IMWRITE_JPEG_QUALITY, 98};
  cv::imencode(ext, img, out, params);
  return out;
}

std::vector<uint8_t> jpegWithOrientation(const cv::Mat& bgr, int orientation) {
  const std::vector<uint8_t> jpg = encode(".jpg", bgr);
  // Big-endian TIFF: header, IFD0 with one entry (0x0112 SHORT 1 = orientation).
  std::vector<uint8_t> tiff = {'M',  'M',  0, 42, 0, 0, 0, 8, 0, 1,
                               0x01, 0x12, 0, 3,  0, 0, 0, 1, 0, uint8_t(orientation),
                               0,    0,    0, 0,  0, 0};
  std::vector<uint8_t> app1 = {'E', 'x', 'i', 'f', 0, 0};
  app1.insert(app1.end(), tiff.begin(), tiff.end());
  const size_t len = app1.size() + 2;
  std::vector<uint8_t> out = {0xFF, 0xD8, 0xFF, 0xE1, uint8_t(len >> 8), uint8_t(len & 0xFF)};
  out.insert(out.end(), app1.begin(), app1.end());
  out.insert(out.end(), jpg.begin() + 2, jpg.end());  // skip the original SOI
  return out;
}

std::vector<uint8_t> pngHeaderClaiming(uint32_t width, uint32_t height) {
  std::vector<uint8_t> v = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
  std::vector<uint8_t> ihdr = {'I', 'H', 'D', 'R'};
  be32(ihdr, width);
  be32(ihdr, height);
  ihdr.insert(ihdr.end(), {8, 2, 0, 0, 0});  // 8-bit RGB
  be32(v, 13);
  v.insert(v.end(), ihdr.begin(), ihdr.end());
  be32(v, crc32(ihdr.data(), ihdr.size()));
  v.insert(v.end(), {0, 0, 0, 4, 'I', 'D', 'A', 'T', 1, 2, 3, 4, 0, 0, 0, 0});
  return v;
}

}  // namespace fixtures
