// GFPGANv1Clean forward pass: U-Net encoder -> 16 latents + SFT conditions ->
// StyleGAN2 decoder with modulated convolutions, SFT on the second half of the
// channels after the first conv of each level, stored noise buffers.
//
// Modulated conv, batched without grouped convs: scaling the input channels
// by the style and the output channels by the demodulation factor equals a
// conv with the per-sample modulated weight (official form), so one shared
// conv serves the whole batch. Styles and demodulation stay in float32 under
// fp16 (1e-8 underflows in half).
#include <cmath>

#include "avatar_nets/nets.h"
#include "gfpgan_arch.h"
#include "torch_util.h"

namespace avatar::nets {
namespace {

using detail::leaky;
using detail::resize2x;

}  // namespace

struct GfpganNet::Impl {
  NetOptions options;
  torch::Device device{torch::kCPU};
  torch::ScalarType dtype = torch::kFloat;
  detail::TensorMap p;    // compute dtype, on device
  detail::TensorMap mod;  // float32 on device: modulation weights, squared conv weights

  const torch::Tensor& P(const std::string& k) const { return p.at(k); }

  torch::Tensor conv(const torch::Tensor& x, const std::string& k, int pad,
                     bool bias = true) const {
    return torch::conv2d(x, P(k + ".weight"), bias ? P(k + ".bias") : torch::Tensor(), 1, pad);
  }

  torch::Tensor resBlock(const torch::Tensor& x, const std::string& k, bool up) const {
    torch::Tensor out = leaky(conv(x, k + ".conv1", 1));
    out = leaky(conv(resize2x(out, up), k + ".conv2", 1));
    return out + conv(resize2x(x, up), k + ".skip", 0, false);
  }

  // style: (B, 512) float32.
  torch::Tensor modConv(torch::Tensor x, const torch::Tensor& style, const std::string& k,
                        bool demodulate, bool upsample) const {
    const std::string m = k + ".modulated_conv";
    const torch::Tensor s = torch::addmm(mod.at(m + ".modulation.bias"), style,
                                         mod.at(m + ".modulation.weight").t());  // (B, in)
    if (upsample) x = resize2x(x, true);
    const torch::Tensor& w = P(m + ".weight");  // (out, in, k, k)
    torch::Tensor out = torch::conv2d(x * s.to(dtype).unsqueeze(-1).unsqueeze(-1), w,
                                      torch::Tensor(), 1, w.size(-1) / 2);
    if (demodulate) {
      const torch::Tensor d = torch::rsqrt(torch::mm(s.square(), mod.at(m + ".wsq").t()) + 1e-8);
      out = out * d.to(dtype).unsqueeze(-1).unsqueeze(-1);
    }
    return out;
  }

  torch::Tensor styleConv(const torch::Tensor& x, const torch::Tensor& style, const std::string& k,
                          const torch::Tensor& noise, bool upsample) const {
    torch::Tensor out = modConv(x, style, k, true, upsample) * std::sqrt(2.0);
    out = out + P(k + ".weight") * noise + P(k + ".bias");
    return leaky(out);
  }

  torch::Tensor toRgb(const torch::Tensor& x, const torch::Tensor& style, const std::string& k,
                      const torch::Tensor& skip) const {
    torch::Tensor out = modConv(x, style, k, false, false) + P(k + ".bias");
    return skip.defined() ? out + resize2x(skip, true) : out;
  }

  torch::Tensor forward(const torch::Tensor& x) const {
    using namespace detail;
    const int64_t b = x.size(0);
    torch::Tensor feat = leaky(conv(x, "conv_body_first", 0));
    std::vector<torch::Tensor> skips;
    for (int i = 0; i < kGfpLevels; ++i) {
      feat = resBlock(feat, "conv_body_down." + std::to_string(i), false);
      skips.insert(skips.begin(), feat);
    }
    feat = leaky(conv(feat, "final_conv", 1));
    const torch::Tensor latent =
        torch::addmm(P("final_linear.bias"), feat.reshape({b, -1}), P("final_linear.weight").t())
            .to(torch::kFloat)
            .view({b, kGfpLatents, kGfpStyleDim});
    std::vector<torch::Tensor> scales, shifts;
    for (int i = 0; i < kGfpLevels; ++i) {
      feat = resBlock(feat + skips[size_t(i)], "conv_body_up." + std::to_string(i), true);
      const std::string si = std::to_string(i);
      scales.push_back(conv(leaky(conv(feat, "condition_scale." + si + ".0", 1)),
                            "condition_scale." + si + ".2", 1));
      shifts.push_back(conv(leaky(conv(feat, "condition_shift." + si + ".0", 1)),
                            "condition_shift." + si + ".2", 1));
    }
    const std::string d = "stylegan_decoder.";
    auto noise = [&](int i) -> const torch::Tensor& {
      return P(d + "noises.noise" + std::to_string(i));
    };
    torch::Tensor out = P(d + "constant_input.weight").expand({b, -1, -1, -1});
    out = styleConv(out, latent.select(1, 0), d + "style_conv1", noise(0), false);
    torch::Tensor skip = toRgb(out, latent.select(1, 1), d + "to_rgb1", torch::Tensor());
    for (int l = 0, i = 1; l < kGfpLevels; ++l, i += 2) {
      out = styleConv(out, latent.select(1, i), d + "style_convs." + std::to_string(2 * l),
                      noise(2 * l + 1), true);
      const int64_t half = out.size(1) / 2;
      out = torch::cat({out.narrow(1, 0, half),
                        out.narrow(1, half, half) * scales[size_t(l)] + shifts[size_t(l)]},
                       1);
      out = styleConv(out, latent.select(1, i + 1), d + "style_convs." + std::to_string(2 * l + 1),
                      noise(2 * l + 2), false);
      skip = toRgb(out, latent.select(1, i + 2), d + "to_rgbs." + std::to_string(l), skip);
    }
    return skip;
  }
};

GfpganNet::GfpganNet(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
GfpganNet::~GfpganNet() = default;

const NetOptions& GfpganNet::options() const {
  return impl_->options;
}

NetStatus GfpganNet::load(const std::string& path, const NetOptions& options,
                          std::unique_ptr<GfpganNet>* out) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  if (NetStatus s = detail::resolveDevice(options, &impl->device, &impl->dtype); !s) return s;
  detail::TensorMap p;
  if (NetStatus s = detail::loadWeights(path, NetKind::Gfpgan, &p); !s) return s;
  return detail::guarded(path, [&] {
    torch::NoGradGuard noGrad;
    const std::string suffix = ".modulated_conv.weight";
    for (auto& [name, t] : p) {
      const bool isModConv = name.size() > suffix.size() &&
                             name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
      if (isModConv) {
        const std::string base = name.substr(0, name.size() - std::string(".weight").size());
        torch::Tensor w = t.squeeze(0);  // (out, in, k, k)
        impl->mod[base + ".wsq"] = w.square().sum({2, 3}).to(impl->device);
        impl->p[name] = w.to(impl->device, impl->dtype).contiguous();
      } else if (name.find(".modulation.") != std::string::npos) {
        impl->mod[name] = t.to(impl->device);
      } else if (name.rfind("stylegan_decoder.style_mlp.", 0) == 0) {
        continue;  // present in the checkpoint, unused: the input is already latent
      } else if (name.rfind("toRGB.", 0) == 0) {
        continue;  // intermediate RGB outputs for training losses only
      } else {
        impl->p[name] = t.to(impl->device, impl->dtype).contiguous();
      }
    }
    if (impl->device.is_cuda()) at::globalContext().setBenchmarkCuDNN(true);
    out->reset(new GfpganNet(std::move(impl)));
    return NetStatus::ok();
  });
}

NetStatus GfpganNet::run(int batch, const float* image, float* out) const {
  if (batch < 1) {
    return NetStatus::error(NetError::InvalidArgument, "batch",
                            "must be at least 1, got " + std::to_string(batch));
  }
  if (NetStatus s = detail::checkInput("image", image, size_t(batch) * 3 * kSize * kSize); !s) {
    return s;
  }
  if (!out) return NetStatus::error(NetError::InvalidArgument, "out", "no output buffer");
  return detail::guarded("gfpgan", [&] {
    c10::InferenceMode inference;
    const Impl& m = *impl_;
    torch::Tensor x = detail::toDevice(image, {batch, 3, kSize, kSize}, m.device, m.dtype);
    detail::toHost(m.forward(x), out);
    return NetStatus::ok();
  });
}

}  // namespace avatar::nets
