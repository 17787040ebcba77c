#include "wav2lip_arch.h"

namespace avatar::nets::detail {
namespace {

W2LBlock conv(int cin, int cout, int k, int sh, int sw, int pad, bool residual = false) {
  W2LBlock b;
  b.cin = cin;
  b.cout = cout;
  b.kernel = k;
  b.strideH = sh;
  b.strideW = sw;
  b.pad = pad;
  b.residual = residual;
  return b;
}

W2LBlock res(int c) {
  return conv(c, c, 3, 1, 1, 1, true);
}

W2LBlock transposed(int cin, int cout, int stride, int pad, int outputPad) {
  W2LBlock b = conv(cin, cout, 3, stride, stride, pad);
  b.transposed = true;
  b.outputPad = outputPad;
  return b;
}

void name(std::vector<std::vector<W2LBlock>>& stages, const std::string& list) {
  for (size_t i = 0; i < stages.size(); ++i) {
    for (size_t j = 0; j < stages[i].size(); ++j) {
      stages[i][j].prefix = list + "." + std::to_string(i) + "." + std::to_string(j);
    }
  }
}

Wav2LipArch build() {
  Wav2LipArch a;
  a.faceEncoder = {
      {conv(6, 16, 7, 1, 1, 3)},                                 // 96
      {conv(16, 32, 3, 2, 2, 1), res(32), res(32)},              // 48
      {conv(32, 64, 3, 2, 2, 1), res(64), res(64), res(64)},     // 24
      {conv(64, 128, 3, 2, 2, 1), res(128), res(128)},           // 12
      {conv(128, 256, 3, 2, 2, 1), res(256), res(256)},          // 6
      {conv(256, 512, 3, 2, 2, 1), res(512)},                    // 3
      {conv(512, 512, 3, 1, 1, 0), conv(512, 512, 1, 1, 1, 0)},  // 1
  };
  name(a.faceEncoder, "face_encoder_blocks");
  a.audioEncoder = {
      conv(1, 32, 3, 1, 1, 1),    res(32),  res(32),
      conv(32, 64, 3, 3, 1, 1),   res(64),  res(64),
      conv(64, 128, 3, 3, 3, 1),  res(128), res(128),
      conv(128, 256, 3, 3, 2, 1), res(256), conv(256, 512, 3, 1, 1, 0),
      conv(512, 512, 1, 1, 1, 0),
  };
  for (size_t i = 0; i < a.audioEncoder.size(); ++i) {
    a.audioEncoder[i].prefix = "audio_encoder." + std::to_string(i);
  }
  a.faceDecoder = {
      {conv(512, 512, 1, 1, 1, 0)},                          // 1
      {transposed(1024, 512, 1, 0, 0), res(512)},            // 3
      {transposed(1024, 512, 2, 1, 1), res(512), res(512)},  // 6
      {transposed(768, 384, 2, 1, 1), res(384), res(384)},   // 12
      {transposed(512, 256, 2, 1, 1), res(256), res(256)},   // 24
      {transposed(320, 128, 2, 1, 1), res(128), res(128)},   // 48
      {transposed(160, 64, 2, 1, 1), res(64), res(64)},      // 96
  };
  name(a.faceDecoder, "face_decoder_blocks");
  a.outputBlock = conv(80, 32, 3, 1, 1, 1);
  a.outputBlock.prefix = "output_block.0";
  return a;
}

}  // namespace

const Wav2LipArch& wav2lipArch() {
  static const Wav2LipArch arch = build();
  return arch;
}

}  // namespace avatar::nets::detail
