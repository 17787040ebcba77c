// Random-weight files for tests and benchmarks. Scales keep activations in a
// useful range through the whole net (He-scaled convs, BN statistics near
// identity, StyleGAN2's own initialisation for modulations).
#include <cmath>
#include <random>
#include <set>

#include "avatar_nets/weights.h"
#include "diff2lip_arch.h"
#include "fomm_arch.h"
#include "wav2lip_arch.h"

namespace avatar::nets {
namespace {

// Transposed-conv weights of Wav2Lip's decoder, stored (in, out, k, k).
const std::set<std::string>& transposedWeights() {
  static const std::set<std::string> names = [] {
    std::set<std::string> out;
    for (const auto& stage : detail::wav2lipArch().faceDecoder) {
      for (const auto& b : stage) {
        if (b.transposed) out.insert(b.prefix + ".conv_block.0.weight");
      }
    }
    return out;
  }();
  return names;
}

bool endsWith(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

int64_t product(const std::vector<int64_t>& shape, size_t from) {
  int64_t n = 1;
  for (size_t i = from; i < shape.size(); ++i) n *= shape[i];
  return n;
}

// Fills one tensor; `rng` advances deterministically in spec order.
void fill(const WeightSpec& s, std::mt19937_64& rng, std::vector<float>& v) {
  std::normal_distribution<float> normal(0.f, 1.f);
  std::uniform_real_distribution<float> uniform(0.f, 1.f);
  const std::string& n = s.name;
  const bool bn = n.find(".conv_block.1.") != std::string::npos;
  for (auto& x : v) {
    if (bn && endsWith(n, "running_var")) {
      x = 0.5f + uniform(rng);
    } else if (bn && endsWith(n, ".weight")) {
      x = 0.8f + 0.4f * uniform(rng);
    } else if (bn || endsWith(n, ".bias")) {
      x = 0.05f * normal(rng);
    } else if (n.find("noises.noise") != std::string::npos ||
               endsWith(n, "constant_input.weight")) {
      x = normal(rng);
    } else if (s.shape.size() == 1 && s.shape[0] == 1) {  // StyleConv noise strength
      x = 0.1f * normal(rng);
    } else if (endsWith(n, "modulated_conv.weight")) {  // (1, out, in, k, k)
      x = normal(rng) / std::sqrt(float(product(s.shape, 2)));
    } else if (endsWith(n, "modulation.weight")) {
      x = normal(rng) / std::sqrt(float(s.shape[1]));
    } else {
      // Convs (out, in, k, k) and linears (out, in); transposed convs store
      // (in, out, k, k) where fan-in per output is in * k * k / stride^2.
      const bool transposed = transposedWeights().count(n) > 0;
      const float fanIn =
          transposed ? float(s.shape[0] * product(s.shape, 2)) / 4.f : float(product(s.shape, 1));
      x = normal(rng) * std::sqrt(1.f / fanIn);
    }
  }
  if (endsWith(n, "modulation.bias")) {
    for (auto& x : v) x += 1.f;  // StyleGAN2 initialises modulation biases to 1
  }
}

}  // namespace

NetStatus writeRandomWeights(NetKind k, const std::string& path, uint64_t seed) {
  std::mt19937_64 rng(seed);
  const auto& specs = weightSpecs(k);
  std::vector<std::vector<float>> floats(specs.size());
  std::vector<std::vector<int64_t>> ints(specs.size());
  std::vector<TensorToWrite> tensors;
  for (size_t i = 0; i < specs.size(); ++i) {
    const auto& s = specs[i];
    const size_t n = size_t(product(s.shape, 0));
    TensorToWrite t{s.name, s.dtype, s.shape, nullptr};
    if (s.dtype == DType::I64) {
      ints[i].assign(n, 0);
      t.bytes = ints[i].data();
    } else {
      floats[i].resize(n);
      if (k == NetKind::Diff2Lip) {
        std::normal_distribution<float> normal(0.f, 1.f);
        for (auto& x : floats[i]) x = detail::diff2lipRandomValue(s, normal(rng));
      } else if (k == NetKind::Fomm) {
        detail::fillFommRandom(s, rng, floats[i]);
      } else {
        fill(s, rng, floats[i]);
      }
      t.bytes = floats[i].data();
    }
    tensors.push_back(std::move(t));
  }
  return writeSafetensors(path, tensors,
                          {{"model", netName(k)},
                           {"source", "random weights, seed " + std::to_string(seed)},
                           {"licence", "none (synthetic test data)"}});
}

}  // namespace avatar::nets
