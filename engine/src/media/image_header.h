// Reads image dimensions and EXIF orientation from the file's bytes, before
// any decoder allocates pixels: a header that claims 30000x30000 is refused
// here, not after a multi-gigabyte allocation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

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

// A PNG without its iCCP (colour profile) chunks. We assume sRGB, and libpng
// prints warnings about some profiles straight to stderr, which would break
// machine-readable stderr. Returns false (leaving *out empty) if not a PNG.
bool stripPngColourProfile(const uint8_t* data, size_t size, std::vector<uint8_t>* out);

// Orientation tag (0x0112) from a TIFF-structured block (EXIF payload or a
// TIFF file); 1 when absent or malformed.
int exifOrientationFromTiff(const uint8_t* data, size_t size);

}  // namespace avatar::detail
