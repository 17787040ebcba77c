// The First-Order Motion Model (vox-256 configuration) layer table: official
// module layout and key prefixes, shared by the weight specs and the forward
// pass so both always agree. Keys live under `kp_detector.` and `generator.`
// in one safetensors file (scripts/convert_checkpoint.py --model fomm).
#pragma once

#include <random>
#include <string>
#include <vector>

#include "avatar_nets/weights.h"

namespace avatar::nets::detail {

constexpr int kFommSize = 256;    // input and output side
constexpr int kFommKp = 10;       // keypoints (each with a 2x2 jacobian)
constexpr int kFommChannels = 3;  // RGB
constexpr double kFommTemperature = 0.1;
constexpr double kFommKpVariance = 0.01;  // Gaussian heatmaps of the dense motion
constexpr int kFommDownKernel = 13;       // AntiAliasInterpolation2d at scale 0.25: sigma 1.5
constexpr int kFommDownStride = 4;
constexpr double kFommDownSigma = 1.5;

// Conv (+ BatchNorm) of one block; `norm` empty for a bare conv.
struct FommConv {
  std::string conv;  // key prefix of the Conv2d, e.g. "kp_detector.kp"
  std::string norm;  // key prefix of its BatchNorm2d, or empty
  int cin = 0, cout = 0, kernel = 3, pad = 1;
};

// Hourglass: encoder DownBlock2d (conv BN ReLU avgpool2), decoder UpBlock2d
// (nearest x2, conv BN ReLU), each decoder output concatenated with the
// matching encoder input; out channels = block_expansion + in_features.
struct FommHourglass {
  std::vector<FommConv> down, up;
  int outChannels = 0;
};

// Pre-activation residual block: BN ReLU conv BN ReLU conv, + x.
struct FommResBlock {
  std::string norm1, norm2;
  FommConv conv1, conv2;
};

struct FommArch {
  // KPDetector: block_expansion 32, max_features 1024, 5 blocks, pad 0.
  std::string kpDown;  // AntiAliasInterpolation2d weight (3,1,13,13)
  FommHourglass kpHourglass;
  FommConv kp, jacobian;
  // DenseMotionNetwork: 64 / 1024 / 5 blocks on (kp+1)*(3+1) = 44 channels.
  std::string dmDown;
  FommHourglass dmHourglass;
  FommConv mask, occlusion;
  // OcclusionAwareGenerator: 64 / 512, 2 down blocks, 6 bottleneck blocks.
  FommConv first;
  std::vector<FommConv> down, up;
  std::vector<FommResBlock> bottleneck;
  FommConv final;
};

const FommArch& fommArch();

// Every key, generator first (as the converter writes them), official order.
std::vector<WeightSpec> fommSpecs();

// Plausible random values for one FOMM tensor (writeRandomWeights): He-scaled
// convolutions, random BN statistics, jacobian heads near the identity (as
// the official initialisation), the exact anti-alias Gaussian for `down`.
void fillFommRandom(const WeightSpec& s, std::mt19937_64& rng, std::vector<float>& v);

// The AntiAliasInterpolation2d kernel (13x13, sigma 1.5, sums to 1), row-major.
std::vector<float> fommGaussianKernel();

}  // namespace avatar::nets::detail
