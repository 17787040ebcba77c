// The Wav2Lip layer table (official layout and key prefixes). Shared by the
// weight specs and the forward pass, so both always agree.
#pragma once

#include <string>
#include <vector>

namespace avatar::nets::detail {

// One official `Conv2d` / `Conv2dTranspose` block: conv -> BN (-> +x) -> ReLU.
struct W2LBlock {
  std::string prefix;  // e.g. "face_encoder_blocks.1.0"
  int cin = 0, cout = 0, kernel = 3;
  int strideH = 1, strideW = 1, pad = 1, outputPad = 0;
  bool residual = false;
  bool transposed = false;
};

struct Wav2LipArch {
  std::vector<std::vector<W2LBlock>> faceEncoder;  // 7 stages; outputs kept as skips
  std::vector<W2LBlock> audioEncoder;              // 13 blocks -> (B,512,1,1)
  std::vector<std::vector<W2LBlock>> faceDecoder;  // 7 stages; each output ++ skip
  W2LBlock outputBlock;                            // Conv2d(80,32) block
  // then output_block.1: plain Conv2d(32,3,1) + sigmoid
};

const Wav2LipArch& wav2lipArch();

}  // namespace avatar::nets::detail
