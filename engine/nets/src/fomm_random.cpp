// Random FOMM weights for tests and benchmarks.
#include <cmath>

#include "fomm_arch.h"

namespace avatar::nets::detail {
namespace {

bool endsWith(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

bool contains(const std::string& s, const char* part) {
  return s.find(part) != std::string::npos;
}

}  // namespace

std::vector<float> fommGaussianKernel() {
  const int n = kFommDownKernel;
  const double mean = (n - 1) / 2.0;
  std::vector<double> k(size_t(n * n));
  double sum = 0;
  for (int y = 0; y < n; ++y) {
    for (int x = 0; x < n; ++x) {
      const double dy = y - mean, dx = x - mean;
      const double g = std::exp(-dy * dy / (2 * kFommDownSigma * kFommDownSigma)) *
                       std::exp(-dx * dx / (2 * kFommDownSigma * kFommDownSigma));
      k[size_t(y * n + x)] = g;
      sum += g;
    }
  }
  std::vector<float> out(k.size());
  for (size_t i = 0; i < k.size(); ++i) out[i] = float(k[i] / sum);
  return out;
}

void fillFommRandom(const WeightSpec& s, std::mt19937_64& rng, std::vector<float>& v) {
  std::normal_distribution<float> normal(0.f, 1.f);
  std::uniform_real_distribution<float> uniform(0.f, 1.f);
  const std::string& n = s.name;
  if (endsWith(n, "down.weight")) {  // (3, 1, 13, 13): the official fixed buffer
    const std::vector<float> k = fommGaussianKernel();
    for (size_t i = 0; i < v.size(); ++i) v[i] = k[i % k.size()];
    return;
  }
  const bool norm = contains(n, ".norm.") || contains(n, ".norm1.") || contains(n, ".norm2.");
  const bool jacobian = contains(n, "kp_detector.jacobian.");
  for (size_t i = 0; i < v.size(); ++i) {
    float& x = v[i];
    if (norm && endsWith(n, "running_var")) {
      x = 0.5f + uniform(rng);
    } else if (norm && endsWith(n, ".weight")) {
      x = 0.8f + 0.4f * uniform(rng);
    } else if (norm) {  // bias, running_mean
      x = 0.1f * normal(rng);
    } else if (jacobian && endsWith(n, ".bias")) {  // [1, 0, 0, 1] per keypoint, perturbed
      x = ((i % 4 == 0 || i % 4 == 3) ? 1.f : 0.f) + 0.1f * normal(rng);
    } else if (endsWith(n, ".bias")) {
      x = 0.05f * normal(rng);
    } else {  // conv (out, in, k, k): He scale; the jacobian head small
      float fanIn = 1;
      for (size_t d = 1; d < s.shape.size(); ++d) fanIn *= float(s.shape[d]);
      x = normal(rng) * std::sqrt(2.f / fanIn) * (jacobian ? 0.05f : 1.f);
    }
  }
}

}  // namespace avatar::nets::detail
