#include "face_api/net_input.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace avatar::nets::detail {
namespace F = torch::nn::functional;

bool checkView(const RgbView& view, std::string* error) {
  if (!view.data || view.width <= 0 || view.height <= 0) {
    *error = "empty image (" + std::to_string(view.width) + "x" + std::to_string(view.height) + ")";
    return false;
  }
  if (view.strideBytes != 0 && view.strideBytes < 3 * view.width) {
    *error = "row stride " + std::to_string(view.strideBytes) + " is smaller than 3 * width";
    return false;
  }
  return true;
}

torch::Tensor makeInput(const RgbView& view, int x, int y, int w, int h, const InputSpec& spec,
                        InputMapping* mapping) {
  const int64_t stride = view.strideBytes ? view.strideBytes : 3 * int64_t(view.width);
  const torch::Tensor full = torch::from_blob(
      const_cast<uint8_t*>(view.data), {view.height, view.width, 3}, {stride, 3, 1}, torch::kUInt8);
  torch::Tensor crop = full.slice(0, y, y + h)
                           .slice(1, x, x + w)
                           .permute({2, 0, 1})
                           .to(torch::kFloat32)
                           .unsqueeze(0);
  const double scale = double(spec.size) / std::max(w, h);
  const int rw = std::clamp(int(std::lround(w * scale)), 1, spec.size);
  const int rh = std::clamp(int(std::lround(h * scale)), 1, spec.size);
  if (rw != w || rh != h) {
    crop = F::interpolate(crop, F::InterpolateFuncOptions()
                                    .size(std::vector<int64_t>{rh, rw})
                                    .mode(torch::kBilinear)
                                    .align_corners(false)
                                    .antialias(rw < w || rh < h));
  }
  const int offX = spec.centred ? (spec.size - rw) / 2 : 0;
  const int offY = spec.centred ? (spec.size - rh) / 2 : 0;
  torch::Tensor canvas = torch::zeros({1, 3, spec.size, spec.size});
  canvas.slice(2, offY, offY + rh).slice(3, offX, offX + rw).copy_(crop);
  const torch::Tensor mean =
      torch::tensor({spec.mean[0], spec.mean[1], spec.mean[2]}).view({1, 3, 1, 1});
  canvas.sub_(mean).div_(spec.divisor);
  *mapping = InputMapping{
      float(x), float(y), float(offX), float(offY), float(w) / float(rw), float(h) / float(rh)};
  return canvas;
}

namespace {
float iou(const BoxF& a, const BoxF& b) {
  const float w = std::max(0.f, std::min(a.x + a.width, b.x + b.width) - std::max(a.x, b.x));
  const float h = std::max(0.f, std::min(a.y + a.height, b.y + b.height) - std::max(a.y, b.y));
  const float inter = w * h;
  const float uni = a.width * a.height + b.width * b.height - inter;
  return uni > 0 ? inter / uni : 0.f;
}
}  // namespace

std::vector<size_t> nonMaxSuppression(const std::vector<FaceDetection>& boxes, float threshold,
                                      int maxResults) {
  std::vector<size_t> order(boxes.size());
  std::iota(order.begin(), order.end(), size_t(0));
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return boxes[a].score > boxes[b].score; });
  std::vector<size_t> kept;
  for (size_t i : order) {
    if (int(kept.size()) >= maxResults) break;
    bool suppressed = false;
    for (size_t k : kept) {
      if (iou(boxes[i].box, boxes[k].box) > threshold) {
        suppressed = true;
        break;
      }
    }
    if (!suppressed) kept.push_back(i);
  }
  return kept;
}

}  // namespace avatar::nets::detail
