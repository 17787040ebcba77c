// The Diff2Lip layer table: guided-diffusion's UNet as TFGModel configures it
// (image 128, 128 channels, mult 1,1,2,3,4, 2 res blocks, attention at
// downsample rates 4/8/16 with 64 channels per head, resblock up/down, no
// scale-shift norm, learned sigma) and its audio encoder, with the official
// key prefixes. Shared by the weight specs and the forward pass.
#pragma once

#include <string>
#include <vector>

#include "avatar_nets/weights.h"

namespace avatar::nets::detail {

struct D2LLayer {
  enum class Kind { Conv, Res, Attn };
  Kind kind = Kind::Conv;
  std::string prefix;  // e.g. "input_blocks.7.1"
  int cin = 0, cout = 0;
  int emb = 0;                   // Res: embedding width
  int updown = 0;                // Res: -1 down (average pool), +1 up (nearest x2)
  int strideH = 2, strideW = 2;  // Res down: pool kernel = stride
  int heads = 0;                 // Attn: channels / 64
};

// One TimestepEmbedSequential: layers applied in order.
using D2LStage = std::vector<D2LLayer>;

struct Diff2LipArch {
  int modelChannels = 128;  // timestep embedding input width
  int embDim = 512;         // time_embed output (4 x model channels)
  int inChannels = 9, outChannels = 6;
  std::vector<D2LStage> input;  // input_blocks: outputs kept as skips
  D2LStage middle;
  std::vector<D2LStage> output;  // output_blocks: input ++ skip
  // Audio encoder: Conv1d 80->64 + GroupNorm + SiLU over the mel window,
  // viewed as a (1, 64, 16) image, then its own small UNet encoder with a
  // fixed (t = 0) 32-wide embedding.
  int audioChannels = 32;
  std::vector<D2LStage> audioEncoder;  // audio_encoder.encoder_blocks
  D2LStage audioMiddle;                // audio_encoder.middle_block
  int audioOut = 128;                  // -> audio_encoder_to_style 128 -> 512
};

const Diff2LipArch& diff2lipArch();

// Every key, shape and dtype in the official module order.
std::vector<WeightSpec> diff2lipSpecs();

// Random initial value for one tensor (GroupNorm weights near 1, fan-in
// scaled convolutions and linears, small biases; unlike the official init,
// nothing is zeroed, so every layer matters in tests).
float diff2lipRandomValue(const WeightSpec& s, float normal);

}  // namespace avatar::nets::detail
