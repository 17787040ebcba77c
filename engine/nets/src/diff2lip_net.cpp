// Diff2Lip's TFGModel forward pass: guided-diffusion ResBlocks (GroupNorm 32,
// SiLU, timestep embedding added between the convs, resblock up/down),
// legacy-order QKV attention (heads split before q/k/v), the audio encoder
// whose style is added to the time embedding. Under fp16 the convolutions of
// the torso and the audio encoder run in half; GroupNorm, softmax, the
// linears and the output layer in float32, as the official convert_to_fp16.
#include <cmath>

#include "diff2lip_unet.h"

namespace avatar::nets {
namespace {

using detail::D2LLayer;
using detail::D2LStage;
using Kind = D2LLayer::Kind;

// Which tensors stay float32 under fp16: norms, linears, the output layer
// (everything but the convolutions of the torso and the audio encoder).
bool staysFloat32(const std::string& k) {
  for (const char* part :
       {".in_layers.0.", ".out_layers.0.", ".norm.", ".emb_layers.", "time_embed.",
        "audio_encoder.input_block.1.", "audio_encoder_to_style.0."}) {
    if (k.find(part) != std::string::npos) return true;
  }
  return k.rfind("out.", 0) == 0;
}

}  // namespace

torch::Tensor timestepEmbedding(const torch::Tensor& t, int dim) {
  const int half = dim / 2;
  const torch::Tensor freqs =
      torch::exp(-std::log(10000.0) *
                 torch::arange(0, half, torch::TensorOptions().dtype(torch::kFloat)) / half)
          .to(t.device());
  const torch::Tensor args = t.to(torch::kFloat).unsqueeze(1) * freqs.unsqueeze(0);
  return torch::cat({torch::cos(args), torch::sin(args)}, -1);
}

torch::Tensor Diff2LipNet::Impl::groupNorm(const torch::Tensor& x, const std::string& k) const {
  return torch::group_norm(x.to(torch::kFloat), 32, P(k + ".weight"), P(k + ".bias"), 1e-5)
      .to(x.scalar_type());
}

torch::Tensor Diff2LipNet::Impl::linear(const torch::Tensor& x, const std::string& k) const {
  return torch::addmm(P(k + ".bias"), x, P(k + ".weight").t());
}

torch::Tensor Diff2LipNet::Impl::res(const D2LLayer& l, torch::Tensor x,
                                     const torch::Tensor& emb) const {
  const std::string& k = l.prefix;
  torch::Tensor h = torch::silu(groupNorm(x, k + ".in_layers.0"));
  if (l.updown < 0) {
    h = torch::avg_pool2d(h, {l.strideH, l.strideW}, {l.strideH, l.strideW});
    x = torch::avg_pool2d(x, {l.strideH, l.strideW}, {l.strideH, l.strideW});
  } else if (l.updown > 0) {
    h = torch::upsample_nearest2d(h, {h.size(2) * 2, h.size(3) * 2});
    x = torch::upsample_nearest2d(x, {x.size(2) * 2, x.size(3) * 2});
  }
  h = torch::conv2d(h, P(k + ".in_layers.2.weight"), P(k + ".in_layers.2.bias"), 1, 1);
  const torch::Tensor e = linear(torch::silu(emb), k + ".emb_layers.1").to(h.scalar_type());
  h = h + e.unsqueeze(-1).unsqueeze(-1);
  h = torch::silu(groupNorm(h, k + ".out_layers.0"));
  h = torch::conv2d(h, P(k + ".out_layers.3.weight"), P(k + ".out_layers.3.bias"), 1, 1);
  if (l.cin != l.cout) {
    x = torch::conv2d(x, P(k + ".skip_connection.weight"), P(k + ".skip_connection.bias"));
  }
  return x + h;
}

torch::Tensor Diff2LipNet::Impl::attention(const D2LLayer& l, const torch::Tensor& x) const {
  const std::string& k = l.prefix;
  const int64_t b = x.size(0), c = x.size(1), len = x.size(2) * x.size(3);
  const torch::Tensor flat = x.reshape({b, c, len});
  const torch::Tensor qkv =
      torch::conv1d(groupNorm(flat, k + ".norm"), P(k + ".qkv.weight"), P(k + ".qkv.bias"));
  // Legacy order: heads first, then q, k, v within each head.
  const int64_t ch = c / l.heads;
  const auto parts = qkv.reshape({b * l.heads, 3 * ch, len}).split(ch, 1);
  const double scale = 1.0 / std::sqrt(std::sqrt(double(ch)));
  torch::Tensor w = torch::bmm((parts[0] * scale).transpose(1, 2), parts[1] * scale);
  w = torch::softmax(w.to(torch::kFloat), -1).to(x.scalar_type());
  const torch::Tensor a = torch::bmm(parts[2], w.transpose(1, 2)).reshape({b, c, len});
  const torch::Tensor h = torch::conv1d(a, P(k + ".proj_out.weight"), P(k + ".proj_out.bias"));
  return (flat + h).reshape(x.sizes());
}

torch::Tensor Diff2LipNet::Impl::stage(const D2LStage& s, torch::Tensor x,
                                       const torch::Tensor& emb) const {
  for (const D2LLayer& l : s) {
    switch (l.kind) {
      case Kind::Conv:
        x = torch::conv2d(x, P(l.prefix + ".weight"), P(l.prefix + ".bias"), 1, 1);
        break;
      case Kind::Res:
        x = res(l, x, emb);
        break;
      case Kind::Attn:
        x = attention(l, x);
        break;
    }
  }
  return x;
}

torch::Tensor Diff2LipNet::Impl::audioStyle(const torch::Tensor& mel) const {
  const auto& a = detail::diff2lipArch();
  const int64_t b = mel.size(0);
  torch::Tensor h = torch::conv1d(mel.to(dtype), P("audio_encoder.input_block.0.weight"),
                                  P("audio_encoder.input_block.0.bias"), 1, 1);
  h = torch::silu(groupNorm(h, "audio_encoder.input_block.1"));
  h = h.reshape({b, 1, h.size(1), h.size(2)});
  const torch::Tensor emb = audioEmb.expand({b, -1});
  for (const auto& s : a.audioEncoder) h = stage(s, h, emb);
  h = stage(a.audioMiddle, h, emb);
  h = torch::silu(groupNorm(h, "audio_encoder_to_style.0"));
  h = torch::adaptive_avg_pool2d(h, {1, 1});
  h = torch::conv2d(h, P("audio_encoder_to_style.3.weight"), P("audio_encoder_to_style.3.bias"));
  return h.flatten(1);
}

torch::Tensor Diff2LipNet::Impl::modelInput(const torch::Tensor& x, const torch::Tensor& cond,
                                            const torch::Tensor& mask, const torch::Tensor& ref) {
  return torch::cat({x * mask + (1.0 - mask) * cond, cond, ref}, 1);
}

torch::Tensor Diff2LipNet::Impl::unet(const torch::Tensor& input, const torch::Tensor& t,
                                      const torch::Tensor& style) const {
  const auto& a = detail::diff2lipArch();
  torch::Tensor emb = linear(timestepEmbedding(t, a.modelChannels), "time_embed.0");
  emb = linear(torch::silu(emb), "time_embed.2") + style.to(torch::kFloat);
  std::vector<torch::Tensor> skips;
  torch::Tensor h = input.to(dtype);
  for (const auto& s : a.input) {
    h = stage(s, h, emb);
    skips.push_back(h);
  }
  h = stage(a.middle, h, emb);
  for (const auto& s : a.output) {
    h = stage(s, torch::cat({h, skips.back()}, 1), emb);
    skips.pop_back();
  }
  h = torch::silu(groupNorm(h.to(torch::kFloat), "out.0"));
  return torch::conv2d(h, P("out.2.weight"), P("out.2.bias"), 1, 1);
}

Diff2LipNet::Diff2LipNet(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Diff2LipNet::~Diff2LipNet() = default;

const NetOptions& Diff2LipNet::options() const {
  return impl_->options;
}

NetStatus Diff2LipNet::load(const std::string& path, const NetOptions& options,
                            std::unique_ptr<Diff2LipNet>* out) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  if (NetStatus s = detail::resolveDevice(options, &impl->device, &impl->dtype); !s) return s;
  detail::TensorMap p;
  if (NetStatus s = detail::loadWeights(path, NetKind::Diff2Lip, &p); !s) return s;
  return detail::guarded(path, [&] {
    torch::NoGradGuard noGrad;
    for (auto& [name, t] : p) {
      const torch::ScalarType d = staysFloat32(name) ? torch::kFloat : impl->dtype;
      impl->p[name] = t.to(impl->device, d).contiguous();
    }
    p.clear();
    Impl& m = *impl;
    const torch::Tensor t0 = torch::zeros({1}, torch::TensorOptions().dtype(torch::kLong));
    torch::Tensor e = timestepEmbedding(t0.to(m.device), detail::diff2lipArch().audioChannels);
    e = m.linear(torch::silu(m.linear(e, "audio_encoder.time_embed.0")),
                 "audio_encoder.time_embed.2");
    m.audioEmb = e;
    if (m.device.is_cuda()) at::globalContext().setBenchmarkCuDNN(true);
    out->reset(new Diff2LipNet(std::move(impl)));
    return NetStatus::ok();
  });
}

}  // namespace avatar::nets
