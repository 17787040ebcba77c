#include "fomm_arch.h"

#include <algorithm>

namespace avatar::nets::detail {
namespace {

FommConv block(const std::string& prefix, int cin, int cout, int kernel = 3, int pad = 1) {
  return {prefix + ".conv", prefix + ".norm", cin, cout, kernel, pad};
}

FommConv bare(const std::string& prefix, int cin, int cout, int kernel, int pad) {
  return {prefix, "", cin, cout, kernel, pad};
}

// modules/util.py Hourglass(block_expansion, in_features, num_blocks, max_features).
FommHourglass hourglass(const std::string& p, int expansion, int inFeatures, int blocks,
                        int maxFeatures) {
  FommHourglass h;
  auto width = [&](int i) { return std::min(maxFeatures, expansion << i); };
  for (int i = 0; i < blocks; ++i) {
    h.down.push_back(block(p + ".encoder.down_blocks." + std::to_string(i),
                           i == 0 ? inFeatures : width(i), width(i + 1)));
  }
  for (int i = blocks - 1, j = 0; i >= 0; --i, ++j) {
    const int cin = (i == blocks - 1 ? 1 : 2) * width(i + 1);
    h.up.push_back(block(p + ".decoder.up_blocks." + std::to_string(j), cin, width(i)));
  }
  h.outChannels = expansion + inFeatures;
  return h;
}

FommArch build() {
  FommArch a;
  const std::string k = "kp_detector.";
  a.kpDown = k + "down.weight";
  a.kpHourglass = hourglass(k + "predictor", 32, kFommChannels, 5, 1024);
  a.kp = bare(k + "kp", a.kpHourglass.outChannels, kFommKp, 7, 0);
  a.jacobian = bare(k + "jacobian", a.kpHourglass.outChannels, 4 * kFommKp, 7, 0);

  const std::string d = "generator.dense_motion_network.";
  a.dmDown = d + "down.weight";
  a.dmHourglass = hourglass(d + "hourglass", 64, (kFommKp + 1) * (kFommChannels + 1), 5, 1024);
  a.mask = bare(d + "mask", a.dmHourglass.outChannels, kFommKp + 1, 7, 3);
  a.occlusion = bare(d + "occlusion", a.dmHourglass.outChannels, 1, 7, 3);

  const std::string g = "generator.";
  const int expansion = 64, maxFeatures = 512, downBlocks = 2, bottleneck = 6;
  auto width = [&](int i) { return std::min(maxFeatures, expansion << i); };
  a.first = block(g + "first", kFommChannels, expansion, 7, 3);
  for (int i = 0; i < downBlocks; ++i)
    a.down.push_back(block(g + "down_blocks." + std::to_string(i), width(i), width(i + 1)));
  for (int i = 0; i < downBlocks; ++i) {
    a.up.push_back(block(g + "up_blocks." + std::to_string(i), width(downBlocks - i),
                         width(downBlocks - i - 1)));
  }
  const int c = width(downBlocks);
  for (int i = 0; i < bottleneck; ++i) {
    const std::string r = g + "bottleneck.r" + std::to_string(i);
    a.bottleneck.push_back({r + ".norm1", r + ".norm2", bare(r + ".conv1", c, c, 3, 1),
                            bare(r + ".conv2", c, c, 3, 1)});
  }
  a.final = bare(g + "final", expansion, kFommChannels, 7, 3);
  return a;
}

}  // namespace

const FommArch& fommArch() {
  static const FommArch a = build();
  return a;
}

}  // namespace avatar::nets::detail
