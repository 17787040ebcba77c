// Reads image dimensions and EXIF orientation from the file's bytes, before
// any decoder allocates pixels: a header that claims 30000x30000 is refused
// here, not after a multi-gigabyte allocation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace avatar::detail {

struct ImageHeader {
  std::string format;  // "png", "jpeg", "webp", "bmp", "tiff"; empty when unknown
  int64_t width = 0;   // as stored, before orientation
  int64_t height = 0;
  int orientation = 1;     // EXIF 1..8
  bool truncated = false;  // the data visibly ends early (e.g. JPEG without EOI)
};

// Never throws; unknown or malformed data gives format "" or width/height 0.
ImageHeader parseImageHeader(const uint8_t* data, size_t size);

// Orientation tag (0x0112) from a TIFF-structured block (EXIF payload or a
// TIFF file); 1 when absent or malformed.
int exifOrientationFromTiff(const uint8_t* data, size_t size);

}  // namespace avatar::detail
