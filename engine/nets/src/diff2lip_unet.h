// Diff2LipNet::Impl: the UNet and audio encoder forward passes (internal;
// includes torch). Shared by diff2lip_net.cpp (load, one evaluation) and
// diff2lip_sampler.cpp (the DDIM loop).
#pragma once

#include "avatar_nets/diff2lip.h"
#include "diff2lip_arch.h"
#include "torch_util.h"

namespace avatar::nets {

struct Diff2LipNet::Impl {
  NetOptions options;
  torch::Device device{torch::kCPU};
  torch::ScalarType dtype = torch::kFloat;  // torso and audio encoder convolutions
  // Convolutions in `dtype`; norms, linears and the output layer in float32.
  detail::TensorMap p;
  torch::Tensor audioEmb;  // (1, 32) float32: the audio encoder's fixed t = 0 embedding

  // mel (B,80,16) -> style (B,512) in `dtype`, added to the time embedding.
  // Independent of the timestep: the sampler computes it once.
  torch::Tensor audioStyle(const torch::Tensor& mel) const;

  // One UNet evaluation on the 9-channel input (float32) with timesteps t
  // (B, int64) and the audio style -> (B,6,128,128) float32.
  torch::Tensor unet(const torch::Tensor& input, const torch::Tensor& t,
                     const torch::Tensor& style) const;

  // TFGModel's preprocessing: [x * mask + (1 - mask) * cond, cond, ref].
  static torch::Tensor modelInput(const torch::Tensor& x, const torch::Tensor& cond,
                                  const torch::Tensor& mask, const torch::Tensor& ref);

  // The DDIM loop from noise on the prepared (float32, on device) inputs.
  torch::Tensor ddim(const DdimSchedule& schedule, const torch::Tensor& noise,
                     const torch::Tensor& cond, const torch::Tensor& mask, const torch::Tensor& ref,
                     const torch::Tensor& mel) const;

  const torch::Tensor& P(const std::string& k) const { return p.at(k); }
  torch::Tensor groupNorm(const torch::Tensor& x, const std::string& k) const;
  torch::Tensor linear(const torch::Tensor& x, const std::string& k) const;  // x W^T + b
  torch::Tensor res(const detail::D2LLayer& l, torch::Tensor x, const torch::Tensor& emb) const;
  torch::Tensor attention(const detail::D2LLayer& l, const torch::Tensor& x) const;
  torch::Tensor stage(const detail::D2LStage& s, torch::Tensor x, const torch::Tensor& emb) const;
};

// Sinusoidal embedding [cos(t f), sin(t f)], f_i = exp(-ln(10000) i / (dim/2)),
// in float32 as guided-diffusion computes it.
torch::Tensor timestepEmbedding(const torch::Tensor& t, int dim);

}  // namespace avatar::nets
