// TensorFlow-style layers on LibTorch for the face-api nets: weights in TF
// layouts converted once at load time, and TF 'same' padding (which puts the
// odd extra pixel at the bottom/right, unlike torch's symmetric padding).
#pragma once

#include <torch/torch.h>

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "avatar_nets/tfjs_weights.h"

namespace avatar::nets::tf {

// Named tensors of one manifest; get() throws std::runtime_error naming the
// manifest and the weight when a name or shape does not match.
class WeightMap {
 public:
  bool load(const std::string& manifestPath, std::string* error);
  bool has(const std::string& name) const { return weights_.count(name) != 0; }
  // The raw tensor in TF layout, checked against `shape`.
  torch::Tensor get(const std::string& name, const std::vector<int64_t>& shape) const;
  // conv [kh, kw, in, out] -> [out, in, kh, kw]
  torch::Tensor conv(const std::string& name, int64_t k, int64_t in, int64_t out) const;
  // depthwise [kh, kw, in, 1] -> [in, 1, kh, kw] (groups = in)
  torch::Tensor depthwise(const std::string& name, int64_t k, int64_t channels) const;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::map<std::string, TfjsWeight> weights_;
};

// Pads `x` (NCHW) as TF 'same' would for a k x k window with `stride`.
torch::Tensor padSame(const torch::Tensor& x, int64_t k, int64_t stride, double value = 0);

// conv2d with TF 'same' padding (weight [out, in/groups, k, k]).
torch::Tensor conv2dSame(const torch::Tensor& x, const torch::Tensor& weight,
                         const torch::Tensor& bias, int64_t stride, int64_t groups = 1);

// Max pool 2x2 with TF 'same' padding (padded cells never win).
torch::Tensor maxPool2Same(const torch::Tensor& x, int64_t stride);

// Separable conv: depthwise (no bias) then pointwise + bias, TF 'same'.
struct SeparableConv {
  torch::Tensor depthwise, pointwise, bias;
  void load(const WeightMap& w, const std::string& prefix, int64_t in, int64_t out);
  torch::Tensor forwardSame(const torch::Tensor& x, int64_t stride) const;
};

}  // namespace avatar::nets::tf
