// Turning caller RGB buffers into face-api net inputs: crop, scale the longer
// side to the net size, zero-pad to a square, normalise (x - mean) / divisor.
#pragma once

#include <torch/torch.h>

#include <array>
#include <string>
#include <vector>

#include "avatar_nets/face_api.h"

namespace avatar::nets::detail {

// Where the crop landed in the square input: net pixel u maps back to image
// x = cropX + (u - offsetX) * scaleX (same for y).
struct InputMapping {
  float cropX = 0, cropY = 0;
  float offsetX = 0, offsetY = 0;
  float scaleX = 1, scaleY = 1;
  float toImageX(float u) const { return cropX + (u - offsetX) * scaleX; }
  float toImageY(float v) const { return cropY + (v - offsetY) * scaleY; }
};

struct InputSpec {
  int size = 0;                 // square side of the net input
  bool centred = false;         // pad both sides (landmarks) or bottom/right (detectors)
  std::array<float, 3> mean{};  // per RGB channel, in 0..255 units
  float divisor = 1;
};

// Checks the view: non-null, positive size, stride large enough.
bool checkView(const RgbView& view, std::string* error);

// [1, 3, size, size] float input for the integer rect (x, y, w, h), which
// must lie inside the image.
torch::Tensor makeInput(const RgbView& view, int x, int y, int w, int h, const InputSpec& spec,
                        InputMapping* mapping);

// Greedy non-maximum suppression: indices into `boxes` of the kept ones,
// best score first.
std::vector<size_t> nonMaxSuppression(const std::vector<FaceDetection>& boxes, float iou,
                                      int maxResults);

// Runs `body` and turns any exception into false + "<what>: <message>".
template <typename Body>
bool guarded(const char* what, std::string* error, Body&& body) {
  try {
    return body();
  } catch (const std::exception& e) {
    *error = std::string(what) + ": " + e.what();
    return false;
  }
}

}  // namespace avatar::nets::detail
