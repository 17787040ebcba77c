#include "fomm_blocks.h"

namespace avatar::nets::detail {
namespace {

constexpr double kBnEps = 1e-5;

}  // namespace

torch::Tensor FommFolded::apply(const torch::Tensor& x) const {
  return torch::conv2d(x, weight, bias, 1, spec.pad);
}

FommFolded foldConv(const FommConv& c, const TensorMap& p, torch::Device d, torch::ScalarType t) {
  FommFolded f;
  f.spec = c;
  torch::Tensor w = p.at(c.conv + ".weight");
  torch::Tensor b = p.at(c.conv + ".bias");
  if (!c.norm.empty()) {
    const torch::Tensor scale =
        p.at(c.norm + ".weight") / torch::sqrt(p.at(c.norm + ".running_var") + kBnEps);
    w = w * scale.view({-1, 1, 1, 1});
    b = (b - p.at(c.norm + ".running_mean")) * scale + p.at(c.norm + ".bias");
  }
  f.weight = w.to(d, t).contiguous();
  f.bias = b.to(d, t).contiguous();
  return f;
}

FommAffine foldNorm(const std::string& norm, const TensorMap& p, torch::Device d,
                    torch::ScalarType t) {
  const torch::Tensor scale =
      p.at(norm + ".weight") / torch::sqrt(p.at(norm + ".running_var") + kBnEps);
  const torch::Tensor shift = p.at(norm + ".bias") - p.at(norm + ".running_mean") * scale;
  return {scale.view({1, -1, 1, 1}).to(d, t), shift.view({1, -1, 1, 1}).to(d, t)};
}

torch::Tensor downBlock(const FommFolded& f, const torch::Tensor& x) {
  return torch::avg_pool2d(f.apply(x).relu_(), 2);
}

torch::Tensor upBlock(const FommFolded& f, const torch::Tensor& x) {
  return f.apply(torch::upsample_nearest2d(x, {x.size(2) * 2, x.size(3) * 2})).relu_();
}

FommHourglassNet foldHourglass(const FommHourglass& h, const TensorMap& p, torch::Device d,
                               torch::ScalarType t) {
  FommHourglassNet n;
  for (const auto& c : h.down) n.down.push_back(foldConv(c, p, d, t));
  for (const auto& c : h.up) n.up.push_back(foldConv(c, p, d, t));
  return n;
}

torch::Tensor FommHourglassNet::forward(const torch::Tensor& x) const {
  std::vector<torch::Tensor> outs{x};
  for (const auto& b : down) outs.push_back(downBlock(b, outs.back()));
  torch::Tensor out = outs.back();
  outs.pop_back();
  for (const auto& b : up) {
    out = torch::cat({upBlock(b, out), outs.back()}, 1);
    outs.pop_back();
  }
  return out;
}

torch::Tensor antiAliasDown(const torch::Tensor& x, const torch::Tensor& weight) {
  return torch::conv2d(x, weight, {}, kFommDownStride, kFommDownKernel / 2, 1, x.size(1));
}

torch::Tensor coordinateGrid(int64_t h, int64_t w, torch::Device d) {
  const auto o = torch::TensorOptions().dtype(torch::kFloat).device(d);
  const torch::Tensor x = 2 * (torch::arange(w, o) / double(w - 1)) - 1;
  const torch::Tensor y = 2 * (torch::arange(h, o) / double(h - 1)) - 1;
  return torch::stack({x.view({1, w}).expand({h, w}), y.view({h, 1}).expand({h, w})}, 2);
}

torch::Tensor gridSample(const torch::Tensor& x, const torch::Tensor& grid, bool alignCorners) {
  return torch::grid_sampler(x, grid, /*bilinear*/ 0, /*zeros*/ 0, alignCorners);
}

}  // namespace avatar::nets::detail
