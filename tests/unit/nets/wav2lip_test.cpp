// Wav2Lip on random weights: shapes, value range, determinism, batching,
// input checks, CUDA agreement where a GPU exists.
#include <thread>

#include "avatar_nets/nets.h"
#include "avatar_nets/runtime.h"
#include "nets_test_util.h"

using namespace avatar::nets;
using nets_test::maxAbsDiff;
using nets_test::randomVector;
using nets_test::randomWeights;

namespace {

constexpr size_t kMel = 80 * 16;
constexpr size_t kFace = 6 * 96 * 96;
constexpr size_t kOut = 3 * 96 * 96;

class Wav2LipTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    setCpuThreads(int(std::max(1u, std::thread::hardware_concurrency())));
    NetStatus s = Wav2LipNet::load(randomWeights(NetKind::Wav2Lip), {}, &net_);
    ASSERT_TRUE(s) << s.message();
  }
  static void TearDownTestSuite() { net_.reset(); }

  static std::vector<float> run(int batch, const std::vector<float>& mel,
                                const std::vector<float>& face) {
    std::vector<float> out(size_t(batch) * kOut, -1.f);
    NetStatus s = net_->run(batch, mel.data(), face.data(), out.data());
    EXPECT_TRUE(s) << s.message();
    return out;
  }

  static std::unique_ptr<Wav2LipNet> net_;
};
std::unique_ptr<Wav2LipNet> Wav2LipTest::net_;

}  // namespace

TEST_F(Wav2LipTest, OutputIsInUnitRangeAndDependsOnTheInputs) {
  const auto mel = randomVector(2 * kMel, 1, -4.f, 4.f);
  const auto face = randomVector(2 * kFace, 2, 0.f, 1.f);
  const auto out = run(2, mel, face);
  float lo = 1, hi = 0;
  double mean = 0;
  for (float v : out) {
    lo = std::min(lo, v);
    hi = std::max(hi, v);
    mean += v;
  }
  mean /= double(out.size());
  EXPECT_GE(lo, 0.f);
  EXPECT_LE(hi, 1.f);
  EXPECT_GT(hi - lo, 0.05f) << "output is flat: random weights saturate the net";
  EXPECT_GT(mean, 0.02);
  EXPECT_LT(mean, 0.98);
  // The two samples differ, and changing only the mel changes the output.
  const std::vector<float> first(out.begin(), out.begin() + long(kOut));
  EXPECT_GT(maxAbsDiff(out, first, kOut), 1e-3f);
  auto mel2 = mel;
  for (size_t i = 0; i < kMel; ++i) mel2[i] = -mel2[i];
  const auto out2 = run(2, mel2, face);
  EXPECT_GT(maxAbsDiff(out2, first), 1e-4f) << "mel has no effect";
}

TEST_F(Wav2LipTest, DeterministicAndBatchIndependent) {
  const auto mel = randomVector(3 * kMel, 3, -4.f, 4.f);
  const auto face = randomVector(3 * kFace, 4, 0.f, 1.f);
  const auto a = run(3, mel, face);
  const auto b = run(3, mel, face);
  EXPECT_EQ(a, b);
  // Sample 2 alone equals sample 2 in the batch.
  const std::vector<float> mel1(mel.begin() + long(2 * kMel), mel.end());
  const std::vector<float> face1(face.begin() + long(2 * kFace), face.end());
  const auto single = run(1, mel1, face1);
  EXPECT_LT(maxAbsDiff(a, single, 2 * kOut), 1e-5f);
}

TEST_F(Wav2LipTest, BadInputsAreClearErrors) {
  std::vector<float> mel(kMel, 0.f), face(kFace, 0.5f), out(kOut);
  EXPECT_EQ(net_->run(0, mel.data(), face.data(), out.data()).code(), NetError::InvalidArgument);
  EXPECT_EQ(net_->run(1, nullptr, face.data(), out.data()).code(), NetError::InvalidArgument);
  mel[7] = NAN;
  NetStatus s = net_->run(1, mel.data(), face.data(), out.data());
  EXPECT_EQ(s.code(), NetError::InvalidArgument);
  EXPECT_EQ(s.subject(), "mel");
}

TEST(Wav2LipDevice, HalfOnCpuIsRefused) {
  std::unique_ptr<Wav2LipNet> net;
  NetOptions o;
  o.half = true;
  NetStatus s = Wav2LipNet::load(randomWeights(NetKind::Wav2Lip), o, &net);
  EXPECT_EQ(s.code(), NetError::DeviceUnavailable) << s.message();
}

TEST(Wav2LipDevice, CudaAgreesWithCpu) {
  if (!cudaAvailable()) {
    GTEST_SKIP() << "no CUDA device in this LibTorch build/machine: CPU/CUDA agreement not checked";
  }
  const std::string w = randomWeights(NetKind::Wav2Lip);
  std::unique_ptr<Wav2LipNet> cpu, gpu, half;
  ASSERT_TRUE(Wav2LipNet::load(w, {}, &cpu));
  NetOptions o;
  o.cuda = true;
  ASSERT_TRUE(Wav2LipNet::load(w, o, &gpu));
  o.half = true;
  ASSERT_TRUE(Wav2LipNet::load(w, o, &half));
  const auto mel = randomVector(4 * kMel, 5, -4.f, 4.f);
  const auto face = randomVector(4 * kFace, 6, 0.f, 1.f);
  std::vector<float> a(4 * kOut), b(4 * kOut), c(4 * kOut);
  ASSERT_TRUE(cpu->run(4, mel.data(), face.data(), a.data()));
  ASSERT_TRUE(gpu->run(4, mel.data(), face.data(), b.data()));
  ASSERT_TRUE(half->run(4, mel.data(), face.data(), c.data()));
  EXPECT_LT(maxAbsDiff(a, b), 1e-3f);
  EXPECT_LT(maxAbsDiff(a, c), 2e-2f);
}
