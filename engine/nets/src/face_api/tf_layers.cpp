#include "face_api/tf_layers.h"

#include <limits>

namespace avatar::nets::tf {
namespace F = torch::nn::functional;

namespace {
std::string shapeText(const std::vector<int64_t>& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) s += ',';
    s += std::to_string(shape[i]);
  }
  return s + "]";
}
}  // namespace

bool WeightMap::load(const std::string& manifestPath, std::string* error) {
  path_ = manifestPath;
  std::vector<TfjsWeight> list;
  if (!readTfjsWeights(manifestPath, &list, error)) return false;
  weights_.clear();
  for (TfjsWeight& w : list) {
    std::string name = w.name;
    weights_.emplace(std::move(name), std::move(w));
  }
  return true;
}

torch::Tensor WeightMap::get(const std::string& name, const std::vector<int64_t>& shape) const {
  auto it = weights_.find(name);
  if (it == weights_.end()) {
    throw std::runtime_error(path_ + ": weight \"" + name + "\" is missing (not this net?)");
  }
  if (it->second.shape != shape) {
    throw std::runtime_error(path_ + ": weight \"" + name + "\" has shape " +
                             shapeText(it->second.shape) + ", expected " + shapeText(shape));
  }
  std::vector<float> values = it->second.values;
  return torch::from_blob(values.data(), shape, torch::kFloat32).clone();
}

torch::Tensor WeightMap::conv(const std::string& name, int64_t k, int64_t in, int64_t out) const {
  return get(name, {k, k, in, out}).permute({3, 2, 0, 1}).contiguous();
}

torch::Tensor WeightMap::depthwise(const std::string& name, int64_t k, int64_t channels) const {
  return get(name, {k, k, channels, 1}).permute({2, 3, 0, 1}).contiguous();
}

torch::Tensor padSame(const torch::Tensor& x, int64_t k, int64_t stride, double value) {
  auto amount = [&](int64_t size) {
    const int64_t out = (size + stride - 1) / stride;
    const int64_t total = std::max<int64_t>((out - 1) * stride + k - size, 0);
    return std::pair<int64_t, int64_t>{total / 2, total - total / 2};
  };
  const auto [top, bottom] = amount(x.size(2));
  const auto [left, right] = amount(x.size(3));
  if (top == 0 && bottom == 0 && left == 0 && right == 0) return x;
  return F::pad(x, F::PadFuncOptions({left, right, top, bottom}).value(value));
}

torch::Tensor conv2dSame(const torch::Tensor& x, const torch::Tensor& weight,
                         const torch::Tensor& bias, int64_t stride, int64_t groups) {
  const int64_t k = weight.size(2);
  const int64_t strides[2] = {stride, stride}, zero[2] = {0, 0}, one[2] = {1, 1};
  return torch::conv2d(padSame(x, k, stride), weight, bias, torch::IntArrayRef(strides),
                       torch::IntArrayRef(zero), torch::IntArrayRef(one), groups);
}

torch::Tensor maxPool2Same(const torch::Tensor& x, int64_t stride) {
  const double lowest = -std::numeric_limits<float>::infinity();
  return torch::max_pool2d(padSame(x, 2, stride, lowest), 2, stride);
}

void SeparableConv::load(const WeightMap& w, const std::string& prefix, int64_t in, int64_t out) {
  depthwise = w.depthwise(prefix + "/depthwise_filter", 3, in);
  pointwise = w.conv(prefix + "/pointwise_filter", 1, in, out);
  bias = w.get(prefix + "/bias", {out});
}

torch::Tensor SeparableConv::forwardSame(const torch::Tensor& x, int64_t stride) const {
  torch::Tensor y = conv2dSame(x, depthwise, {}, stride, depthwise.size(0));
  return torch::conv2d(y, pointwise, bias);
}

}  // namespace avatar::nets::tf
