// Plain image and audio buffers that cross the engine boundary (no OpenCV,
// no FFmpeg types in public headers).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace avatar {

// 8-bit RGB, rows tightly packed (stride = 3 * width).
struct Image {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> rgb;

  bool empty() const { return width <= 0 || height <= 0; }
  const uint8_t* pixel(int x, int y) const { return rgb.data() + (std::size_t(y) * width + x) * 3; }
};

// Mono float samples in [-1,1].
struct AudioSamples {
  int sampleRate = 0;
  std::vector<float> samples;

  double durationSec() const { return sampleRate > 0 ? double(samples.size()) / sampleRate : 0.0; }
};

struct PointF {
  float x = 0;
  float y = 0;
};

struct RectF {
  float x = 0;
  float y = 0;
  float width = 0;
  float height = 0;
};

}  // namespace avatar
