// libFuzzer target for the image header and EXIF parser, which reads photo
// bytes before any decoder does (it is what refuses a PNG claiming
// 30000x30000). Results stay in range whatever the bytes.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "fuzz_util.h"
#include "media/image_header.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const avatar::detail::ImageHeader h = avatar::detail::parseImageHeader(data, size);
  FUZZ_REQUIRE(h.width >= 0 && h.height >= 0);
  FUZZ_REQUIRE(h.orientation >= 1 && h.orientation <= 8);
  const int o = avatar::detail::exifOrientationFromTiff(data, size);
  FUZZ_REQUIRE(o >= 1 && o <= 8);
  std::vector<uint8_t> stripped;
  if (avatar::detail::stripPngColourProfile(data, size, &stripped)) {
    FUZZ_REQUIRE(stripped.size() <= size);
  } else {
    FUZZ_REQUIRE(stripped.empty());
  }
  return 0;
}
