// Wav2Lip and GFPGAN (v1.3/v1.4, GFPGANv1Clean) on LibTorch, behind plain
// float buffers. Load once, run from many threads: run() is const and
// thread-safe. Tensors are NCHW float32, C-contiguous.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "avatar_nets/net_status.h"

namespace avatar::nets {

struct NetOptions {
  bool cuda = false;  // run on CUDA device `cudaDevice`
  int cudaDevice = 0;
  bool half = false;  // fp16 compute (CUDA only); inputs and outputs stay float32
};

// Wav2Lip: mel (B,1,80,16) + face (B,6,96,96: masked BGR, reference BGR, in
// [0,1]) -> (B,3,96,96) BGR in [0,1].
class Wav2LipNet {
 public:
  static constexpr int kMelBands = 80;
  static constexpr int kMelSteps = 16;
  static constexpr int kFaceSize = 96;

  // Loads and key-checks a safetensors file; fails with WeightsMismatch
  // listing missing, unexpected and mis-shaped keys, InvalidWeights on NaN.
  static NetStatus load(const std::string& weightsPath, const NetOptions& options,
                        std::unique_ptr<Wav2LipNet>* out);
  ~Wav2LipNet();

  NetStatus run(int batch, const float* mel, const float* face, float* out) const;
  const NetOptions& options() const;

  struct Impl;

 private:
  explicit Wav2LipNet(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// GFPGANv1Clean at 512: image (B,3,512,512) RGB in [-1,1] -> (B,3,512,512)
// RGB, roughly [-1,1] (not clamped: callers clamp). Noise comes from the
// stored stylegan_decoder.noises buffers, so output is deterministic.
class GfpganNet {
 public:
  static constexpr int kSize = 512;

  static NetStatus load(const std::string& weightsPath, const NetOptions& options,
                        std::unique_ptr<GfpganNet>* out);
  ~GfpganNet();

  NetStatus run(int batch, const float* image, float* out) const;
  const NetOptions& options() const;

  struct Impl;

 private:
  explicit GfpganNet(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace avatar::nets
