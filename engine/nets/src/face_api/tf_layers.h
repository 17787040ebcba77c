// TensorFlow-style layers on LibTorch for the face-api nets: weights in TF
// layouts converted once at load time, and TF 'same' padding (which puts the
// odd extra pixel at the bottom/right, unlike torch's symmetric padding).
#pragma once

#include <torch/torch.h>

#include <map>
#include <memory>
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

// Plain conv2d (symmetric `padding`). Goes through oneDNN directly when
// LibTorch has it: LibTorch 1.13 uses oneDNN for 1x1 convolutions only with
// more than one intra-op thread and otherwise falls back to its generic BLAS
// (Debian's build: about 16x slower).
torch::Tensor conv2d(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias,
                     int64_t stride = 1, int64_t padding = 0, int64_t groups = 1);

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

// Builds a net of type Net from a tfjs manifest: reads the weights, lets
// Net::load(WeightMap&) consume them, and turns any failure into nullptr plus
// "<what>: <reason>" in *error.
template <typename Net>
std::unique_ptr<Net> loadFromManifest(const char* what, const std::string& manifestPath,
                                      std::string* error) {
  auto net = std::make_unique<Net>();
  try {
    WeightMap w;
    if (!w.load(manifestPath, error)) return nullptr;
    net->load(w);
  } catch (const std::exception& e) {
    *error = std::string(what) + ": " + e.what();
    return nullptr;
  }
  return net;
}

}  // namespace avatar::nets::tf
