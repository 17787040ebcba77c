// Diff2Lip on random weights: output shapes and values, determinism, batch
// independence, every part of the net (audio, time, reference) matters, the
// DDIM loop equals the update rule computed here step by step from single
// UNet evaluations, generate() changes only the masked lower half, and bad
// inputs are clear errors. CUDA agreement where a GPU exists.
#include <cmath>
#include <thread>

#include "avatar_nets/diff2lip.h"
#include "avatar_nets/runtime.h"
#include "nets_test_util.h"

using namespace avatar::nets;
using nets_test::maxAbsDiff;
using nets_test::randomVector;
using nets_test::randomWeights;

namespace {

constexpr size_t kImg = 3 * 128 * 128;
constexpr size_t kMask = 128 * 128;
constexpr size_t kMel = 80 * 16;
constexpr size_t kOut = 6 * 128 * 128;

struct Inputs {
  std::vector<float> x, cond, mask, ref, mel;
  std::vector<int64_t> t;
};

Inputs inputs(int batch, uint32_t seed) {
  Inputs in;
  const size_t b = size_t(batch);
  in.x = randomVector(b * kImg, seed, -2.f, 2.f);
  in.cond = randomVector(b * kImg, seed + 1, -1.f, 1.f);
  in.ref = randomVector(b * kImg, seed + 2, -1.f, 1.f);
  in.mel = randomVector(b * kMel, seed + 3, -4.f, 4.f);
  in.mask.assign(b * kMask, 0.f);
  for (size_t i = 0; i < b; ++i) {
    for (size_t p = 64 * 128; p < kMask; ++p) in.mask[i * kMask + p] = 1.f;
  }
  for (int i = 0; i < batch; ++i) in.t.push_back(int64_t(960 - 400 * i) % 1000);
  return in;
}

std::vector<float> slice(const std::vector<float>& v, size_t i, size_t n) {
  return std::vector<float>(v.begin() + long(i * n), v.begin() + long((i + 1) * n));
}

class Diff2LipTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    setCpuThreads(int(std::max(1u, std::thread::hardware_concurrency())));
    NetStatus s = Diff2LipNet::load(randomWeights(NetKind::Diff2Lip), {}, &net_);
    ASSERT_TRUE(s) << s.message();
  }
  static void TearDownTestSuite() { net_.reset(); }

  static std::vector<float> run(int batch, const Inputs& in) {
    std::vector<float> out(size_t(batch) * kOut, NAN);
    NetStatus s = net_->run(batch, in.x.data(), in.t.data(), in.cond.data(), in.mask.data(),
                            in.ref.data(), in.mel.data(), out.data());
    EXPECT_TRUE(s) << s.message();
    return out;
  }

  static std::unique_ptr<Diff2LipNet> net_;
};
std::unique_ptr<Diff2LipNet> Diff2LipTest::net_;

}  // namespace

TEST_F(Diff2LipTest, OneEvaluationIsDeterministicBatchIndependentAndUsesEveryInput) {
  const Inputs in = inputs(2, 11);
  const auto a = run(2, in);
  ASSERT_EQ(a.size(), 2 * kOut);
  double sum = 0, sq = 0;
  for (float v : a) {
    ASSERT_TRUE(std::isfinite(v));
    sum += v;
    sq += double(v) * v;
  }
  const double sd = std::sqrt(sq / double(a.size()) - std::pow(sum / double(a.size()), 2));
  EXPECT_GT(sd, 0.05) << "output is flat: random weights saturate the net";
  EXPECT_LT(sd, 20.0);
  EXPECT_EQ(run(2, in), a) << "same inputs, different output";
  // Sample 1 alone equals sample 1 in the batch.
  Inputs one;
  one.x = slice(in.x, 1, kImg);
  one.cond = slice(in.cond, 1, kImg);
  one.ref = slice(in.ref, 1, kImg);
  one.mask = slice(in.mask, 1, kMask);
  one.mel = slice(in.mel, 1, kMel);
  one.t = {in.t[1]};
  const auto single = run(1, one);
  EXPECT_LT(maxAbsDiff(a, single, kOut), 1e-4f);
  // The audio, the timestep and the reference frame each change the output.
  Inputs changed = one;
  for (auto& v : changed.mel) v = -v;
  EXPECT_GT(maxAbsDiff(run(1, changed), single), 1e-3f) << "mel has no effect";
  changed = one;
  changed.t = {one.t[0] + 1};
  EXPECT_GT(maxAbsDiff(run(1, changed), single), 1e-5f) << "t has no effect";
  changed = one;
  for (auto& v : changed.ref) v = -v;
  EXPECT_GT(maxAbsDiff(run(1, changed), single), 1e-3f) << "ref_img has no effect";
  // x only enters through the masked rows: the upper half of x is replaced
  // by the condition frame.
  changed = one;
  for (size_t c = 0; c < 3; ++c) {
    for (size_t p = 0; p < 64 * 128; ++p) changed.x[c * kMask + p] = 0.f;
  }
  EXPECT_EQ(run(1, changed), single) << "the unmasked half of x must not matter";
}

TEST_F(Diff2LipTest, DdimLoopIsTheUpdateRuleOverRespacedTimesteps) {
  // 4 steps: timesteps 0, 250, 500, 750. Re-run the loop here from single
  // evaluations with coefficients computed from the schedule formulas.
  Inputs in = inputs(1, 21);
  const auto noise = randomVector(kImg, 22, -2.5f, 2.5f);
  std::vector<float> sample(kImg, NAN);
  ASSERT_TRUE(net_->sample(1, 4, noise.data(), in.cond.data(), in.mask.data(), in.ref.data(),
                           in.mel.data(), sample.data()));
  std::vector<float> x = noise;
  for (int t = 750; t >= 0; t -= 250) {
    long double ab = 1, abPrev = 1;
    for (int i = 0; i <= t; ++i) ab *= 1.0L - (1e-4L + i * (0.02L - 1e-4L) / 999.0L);
    for (int i = 0; i <= t - 250; ++i) abPrev *= 1.0L - (1e-4L + i * (0.02L - 1e-4L) / 999.0L);
    in.x = x;
    in.t = {t};
    const auto eps = run(1, in);
    for (size_t i = 0; i < kImg; ++i) {
      const double e = eps[i];
      const double x0 =
          std::clamp(double((x[i] - std::sqrt(1 - ab) * e) / std::sqrt(ab)), -1.0, 1.0);
      const double e2 = double((x[i] - std::sqrt(ab) * x0) / std::sqrt(1 - ab));
      x[i] = float(std::sqrt(double(abPrev)) * x0 + std::sqrt(1 - double(abPrev)) * e2);
    }
  }
  EXPECT_LT(maxAbsDiff(sample, x), 1e-3f);
  float lo = 0, hi = 0;
  for (float v : sample) {
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  // The last step (abar_prev = 1) returns the clipped x0.
  EXPECT_GE(lo, -1.f);
  EXPECT_LE(hi, 1.f);
  EXPECT_GT(hi - lo, 0.1f);
}

TEST_F(Diff2LipTest, GenerateIsDeterministicAndChangesOnlyTheLowerHalf) {
  const Inputs in = inputs(2, 31);
  const auto noise = Diff2LipNet::fixedNoise(7);
  ASSERT_EQ(noise.size(), kImg);
  EXPECT_EQ(Diff2LipNet::fixedNoise(7), noise);
  EXPECT_GT(maxAbsDiff(Diff2LipNet::fixedNoise(8), noise), 0.5f);
  std::vector<float> a(2 * kImg), b(2 * kImg);
  ASSERT_TRUE(
      net_->generate(2, 2, in.cond.data(), in.ref.data(), in.mel.data(), noise.data(), a.data()));
  ASSERT_TRUE(
      net_->generate(2, 2, in.cond.data(), in.ref.data(), in.mel.data(), noise.data(), b.data()));
  EXPECT_EQ(a, b) << "same seed, different frames";
  size_t changedBelow = 0;
  for (size_t i = 0; i < 2 * kImg; ++i) {
    const size_t row = (i % kMask) / 128;
    if (row < 64) {
      ASSERT_EQ(a[i], in.cond[i]) << "upper half changed at " << i;
    } else {
      changedBelow += std::abs(a[i] - in.cond[i]) > 1e-3f;
      ASSERT_GE(a[i], -1.f);
      ASSERT_LE(a[i], 1.f);
    }
  }
  EXPECT_GT(changedBelow, kImg / 2) << "the lower half was not generated";
  // Both frames share the noise but not the audio: they differ.
  EXPECT_GT(maxAbsDiff(a, slice(a, 0, kImg), kImg), 1e-3f);
}

TEST_F(Diff2LipTest, BadInputsAreClearErrors) {
  Inputs in = inputs(1, 41);
  std::vector<float> out(kOut);
  auto runIt = [&](int batch) {
    return net_->run(batch, in.x.data(), in.t.data(), in.cond.data(), in.mask.data(), in.ref.data(),
                     in.mel.data(), out.data());
  };
  EXPECT_EQ(runIt(0).code(), NetError::InvalidArgument);
  in.t = {1000};
  NetStatus s = runIt(1);
  EXPECT_EQ(s.code(), NetError::InvalidArgument);
  EXPECT_EQ(s.subject(), "t");
  in.t = {-1};
  EXPECT_EQ(runIt(1).subject(), "t");
  in.t = {5};
  in.mel[3] = NAN;
  s = runIt(1);
  EXPECT_EQ(s.code(), NetError::InvalidArgument);
  EXPECT_EQ(s.subject(), "mel");
  in.mel[3] = 0;
  s = net_->sample(1, 400, in.x.data(), in.cond.data(), in.mask.data(), in.ref.data(),
                   in.mel.data(), out.data());
  EXPECT_EQ(s.code(), NetError::InvalidArgument);
  EXPECT_EQ(s.subject(), "steps");
  s = net_->generate(1, 25, in.cond.data(), in.ref.data(), in.mel.data(), nullptr, out.data());
  EXPECT_EQ(s.subject(), "noise");
}

TEST(Diff2LipDevice, HalfOnCpuIsRefused) {
  std::unique_ptr<Diff2LipNet> net;
  NetOptions o;
  o.half = true;
  NetStatus s = Diff2LipNet::load(randomWeights(NetKind::Diff2Lip), o, &net);
  EXPECT_EQ(s.code(), NetError::DeviceUnavailable) << s.message();
}

TEST(Diff2LipDevice, CudaAgreesWithCpu) {
  if (!cudaAvailable()) {
    GTEST_SKIP() << "no CUDA device in this LibTorch build/machine: CPU/CUDA agreement not checked";
  }
  const std::string w = randomWeights(NetKind::Diff2Lip);
  std::unique_ptr<Diff2LipNet> cpu, gpu, half;
  ASSERT_TRUE(Diff2LipNet::load(w, {}, &cpu));
  NetOptions o;
  o.cuda = true;
  ASSERT_TRUE(Diff2LipNet::load(w, o, &gpu));
  o.half = true;
  ASSERT_TRUE(Diff2LipNet::load(w, o, &half));
  const Inputs in = inputs(2, 51);
  std::vector<float> a(2 * kOut), b(2 * kOut), c(2 * kOut);
  for (auto [net, out] : {std::pair{cpu.get(), &a}, {gpu.get(), &b}, {half.get(), &c}}) {
    ASSERT_TRUE(net->run(2, in.x.data(), in.t.data(), in.cond.data(), in.mask.data(), in.ref.data(),
                         in.mel.data(), out->data()));
  }
  EXPECT_LT(maxAbsDiff(a, b), 1e-3f);
  EXPECT_LT(maxAbsDiff(a, c), 5e-2f);
}
