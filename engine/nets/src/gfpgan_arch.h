// GFPGANv1Clean constants as configured for v1.3/v1.4: out_size 512,
// num_style_feat 512, channel_multiplier 2, narrow 1, different_w, sft_half.
#pragma once

#include <cstdint>

namespace avatar::nets::detail {

constexpr int kGfpSize = 512;
constexpr int kGfpLevels = 7;  // 8, 16, ..., 512
constexpr int kGfpStyleDim = 512;
constexpr int kGfpLatents = 16;  // log2(512) * 2 - 2
constexpr int kGfpNoises = 15;   // (log2(512) - 2) * 2 + 1

// StyleGAN2 decoder channels at a resolution (channel_multiplier 2).
constexpr int64_t gfpDecoderChannels(int res) {
  return res <= 32 ? 512 : res == 64 ? 512 : res == 128 ? 256 : res == 256 ? 128 : 64;
}
// U-Net channels: half the decoder's (unet_narrow 0.5).
constexpr int64_t gfpUnetChannels(int res) {
  return gfpDecoderChannels(res) / 2;
}
// noise{i} is square with this side.
constexpr int64_t gfpNoiseSize(int i) {
  return int64_t(1) << ((i + 5) / 2);
}

}  // namespace avatar::nets::detail
