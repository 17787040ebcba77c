#include "media/image_ops.h"

#include <opencv2/imgproc.hpp>

namespace avatar::detail {

cv::Mat toRgb8(const cv::Mat& decoded, uint32_t backgroundRgb) {
  cv::Mat img8;
  if (decoded.depth() == CV_16U) {
    decoded.convertTo(img8, CV_8U, 1.0 / 257.0);
  } else if (decoded.depth() == CV_32F) {
    decoded.convertTo(img8, CV_8U, 255.0);
  } else if (decoded.depth() != CV_8U) {
    cv::normalize(decoded, img8, 0, 255, cv::NORM_MINMAX, CV_8U);
  } else {
    img8 = decoded;
  }
  cv::Mat rgb;
  switch (img8.channels()) {
    case 1:
      cv::cvtColor(img8, rgb, cv::COLOR_GRAY2RGB);
      break;
    case 3:
      cv::cvtColor(img8, rgb, cv::COLOR_BGR2RGB);
      break;
    case 4: {
      cv::Mat rgba;
      cv::cvtColor(img8, rgba, cv::COLOR_BGRA2RGBA);
      const float bg[3] = {float((backgroundRgb >> 16) & 0xFF), float((backgroundRgb >> 8) & 0xFF),
                           float(backgroundRgb & 0xFF)};
      rgb.create(rgba.rows, rgba.cols, CV_8UC3);
      for (int y = 0; y < rgba.rows; ++y) {
        const uint8_t* s = rgba.ptr<uint8_t>(y);
        uint8_t* d = rgb.ptr<uint8_t>(y);
        for (int x = 0; x < rgba.cols; ++x, s += 4, d += 3) {
          const float a = s[3] / 255.0f;
          for (int c = 0; c < 3; ++c) d[c] = uint8_t(s[c] * a + bg[c] * (1 - a) + 0.5f);
        }
      }
      break;
    }
    default: {
      std::vector<cv::Mat> planes;
      cv::split(img8, planes);
      cv::merge(std::vector<cv::Mat>{planes[0], planes[0], planes[0]}, rgb);
    }
  }
  return rgb;
}

cv::Mat applyExifOrientation(const cv::Mat& img, int orientation) {
  cv::Mat out;
  switch (orientation) {
    case 2:
      cv::flip(img, out, 1);
      break;
    case 3:
      cv::flip(img, out, -1);
      break;
    case 4:
      cv::flip(img, out, 0);
      break;
    case 5:
      cv::transpose(img, out);
      break;
    case 6:
      cv::rotate(img, out, cv::ROTATE_90_CLOCKWISE);
      break;
    case 7:
      cv::transpose(img, out);
      cv::flip(out, out, -1);
      break;
    case 8:
      cv::rotate(img, out, cv::ROTATE_90_COUNTERCLOCKWISE);
      break;
    default:
      out = img;
  }
  return out;
}

Image toImage(const cv::Mat& rgb) {
  Image image;
  image.width = rgb.cols;
  image.height = rgb.rows;
  image.rgb.resize(size_t(rgb.cols) * rgb.rows * 3);
  for (int y = 0; y < rgb.rows; ++y) {
    std::memcpy(image.rgb.data() + size_t(y) * rgb.cols * 3, rgb.ptr(y), size_t(rgb.cols) * 3);
  }
  return image;
}

cv::Mat imageView(const Image& image) {
  return cv::Mat(image.height, image.width, CV_8UC3, const_cast<uint8_t*>(image.rgb.data()));
}

}  // namespace avatar::detail
