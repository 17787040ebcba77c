// FOMM building blocks on LibTorch (internal): convolutions with their eval
// BatchNorm folded in, the hourglass, the anti-alias downsample and the
// [-1,1] coordinate grid of modules/util.py.
#pragma once

#include <vector>

#include "fomm_arch.h"
#include "torch_util.h"

namespace avatar::nets::detail {

// A conv with its BatchNorm (eval: running statistics) folded in:
// y = conv(x, w * g/sqrt(v+eps)) + (b - m) * g/sqrt(v+eps) + beta.
struct FommFolded {
  FommConv spec;
  torch::Tensor weight, bias;
  torch::Tensor apply(const torch::Tensor& x) const;  // conv (+ folded BN), no activation
};

// BatchNorm as an affine map, for the pre-activation norm1 of a ResBlock2d.
struct FommAffine {
  torch::Tensor scale, shift;  // (1, C, 1, 1)
  torch::Tensor apply(const torch::Tensor& x) const { return torch::addcmul(shift, x, scale); }
};

FommFolded foldConv(const FommConv& c, const TensorMap& p, torch::Device d, torch::ScalarType t);
FommAffine foldNorm(const std::string& norm, const TensorMap& p, torch::Device d,
                    torch::ScalarType t);

struct FommHourglassNet {
  std::vector<FommFolded> down, up;
  torch::Tensor forward(const torch::Tensor& x) const;
};

FommHourglassNet foldHourglass(const FommHourglass& h, const TensorMap& p, torch::Device d,
                               torch::ScalarType t);

// DownBlock2d: conv BN ReLU avgpool 2. UpBlock2d: nearest x2, conv BN ReLU.
torch::Tensor downBlock(const FommFolded& f, const torch::Tensor& x);
torch::Tensor upBlock(const FommFolded& f, const torch::Tensor& x);

// AntiAliasInterpolation2d(3, 0.25): zero pad 6, depthwise 13x13 Gaussian,
// every 4th pixel (a stride-4 conv reads the same samples).
torch::Tensor antiAliasDown(const torch::Tensor& x, const torch::Tensor& weight);

// make_coordinate_grid: (h, w, 2) float32, x then y, each 2 * i / (n - 1) - 1.
torch::Tensor coordinateGrid(int64_t h, int64_t w, torch::Device d);

// Bilinear grid_sample, zero padding (F.grid_sample's defaults).
torch::Tensor gridSample(const torch::Tensor& x, const torch::Tensor& grid, bool alignCorners);

}  // namespace avatar::nets::detail
