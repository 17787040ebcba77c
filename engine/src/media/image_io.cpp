// Still images: header checks, OpenCV decoding, EXIF orientation, conversion
// to 8-bit RGB.
#include <filesystem>
#include <fstream>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/core/utils/logger.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "avatar/media.h"
#include "media/image_header.h"
#include "media/image_ops.h"
#include "media/input_checks.h"

namespace avatar {
namespace {

constexpr int64_t kMaxImageFileBytes = 512LL * 1024 * 1024;

Status readFile(const std::string& path, std::vector<uint8_t>* bytes) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return Status::error(ErrorCode::InputNotReadable, path, ec.message());
  if (int64_t(size) > kMaxImageFileBytes) {
    return Status::error(ErrorCode::ImageTooLarge, path, "image file is larger than 512 MB");
  }
  std::ifstream in(path, std::ios::binary);
  bytes->resize(size);
  if (!in.read(reinterpret_cast<char*>(bytes->data()), std::streamsize(size))) {
    return Status::error(ErrorCode::InputNotReadable, path, "could not read the photo file");
  }
  return Status::ok();
}

Status checkHeader(const std::string& path, const detail::ImageHeader& h) {
  if (h.format.empty()) {
    return Status::error(ErrorCode::UnsupportedMedia, path,
                         "not a supported image (png, jpeg, webp, bmp or tiff)");
  }
  if (h.width <= 0 || h.height <= 0) {
    return Status::error(ErrorCode::UnsupportedMedia, path,
                         "corrupt " + h.format + " image: no valid dimensions in its header");
  }
  if (h.width > kMaxImageSidePx || h.height > kMaxImageSidePx ||
      h.width * h.height > kMaxImagePixels) {
    return Status::error(ErrorCode::ImageTooLarge, path,
                         "image is " + std::to_string(h.width) + "x" + std::to_string(h.height) +
                             " pixels; the limit is " + std::to_string(kMaxImageSidePx) +
                             " per side and " + std::to_string(kMaxImagePixels / 1000000) +
                             " megapixels");
  }
  if (h.truncated) {
    return Status::error(ErrorCode::UnsupportedMedia, path,
                         "truncated " + h.format + " image: the file ends before the image does");
  }
  return Status::ok();
}

void fillInfo(const detail::ImageHeader& h, const cv::Mat* decoded, ImageInfo* info) {
  if (!info) return;
  const bool swap = h.orientation >= 5;
  info->format = h.format;
  info->exifOrientation = h.orientation;
  info->width = int(swap ? h.height : h.width);
  info->height = int(swap ? h.width : h.height);
  if (decoded) {
    info->channels = decoded->channels();
    info->bitsPerChannel = decoded->depth() == CV_16U ? 16 : 8;
  }
}

}  // namespace

Status probeImage(const std::string& path, ImageInfo* info) {
  if (Status s = detail::checkInputFile(path, "photo"); !s) return s;
  std::vector<uint8_t> head(std::min<uintmax_t>(std::filesystem::file_size(path), 4 << 20));
  std::ifstream in(path, std::ios::binary);
  in.read(reinterpret_cast<char*>(head.data()), std::streamsize(head.size()));
  detail::ImageHeader h = detail::parseImageHeader(head.data(), size_t(in.gcount()));
  h.truncated = false;  // only a full read can tell
  if (Status s = checkHeader(path, h); !s) return s;
  fillInfo(h, nullptr, info);
  return Status::ok();
}

Status loadImage(const std::string& path, Image* out, ImageInfo* info, uint32_t backgroundRgb) {
  if (Status s = detail::checkInputFile(path, "photo"); !s) return s;
  std::vector<uint8_t> bytes;
  if (Status s = readFile(path, &bytes); !s) return s;
  const detail::ImageHeader h = detail::parseImageHeader(bytes.data(), bytes.size());
  if (Status s = checkHeader(path, h); !s) return s;

  cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT);
  if (h.format == "png") {
    std::vector<uint8_t> stripped;
    if (detail::stripPngColourProfile(bytes.data(), bytes.size(), &stripped)) bytes.swap(stripped);
  }
  cv::Mat decoded;
  try {
    decoded = cv::imdecode(bytes, cv::IMREAD_UNCHANGED);
  } catch (const cv::Exception& e) {
    return Status::error(ErrorCode::UnsupportedMedia, path,
                         "corrupt " + h.format + " image: " + e.what());
  }
  if (decoded.empty()) {
    return Status::error(ErrorCode::UnsupportedMedia, path,
                         "corrupt or truncated " + h.format + " image: the decoder failed");
  }
  cv::Mat rgb = detail::toRgb8(decoded, backgroundRgb);
  rgb = detail::applyExifOrientation(rgb, h.orientation);
  fillInfo(h, &decoded, info);
  *out = detail::toImage(rgb);
  return Status::ok();
}

}  // namespace avatar
