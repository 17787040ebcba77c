// Diff2Lip inference: the DDIM schedule and loop (eta 0, epsilon prediction,
// x0 clipped), one UNet evaluation, and generate.py's masked-lower-half step.
#include <ATen/CPUGeneratorImpl.h>

#include <cmath>
#include <cstring>

#include "diff2lip_unet.h"

namespace avatar::nets {
namespace {

constexpr int64_t kS = Diff2LipNet::kSize;

NetStatus checkBatch(int batch) {
  if (batch < 1) {
    return NetStatus::error(NetError::InvalidArgument, "batch",
                            "must be at least 1, got " + std::to_string(batch));
  }
  return NetStatus::ok();
}

NetStatus checkImages(int batch, std::initializer_list<std::pair<const char*, const float*>> in) {
  for (const auto& [name, data] : in) {
    if (NetStatus s = detail::checkInput(name, data, size_t(batch) * 3 * kS * kS); !s) return s;
  }
  return NetStatus::ok();
}

}  // namespace

NetStatus ddimSchedule(int steps, DdimSchedule* out) {
  // guided-diffusion's "ddimN": the first integer stride giving exactly N steps.
  int stride = 0;
  for (int s = 1; s < kDiffusionSteps && steps >= 1; ++s) {
    if ((kDiffusionSteps + s - 1) / s == steps) {
      stride = s;
      break;
    }
  }
  if (stride == 0) {
    return NetStatus::error(NetError::InvalidArgument, "steps",
                            "cannot take exactly " + std::to_string(steps) + " DDIM steps from " +
                                std::to_string(kDiffusionSteps) +
                                " with an integer stride (e.g. 10, 20, 25, 50, 100)");
  }
  // Linear betas as numpy.linspace(1e-4, 0.02, 1000) in float64.
  const double b0 = 1e-4, b1 = 0.02, step = (b1 - b0) / (kDiffusionSteps - 1);
  DdimSchedule s;
  double cumprod = 1.0, last = 1.0, respaced = 1.0;
  for (int i = 0; i < kDiffusionSteps; ++i) {
    const double beta = i == kDiffusionSteps - 1 ? b1 : b0 + i * step;
    cumprod *= 1.0 - beta;
    if (i % stride == 0) {
      // SpacedDiffusion: beta' = 1 - abar_i / abar_last, abar' = cumprod(1 - beta').
      const double newBeta = 1.0 - cumprod / last;
      last = cumprod;
      s.alphaBarPrev.push_back(respaced);
      respaced *= 1.0 - newBeta;
      s.timesteps.push_back(i);
      s.alphaBar.push_back(respaced);
    }
  }
  *out = std::move(s);
  return NetStatus::ok();
}

torch::Tensor Diff2LipNet::Impl::ddim(const DdimSchedule& schedule, const torch::Tensor& noise,
                                      const torch::Tensor& cond, const torch::Tensor& mask,
                                      const torch::Tensor& ref, const torch::Tensor& mel) const {
  const int64_t b = noise.size(0);
  const torch::Tensor style = audioStyle(mel);
  torch::Tensor x = noise;
  for (size_t i = schedule.timesteps.size(); i-- > 0;) {
    const torch::Tensor t = torch::full({b}, schedule.timesteps[i],
                                        torch::TensorOptions().dtype(torch::kLong).device(device));
    const torch::Tensor eps = unet(modelInput(x, cond, mask, ref), t, style).narrow(1, 0, 3);
    // guided-diffusion takes these float64 coefficients as float32.
    const double ab = schedule.alphaBar[i];
    const float recip = float(std::sqrt(1.0 / ab)), recipm1 = float(std::sqrt(1.0 / ab - 1.0));
    const float abPrev = float(schedule.alphaBarPrev[i]);
    const torch::Tensor x0 = (recip * x - recipm1 * eps).clamp(-1.0, 1.0);
    const torch::Tensor e = (recip * x - x0) / recipm1;
    x = x0 * std::sqrt(abPrev) + std::sqrt(1.f - abPrev) * e;
  }
  return x;
}

NetStatus Diff2LipNet::run(int batch, const float* x, const int64_t* t, const float* cond,
                           const float* mask, const float* ref, const float* mel,
                           float* out) const {
  if (NetStatus s = checkBatch(batch); !s) return s;
  if (NetStatus s = checkImages(batch, {{"x", x}, {"cond_img", cond}, {"ref_img", ref}}); !s)
    return s;
  if (NetStatus s = detail::checkInput("mask", mask, size_t(batch) * kS * kS); !s) return s;
  if (NetStatus s = detail::checkInput("mel", mel, size_t(batch) * kMelBands * kMelSteps); !s)
    return s;
  if (!t) return NetStatus::error(NetError::InvalidArgument, "t", "no data given");
  for (int i = 0; i < batch; ++i) {
    if (t[i] < 0 || t[i] >= kDiffusionSteps) {
      return NetStatus::error(NetError::InvalidArgument, "t",
                              "timestep " + std::to_string(t[i]) + " (element " +
                                  std::to_string(i) + ") is outside [0, 999]");
    }
  }
  if (!out) return NetStatus::error(NetError::InvalidArgument, "out", "no output buffer");
  return detail::guarded("diff2lip", [&] {
    c10::InferenceMode inference;
    const Impl& m = *impl_;
    const auto f32 = torch::kFloat;
    const torch::Tensor xT = detail::toDevice(x, {batch, 3, kS, kS}, m.device, f32);
    const torch::Tensor condT = detail::toDevice(cond, {batch, 3, kS, kS}, m.device, f32);
    const torch::Tensor maskT = detail::toDevice(mask, {batch, 1, kS, kS}, m.device, f32);
    const torch::Tensor refT = detail::toDevice(ref, {batch, 3, kS, kS}, m.device, f32);
    const torch::Tensor melT = detail::toDevice(mel, {batch, kMelBands, kMelSteps}, m.device, f32);
    torch::Tensor tT = torch::empty({batch}, torch::TensorOptions().dtype(torch::kLong));
    std::memcpy(tT.data_ptr<int64_t>(), t, size_t(batch) * sizeof(int64_t));
    tT = tT.to(m.device);
    detail::toHost(m.unet(Impl::modelInput(xT, condT, maskT, refT), tT, m.audioStyle(melT)), out);
    return NetStatus::ok();
  });
}

NetStatus Diff2LipNet::sample(int batch, int steps, const float* noise, const float* cond,
                              const float* mask, const float* ref, const float* mel,
                              float* out) const {
  if (NetStatus s = checkBatch(batch); !s) return s;
  DdimSchedule schedule;
  if (NetStatus s = ddimSchedule(steps, &schedule); !s) return s;
  if (NetStatus s = checkImages(batch, {{"noise", noise}, {"cond_img", cond}, {"ref_img", ref}});
      !s)
    return s;
  if (NetStatus s = detail::checkInput("mask", mask, size_t(batch) * kS * kS); !s) return s;
  if (NetStatus s = detail::checkInput("mel", mel, size_t(batch) * kMelBands * kMelSteps); !s)
    return s;
  if (!out) return NetStatus::error(NetError::InvalidArgument, "out", "no output buffer");
  return detail::guarded("diff2lip", [&] {
    c10::InferenceMode inference;
    const Impl& m = *impl_;
    const auto f32 = torch::kFloat;
    const torch::Tensor noiseT = detail::toDevice(noise, {batch, 3, kS, kS}, m.device, f32);
    const torch::Tensor condT = detail::toDevice(cond, {batch, 3, kS, kS}, m.device, f32);
    const torch::Tensor maskT = detail::toDevice(mask, {batch, 1, kS, kS}, m.device, f32);
    const torch::Tensor refT = detail::toDevice(ref, {batch, 3, kS, kS}, m.device, f32);
    const torch::Tensor melT = detail::toDevice(mel, {batch, kMelBands, kMelSteps}, m.device, f32);
    detail::toHost(m.ddim(schedule, noiseT, condT, maskT, refT, melT), out);
    return NetStatus::ok();
  });
}

NetStatus Diff2LipNet::generate(int batch, int steps, const float* face, const float* ref,
                                const float* mel, const float* noise, float* out) const {
  if (NetStatus s = checkBatch(batch); !s) return s;
  DdimSchedule schedule;
  if (NetStatus s = ddimSchedule(steps, &schedule); !s) return s;
  if (NetStatus s = checkImages(batch, {{"face", face}, {"ref_img", ref}}); !s) return s;
  if (NetStatus s = detail::checkInput("noise", noise, size_t(3) * kS * kS); !s) return s;
  if (NetStatus s = detail::checkInput("mel", mel, size_t(batch) * kMelBands * kMelSteps); !s)
    return s;
  if (!out) return NetStatus::error(NetError::InvalidArgument, "out", "no output buffer");
  return detail::guarded("diff2lip", [&] {
    c10::InferenceMode inference;
    const Impl& m = *impl_;
    const auto f32 = torch::kFloat;
    const torch::Tensor faceT = detail::toDevice(face, {batch, 3, kS, kS}, m.device, f32);
    const torch::Tensor refT = detail::toDevice(ref, {batch, 3, kS, kS}, m.device, f32);
    const torch::Tensor melT = detail::toDevice(mel, {batch, kMelBands, kMelSteps}, m.device, f32);
    const torch::Tensor noiseT =
        detail::toDevice(noise, {1, 3, kS, kS}, m.device, f32).expand({batch, -1, -1, -1});
    torch::Tensor maskT = torch::zeros({batch, 1, kS, kS}, faceT.options());
    maskT.narrow(2, kMaskStartRow, kS - kMaskStartRow).fill_(1.0);
    const torch::Tensor condT = faceT * (1.0 - maskT) + maskT * noiseT;
    const torch::Tensor sampleT = m.ddim(schedule, noiseT, condT, maskT, refT, melT);
    detail::toHost(sampleT * maskT + (1.0 - maskT) * faceT, out);
    return NetStatus::ok();
  });
}

std::vector<float> Diff2LipNet::fixedNoise(uint64_t seed) {
  at::Generator gen = at::detail::createCPUGenerator(seed);
  const torch::Tensor n = torch::randn({1, 3, kS, kS}, gen, torch::kFloat).contiguous();
  const float* d = n.data_ptr<float>();
  return std::vector<float>(d, d + n.numel());
}

}  // namespace avatar::nets
