// Official key lists of each net, built from the architecture tables.
#include "avatar_nets/weights.h"
#include "diff2lip_arch.h"
#include "fomm_arch.h"
#include "gfpgan_arch.h"
#include "wav2lip_arch.h"

namespace avatar::nets {
namespace {

using Shape = std::vector<int64_t>;

void add(std::vector<WeightSpec>& out, std::string name, Shape shape, DType d = DType::F32) {
  out.push_back({std::move(name), std::move(shape), d});
}

void addW2LBlock(std::vector<WeightSpec>& out, const detail::W2LBlock& b) {
  const std::string c = b.prefix + ".conv_block.0.";
  const std::string n = b.prefix + ".conv_block.1.";
  const int64_t k = b.kernel;
  add(out, c + "weight", b.transposed ? Shape{b.cin, b.cout, k, k} : Shape{b.cout, b.cin, k, k});
  add(out, c + "bias", {b.cout});
  for (const char* s : {"weight", "bias", "running_mean", "running_var"}) add(out, n + s, {b.cout});
  add(out, n + "num_batches_tracked", {}, DType::I64);
}

std::vector<WeightSpec> wav2lipSpecs() {
  const auto& a = detail::wav2lipArch();
  std::vector<WeightSpec> out;
  for (const auto& stage : a.faceEncoder) {
    for (const auto& b : stage) addW2LBlock(out, b);
  }
  for (const auto& b : a.audioEncoder) addW2LBlock(out, b);
  for (const auto& stage : a.faceDecoder) {
    for (const auto& b : stage) addW2LBlock(out, b);
  }
  addW2LBlock(out, a.outputBlock);
  add(out, "output_block.1.weight", {3, 32, 1, 1});
  add(out, "output_block.1.bias", {3});
  return out;
}

void addConv(std::vector<WeightSpec>& out, const std::string& p, int64_t cout, int64_t cin,
             int64_t k, bool bias = true) {
  add(out, p + ".weight", {cout, cin, k, k});
  if (bias) add(out, p + ".bias", {cout});
}

void addResBlock(std::vector<WeightSpec>& out, const std::string& p, int64_t cin, int64_t cout) {
  addConv(out, p + ".conv1", cin, cin, 3);
  addConv(out, p + ".conv2", cout, cin, 3);
  addConv(out, p + ".skip", cout, cin, 1, false);
}

void addModConv(std::vector<WeightSpec>& out, const std::string& p, int64_t cout, int64_t cin,
                int64_t k) {
  add(out, p + ".modulated_conv.weight", {1, cout, cin, k, k});
  add(out, p + ".modulated_conv.modulation.weight", {cin, detail::kGfpStyleDim});
  add(out, p + ".modulated_conv.modulation.bias", {cin});
}

void addStyleConv(std::vector<WeightSpec>& out, const std::string& p, int64_t cout, int64_t cin) {
  add(out, p + ".weight", {1});
  add(out, p + ".bias", {1, cout, 1, 1});
  addModConv(out, p, cout, cin, 3);
}

void addToRgb(std::vector<WeightSpec>& out, const std::string& p, int64_t cin) {
  add(out, p + ".bias", {1, 3, 1, 1});
  addModConv(out, p, 3, cin, 1);
}

std::vector<WeightSpec> gfpganSpecs() {
  using namespace detail;
  std::vector<WeightSpec> out;
  const int levels = kGfpLevels;
  addConv(out, "conv_body_first", gfpUnetChannels(kGfpSize), 3, 1);
  int64_t in = gfpUnetChannels(kGfpSize);
  for (int i = 0; i < levels; ++i) {
    const int64_t c = gfpUnetChannels(kGfpSize >> (i + 1));
    addResBlock(out, "conv_body_down." + std::to_string(i), in, c);
    in = c;
  }
  addConv(out, "final_conv", gfpUnetChannels(4), in, 3);
  in = gfpUnetChannels(4);
  for (int i = 0; i < levels; ++i) {
    const int64_t c = gfpUnetChannels(8 << i);
    addResBlock(out, "conv_body_up." + std::to_string(i), in, c);
    in = c;
  }
  for (int i = 0; i < levels; ++i)
    addConv(out, "toRGB." + std::to_string(i), 3, gfpUnetChannels(8 << i), 1);
  add(out, "final_linear.weight", {kGfpLatents * kGfpStyleDim, gfpUnetChannels(4) * 16});
  add(out, "final_linear.bias", {kGfpLatents * kGfpStyleDim});
  const std::string d = "stylegan_decoder.";
  for (int i = 0; i < 8; ++i) {
    const std::string p = d + "style_mlp." + std::to_string(2 * i + 1);
    add(out, p + ".weight", {kGfpStyleDim, kGfpStyleDim});
    add(out, p + ".bias", {kGfpStyleDim});
  }
  add(out, d + "constant_input.weight", {1, gfpDecoderChannels(4), 4, 4});
  addStyleConv(out, d + "style_conv1", gfpDecoderChannels(4), gfpDecoderChannels(4));
  addToRgb(out, d + "to_rgb1", gfpDecoderChannels(4));
  in = gfpDecoderChannels(4);
  for (int i = 0; i < levels; ++i) {
    const int64_t c = gfpDecoderChannels(8 << i);
    addStyleConv(out, d + "style_convs." + std::to_string(2 * i), c, in);
    addStyleConv(out, d + "style_convs." + std::to_string(2 * i + 1), c, c);
    in = c;
  }
  for (int i = 0; i < levels; ++i) {
    addToRgb(out, d + "to_rgbs." + std::to_string(i), gfpDecoderChannels(8 << i));
  }
  for (int i = 0; i < kGfpNoises; ++i) {
    const int64_t r = gfpNoiseSize(i);
    add(out, d + "noises.noise" + std::to_string(i), {1, 1, r, r});
  }
  for (const char* cond : {"condition_scale.", "condition_shift."}) {
    for (int i = 0; i < levels; ++i) {
      const int64_t c = gfpUnetChannels(8 << i);
      addConv(out, cond + std::to_string(i) + ".0", c, c, 3);
      addConv(out, cond + std::to_string(i) + ".2", c, c, 3);
    }
  }
  return out;
}

}  // namespace

const char* netName(NetKind k) {
  switch (k) {
    case NetKind::Wav2Lip:
      return "wav2lip";
    case NetKind::Gfpgan:
      return "gfpgan";
    case NetKind::Diff2Lip:
      return "diff2lip";
    case NetKind::Fomm:
      return "fomm";
  }
  return "?";
}

bool netFromName(const std::string& name, NetKind* out) {
  if (name == "wav2lip") {
    *out = NetKind::Wav2Lip;
  } else if (name == "gfpgan") {
    *out = NetKind::Gfpgan;
  } else if (name == "diff2lip") {
    *out = NetKind::Diff2Lip;
  } else if (name == "fomm") {
    *out = NetKind::Fomm;
  } else {
    return false;
  }
  return true;
}

const std::vector<WeightSpec>& weightSpecs(NetKind k) {
  static const std::vector<WeightSpec> w2l = wav2lipSpecs();
  static const std::vector<WeightSpec> gfp = gfpganSpecs();
  static const std::vector<WeightSpec> d2l = detail::diff2lipSpecs();
  if (k == NetKind::Diff2Lip) return d2l;
  static const std::vector<WeightSpec> fomm = detail::fommSpecs();
  if (k == NetKind::Fomm) return fomm;
  return k == NetKind::Wav2Lip ? w2l : gfp;
}

}  // namespace avatar::nets
