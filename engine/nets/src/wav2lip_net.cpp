// Wav2Lip forward pass. BatchNorm (eval mode) is folded into each conv at
// load time: y = conv(x, w * g/sqrt(v+eps)) + (b - m) * g/sqrt(v+eps) + beta.
#include "avatar_nets/nets.h"
#include "torch_util.h"
#include "wav2lip_arch.h"

namespace avatar::nets {
namespace {

using detail::W2LBlock;

constexpr double kBnEps = 1e-5;

struct FusedBlock {
  W2LBlock spec;
  torch::Tensor weight, bias;
};

FusedBlock fuse(const W2LBlock& b, const detail::TensorMap& p, torch::Device device,
                torch::ScalarType dtype) {
  const std::string c = b.prefix + ".conv_block.0.";
  const std::string n = b.prefix + ".conv_block.1.";
  const torch::Tensor scale = p.at(n + "weight") / torch::sqrt(p.at(n + "running_var") + kBnEps);
  const torch::Tensor w = p.at(c + "weight");
  FusedBlock f;
  f.spec = b;
  // Conv weight is (out, in, k, k); transposed conv weight is (in, out, k, k).
  f.weight = b.transposed ? w * scale.view({1, -1, 1, 1}) : w * scale.view({-1, 1, 1, 1});
  f.bias = (p.at(c + "bias") - p.at(n + "running_mean")) * scale + p.at(n + "bias");
  f.weight = f.weight.to(device, dtype).contiguous();
  f.bias = f.bias.to(device, dtype).contiguous();
  return f;
}

torch::Tensor apply(const FusedBlock& f, const torch::Tensor& x) {
  const W2LBlock& b = f.spec;
  torch::Tensor y =
      b.transposed ? torch::conv_transpose2d(x, f.weight, f.bias, {b.strideH, b.strideW},
                                             {b.pad, b.pad}, {b.outputPad, b.outputPad})
                   : torch::conv2d(x, f.weight, f.bias, {b.strideH, b.strideW}, {b.pad, b.pad});
  if (b.residual) y.add_(x);
  return y.relu_();
}

}  // namespace

struct Wav2LipNet::Impl {
  NetOptions options;
  torch::Device device{torch::kCPU};
  torch::ScalarType dtype = torch::kFloat;
  std::vector<std::vector<FusedBlock>> encoder, decoder;
  std::vector<FusedBlock> audio;
  FusedBlock outputBlock;
  torch::Tensor outWeight, outBias;

  torch::Tensor forward(const torch::Tensor& mel, const torch::Tensor& face) const {
    torch::Tensor x = mel;
    for (const auto& b : audio) x = apply(b, x);
    std::vector<torch::Tensor> skips;
    torch::Tensor f = face;
    for (const auto& stage : encoder) {
      for (const auto& b : stage) f = apply(b, f);
      skips.push_back(f);
    }
    for (const auto& stage : decoder) {
      for (const auto& b : stage) x = apply(b, x);
      x = torch::cat({x, skips.back()}, 1);
      skips.pop_back();
    }
    x = apply(outputBlock, x);
    return torch::sigmoid(torch::conv2d(x, outWeight, outBias));
  }
};

Wav2LipNet::Wav2LipNet(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Wav2LipNet::~Wav2LipNet() = default;

const NetOptions& Wav2LipNet::options() const {
  return impl_->options;
}

NetStatus Wav2LipNet::load(const std::string& path, const NetOptions& options,
                           std::unique_ptr<Wav2LipNet>* out) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  if (NetStatus s = detail::resolveDevice(options, &impl->device, &impl->dtype); !s) return s;
  detail::TensorMap p;
  if (NetStatus s = detail::loadWeights(path, NetKind::Wav2Lip, &p); !s) return s;
  return detail::guarded(path, [&] {
    torch::NoGradGuard noGrad;
    const auto& a = detail::wav2lipArch();
    for (const auto& stage : a.faceEncoder) {
      impl->encoder.emplace_back();
      for (const auto& b : stage)
        impl->encoder.back().push_back(fuse(b, p, impl->device, impl->dtype));
    }
    for (const auto& b : a.audioEncoder)
      impl->audio.push_back(fuse(b, p, impl->device, impl->dtype));
    for (const auto& stage : a.faceDecoder) {
      impl->decoder.emplace_back();
      for (const auto& b : stage)
        impl->decoder.back().push_back(fuse(b, p, impl->device, impl->dtype));
    }
    impl->outputBlock = fuse(a.outputBlock, p, impl->device, impl->dtype);
    impl->outWeight = p.at("output_block.1.weight").to(impl->device, impl->dtype);
    impl->outBias = p.at("output_block.1.bias").to(impl->device, impl->dtype);
    if (impl->device.is_cuda()) at::globalContext().setBenchmarkCuDNN(true);
    out->reset(new Wav2LipNet(std::move(impl)));
    return NetStatus::ok();
  });
}

NetStatus Wav2LipNet::run(int batch, const float* mel, const float* face, float* out) const {
  if (batch < 1) {
    return NetStatus::error(NetError::InvalidArgument, "batch",
                            "must be at least 1, got " + std::to_string(batch));
  }
  const size_t melCount = size_t(batch) * kMelBands * kMelSteps;
  const size_t faceCount = size_t(batch) * 6 * kFaceSize * kFaceSize;
  if (NetStatus s = detail::checkInput("mel", mel, melCount); !s) return s;
  if (NetStatus s = detail::checkInput("face", face, faceCount); !s) return s;
  if (!out) return NetStatus::error(NetError::InvalidArgument, "out", "no output buffer");
  return detail::guarded("wav2lip", [&] {
    c10::InferenceMode inference;
    const Impl& m = *impl_;
    torch::Tensor melT = detail::toDevice(mel, {batch, 1, kMelBands, kMelSteps}, m.device, m.dtype);
    torch::Tensor faceT =
        detail::toDevice(face, {batch, 6, kFaceSize, kFaceSize}, m.device, m.dtype);
    detail::toHost(m.forward(melT, faceT), out);
    return NetStatus::ok();
  });
}

}  // namespace avatar::nets
