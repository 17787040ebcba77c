// GFPGAN on random weights: shape, finite output that depends on the input,
// determinism from the stored noise, batching, CUDA agreement.
#include <cmath>
#include <thread>

#include "avatar_nets/nets.h"
#include "avatar_nets/runtime.h"
#include "nets_test_util.h"

using namespace avatar::nets;
using nets_test::maxAbsDiff;
using nets_test::randomVector;
using nets_test::randomWeights;

namespace {
constexpr size_t kImage = 3 * 512 * 512;
}

TEST(Gfpgan, BatchedOutputIsFiniteDeterministicAndPerSample) {
  setCpuThreads(int(std::max(1u, std::thread::hardware_concurrency())));
  std::unique_ptr<GfpganNet> net;
  NetStatus s = GfpganNet::load(randomWeights(NetKind::Gfpgan), {}, &net);
  ASSERT_TRUE(s) << s.message();
  const auto image = randomVector(2 * kImage, 7, -1.f, 1.f);
  std::vector<float> out(2 * kImage, NAN);
  s = net->run(2, image.data(), out.data());
  ASSERT_TRUE(s) << s.message();
  double mean = 0, sq = 0;
  for (float v : out) {
    ASSERT_TRUE(std::isfinite(v));
    mean += v;
    sq += double(v) * v;
  }
  mean /= double(out.size());
  const double stdev = std::sqrt(sq / double(out.size()) - mean * mean);
  EXPECT_GT(stdev, 1e-3) << "flat output";
  EXPECT_LT(stdev, 100.0) << "exploding activations";
  // The two samples differ.
  const std::vector<float> first(out.begin(), out.begin() + long(kImage));
  EXPECT_GT(maxAbsDiff(out, first, kImage), 1e-4f);
  // Sample 1 alone, twice: identical (stored noise) and equal to the batch.
  const std::vector<float> second(image.begin() + long(kImage), image.end());
  std::vector<float> a(kImage), b(kImage);
  ASSERT_TRUE(net->run(1, second.data(), a.data()));
  ASSERT_TRUE(net->run(1, second.data(), b.data()));
  EXPECT_EQ(a, b);
  EXPECT_LT(maxAbsDiff(out, a, kImage), 1e-4f);
}

TEST(Gfpgan, BadInputsAreClearErrors) {
  std::unique_ptr<GfpganNet> net;
  ASSERT_TRUE(GfpganNet::load(randomWeights(NetKind::Gfpgan), {}, &net));
  std::vector<float> image(kImage, 0.f), out(kImage);
  EXPECT_EQ(net->run(0, image.data(), out.data()).code(), NetError::InvalidArgument);
  image[100] = INFINITY;
  NetStatus s = net->run(1, image.data(), out.data());
  EXPECT_EQ(s.code(), NetError::InvalidArgument);
  EXPECT_EQ(s.subject(), "image");
}

TEST(Gfpgan, CudaAgreesWithCpu) {
  if (!cudaAvailable()) {
    GTEST_SKIP() << "no CUDA device in this LibTorch build/machine: CPU/CUDA agreement not checked";
  }
  const std::string w = randomWeights(NetKind::Gfpgan);
  std::unique_ptr<GfpganNet> cpu, gpu, half;
  ASSERT_TRUE(GfpganNet::load(w, {}, &cpu));
  NetOptions o;
  o.cuda = true;
  ASSERT_TRUE(GfpganNet::load(w, o, &gpu));
  o.half = true;
  ASSERT_TRUE(GfpganNet::load(w, o, &half));
  const auto image = randomVector(kImage, 8, -1.f, 1.f);
  std::vector<float> a(kImage), b(kImage), c(kImage);
  ASSERT_TRUE(cpu->run(1, image.data(), a.data()));
  ASSERT_TRUE(gpu->run(1, image.data(), b.data()));
  ASSERT_TRUE(half->run(1, image.data(), c.data()));
  EXPECT_LT(maxAbsDiff(a, b), 1e-3f);
  EXPECT_LT(maxAbsDiff(a, c), 5e-2f);
}
