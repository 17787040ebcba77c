// Diff2Lip (guided-diffusion TFGModel) on LibTorch, behind plain float
// buffers: one UNet evaluation, the DDIM sampler, and the official
// generate.py inference step (lower half masked with one fixed noise tensor).
// Tensors are NCHW float32, C-contiguous; images are RGB in [-1,1].
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "avatar_nets/net_status.h"
#include "avatar_nets/nets.h"

namespace avatar::nets {

// The diffusion schedule: 1000 linear betas (1e-4 .. 0.02), respaced for DDIM
// to `steps` evenly strided timesteps as guided-diffusion's "ddimN" does (the
// smallest integer stride s with len(range(0, 1000, s)) == steps: 25 -> 0,
// 40, ..., 960). alphaBar[i] is the 1000-step cumulative product at
// timesteps[i]; alphaBarPrev[i] the one at timesteps[i-1] (1 for i = 0).
struct DdimSchedule {
  std::vector<int64_t> timesteps;  // ascending, original indices (what the model sees)
  std::vector<double> alphaBar;
  std::vector<double> alphaBarPrev;
};

constexpr int kDiffusionSteps = 1000;
constexpr int kDefaultDdimSteps = 25;

// Fails with InvalidArgument (naming "steps") when no integer stride gives
// exactly `steps` timesteps (e.g. 0, 1001, 999).
NetStatus ddimSchedule(int steps, DdimSchedule* out);

class Diff2LipNet {
 public:
  static constexpr int kSize = 128;
  static constexpr int kMelBands = 80;
  static constexpr int kMelSteps = 16;
  static constexpr int kOutChannels = 6;    // epsilon (3) + variance interpolation (3)
  static constexpr int kMaskStartRow = 64;  // face_hide_percentage 0.5: rows >= 64 are masked

  // Loads and key-checks a safetensors file (632 official keys); fails with
  // WeightsMismatch naming missing, unexpected and mis-shaped keys and the
  // file, InvalidWeights on NaN. On CUDA with `half`, the torso and the audio
  // encoder run in fp16 as the official code does; the time embedding, norms
  // and the output layer stay fp32.
  static NetStatus load(const std::string& weightsPath, const NetOptions& options,
                        std::unique_ptr<Diff2LipNet>* out);
  ~Diff2LipNet();

  // One UNet evaluation: x, cond, ref (B,3,128,128), mask (B,1,128,128), t (B)
  // original timesteps in [0, 999], mel (B,80,16) -> out (B,6,128,128).
  NetStatus run(int batch, const float* x, const int64_t* t, const float* cond, const float* mask,
                const float* ref, const float* mel, float* out) const;

  // The DDIM loop (eta 0, x0 clipped to [-1,1], epsilon prediction) from
  // `noise` (B,3,128,128) over `steps` respaced timesteps -> sample
  // (B,3,128,128). Deterministic: no randomness beyond `noise`.
  NetStatus sample(int batch, int steps, const float* noise, const float* cond, const float* mask,
                   const float* ref, const float* mel, float* out) const;

  // generate.py's inference step for `batch` face crops `face` (B,3,128,128,
  // [-1,1]) with reference frames `ref` and mel windows `mel`: the mask is
  // the lower half, the condition is the face with its lower half replaced
  // by `noise` (3,128,128: one tensor shared by every frame), the DDIM loop
  // starts from that same noise, and the result is sample * mask + face *
  // (1 - mask) -> out (B,3,128,128).
  NetStatus generate(int batch, int steps, const float* face, const float* ref, const float* mel,
                     const float* noise, float* out) const;

  // The fixed noise tensor (3,128,128) for a seed: torch.manual_seed(seed);
  // torch.randn(1,3,128,128) on the CPU (the official run uses seed 7).
  static std::vector<float> fixedNoise(uint64_t seed);

  const NetOptions& options() const;

  struct Impl;

 private:
  explicit Diff2LipNet(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace avatar::nets
