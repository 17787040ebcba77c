#include "diff2lip_arch.h"

#include <cmath>
#include <set>

namespace avatar::nets::detail {
namespace {

using Kind = D2LLayer::Kind;
using Shape = std::vector<int64_t>;

D2LLayer conv(int cin, int cout) {
  D2LLayer l;
  l.kind = Kind::Conv;
  l.cin = cin;
  l.cout = cout;
  return l;
}

D2LLayer res(int cin, int cout, int emb, int updown = 0, int strideH = 2, int strideW = 2) {
  D2LLayer l;
  l.kind = Kind::Res;
  l.cin = cin;
  l.cout = cout;
  l.emb = emb;
  l.updown = updown;
  l.strideH = strideH;
  l.strideW = strideW;
  return l;
}

D2LLayer attn(int channels) {
  D2LLayer l;
  l.kind = Kind::Attn;
  l.cin = l.cout = channels;
  l.heads = channels / 64;  // num_head_channels 64
  return l;
}

void name(std::vector<D2LStage>& stages, const std::string& list) {
  for (size_t i = 0; i < stages.size(); ++i) {
    for (size_t j = 0; j < stages[i].size(); ++j) {
      stages[i][j].prefix = list + "." + std::to_string(i) + "." + std::to_string(j);
    }
  }
}

void name(D2LStage& stage, const std::string& list) {
  for (size_t j = 0; j < stage.size(); ++j) stage[j].prefix = list + "." + std::to_string(j);
}

// The UNet: a level per channel multiplier, `blocks` res blocks each (with
// attention at the listed downsample rates), a down block between levels;
// the decoder mirrors it with one more block per level, each taking a skip.
void buildUnet(Diff2LipArch& a) {
  const int mc = a.modelChannels, emb = a.embDim, blocks = 2;
  const std::vector<int> mult = {1, 1, 2, 3, 4};
  const std::set<int> attentionAt = {4, 8, 16};
  a.input.push_back({conv(a.inChannels, mc)});
  std::vector<int> skips = {mc};
  int ch = mc, ds = 1;
  for (size_t level = 0; level < mult.size(); ++level) {
    for (int b = 0; b < blocks; ++b) {
      D2LStage s = {res(ch, mult[level] * mc, emb)};
      ch = mult[level] * mc;
      if (attentionAt.count(ds)) s.push_back(attn(ch));
      a.input.push_back(s);
      skips.push_back(ch);
    }
    if (level + 1 != mult.size()) {
      a.input.push_back({res(ch, ch, emb, -1)});
      skips.push_back(ch);
      ds *= 2;
    }
  }
  a.middle = {res(ch, ch, emb), attn(ch), res(ch, ch, emb)};
  for (size_t level = mult.size(); level-- > 0;) {
    for (int b = 0; b <= blocks; ++b) {
      const int skip = skips.back();
      skips.pop_back();
      D2LStage s = {res(ch + skip, mult[level] * mc, emb)};
      ch = mult[level] * mc;
      if (attentionAt.count(ds)) s.push_back(attn(ch));
      if (level > 0 && b == blocks) {
        s.push_back(res(ch, ch, emb, +1));
        ds /= 2;
      }
      a.output.push_back(s);
    }
  }
  name(a.input, "input_blocks");
  name(a.middle, "middle_block");
  name(a.output, "output_blocks");
}

// TFGAudioEncoder: 32 channels, mult 1,2,3,4, 2 res blocks; a (1, 64, 16)
// mel image is pooled over rows only (2x1) while taller than 16, then 2x2.
void buildAudio(Diff2LipArch& a) {
  const int mc = a.audioChannels, emb = a.audioChannels, blocks = 2;
  const int rows = 64, cols = 16;
  const std::vector<int> mult = {1, 2, 3, 4};
  a.audioEncoder.push_back({conv(1, mc)});
  int ch = mc, ds = 1;
  for (size_t level = 0; level < mult.size(); ++level) {
    for (int b = 0; b < blocks; ++b) {
      a.audioEncoder.push_back({res(ch, mult[level] * mc, emb)});
      ch = mult[level] * mc;
    }
    if (level + 1 != mult.size()) {
      const bool rowsOnly = rows / ds > cols;
      a.audioEncoder.push_back({res(ch, ch, emb, -1, 2, rowsOnly ? 1 : 2)});
      ds *= 2;
    }
  }
  a.audioMiddle = {res(ch, a.audioOut, emb)};
  name(a.audioEncoder, "audio_encoder.encoder_blocks");
  name(a.audioMiddle, "audio_encoder.middle_block");
}

Diff2LipArch build() {
  Diff2LipArch a;
  buildUnet(a);
  buildAudio(a);
  return a;
}

void add(std::vector<WeightSpec>& out, const std::string& name, Shape shape) {
  out.push_back({name, std::move(shape), DType::F32});
}

void addWeightBias(std::vector<WeightSpec>& out, const std::string& p, Shape weight) {
  const int64_t n = weight[0];
  add(out, p + ".weight", std::move(weight));
  add(out, p + ".bias", {n});
}

void addLayer(std::vector<WeightSpec>& out, const D2LLayer& l) {
  const std::string& p = l.prefix;
  switch (l.kind) {
    case Kind::Conv:
      addWeightBias(out, p, {l.cout, l.cin, 3, 3});
      break;
    case Kind::Res:
      addWeightBias(out, p + ".in_layers.0", {l.cin});
      addWeightBias(out, p + ".in_layers.2", {l.cout, l.cin, 3, 3});
      addWeightBias(out, p + ".emb_layers.1", {l.cout, l.emb});
      addWeightBias(out, p + ".out_layers.0", {l.cout});
      addWeightBias(out, p + ".out_layers.3", {l.cout, l.cout, 3, 3});
      if (l.cin != l.cout) addWeightBias(out, p + ".skip_connection", {l.cout, l.cin, 1, 1});
      break;
    case Kind::Attn:
      addWeightBias(out, p + ".norm", {l.cin});
      addWeightBias(out, p + ".qkv", {3 * l.cin, l.cin, 1});
      addWeightBias(out, p + ".proj_out", {l.cin, l.cin, 1});
      break;
  }
}

void addStages(std::vector<WeightSpec>& out, const std::vector<D2LStage>& stages) {
  for (const auto& s : stages) {
    for (const auto& l : s) addLayer(out, l);
  }
}

}  // namespace

const Diff2LipArch& diff2lipArch() {
  static const Diff2LipArch arch = build();
  return arch;
}

std::vector<WeightSpec> diff2lipSpecs() {
  const Diff2LipArch& a = diff2lipArch();
  std::vector<WeightSpec> out;
  addWeightBias(out, "time_embed.0", {a.embDim, a.modelChannels});
  addWeightBias(out, "time_embed.2", {a.embDim, a.embDim});
  addStages(out, a.input);
  addStages(out, {a.middle});
  addStages(out, a.output);
  addWeightBias(out, "out.0", {a.modelChannels});
  addWeightBias(out, "out.2", {a.outChannels, a.modelChannels, 3, 3});
  const int ac = a.audioChannels;
  addWeightBias(out, "audio_encoder.time_embed.0", {ac, ac});
  addWeightBias(out, "audio_encoder.time_embed.2", {ac, ac});
  addWeightBias(out, "audio_encoder.input_block.0", {64, 80, 3});
  addWeightBias(out, "audio_encoder.input_block.1", {64});
  addStages(out, a.audioEncoder);
  addStages(out, {a.audioMiddle});
  addWeightBias(out, "audio_encoder_to_style.0", {a.audioOut});
  addWeightBias(out, "audio_encoder_to_style.3", {a.embDim, a.audioOut, 1, 1});
  return out;
}

float diff2lipRandomValue(const WeightSpec& s, float normal) {
  const std::string& n = s.name;
  const bool bias = n.size() > 5 && n.compare(n.size() - 5, 5, ".bias") == 0;
  if (bias) return 0.05f * normal;
  if (s.shape.size() == 1) return 1.f + 0.1f * normal;  // GroupNorm scale
  int64_t fanIn = 1;
  for (size_t i = 1; i < s.shape.size(); ++i) fanIn *= s.shape[i];
  return normal / std::sqrt(float(fanIn));
}

}  // namespace avatar::nets::detail
