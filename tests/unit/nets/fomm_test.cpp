// FOMM on random weights the tests write: the official key list, bad weights,
// keypoints and jacobians, generator shapes, determinism and batching (shared
// source too), every weight role reaching the output, normalize_kp, CUDA
// agreement where a GPU exists.
#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "avatar_nets/fomm.h"
#include "avatar_nets/runtime.h"
#include "avatar_nets/safetensors.h"
#include "nets_test_util.h"

using namespace avatar::nets;
using nets_test::maxAbsDiff;
using nets_test::randomVector;
using nets_test::randomWeights;
using nets_test::scratchFile;

namespace {

constexpr size_t kImg = FommNet::kImageFloats;
constexpr size_t kKp = FommNet::kKeypointFloats;
constexpr size_t kJac = FommNet::kJacobianFloats;

// name -> "(a, b)" of an official key list, each name prefixed.
void readKeys(const std::string& file, const std::string& prefix,
              std::map<std::string, std::string>* keys) {
  std::ifstream in(std::string(AVATAR_NETS_KEYS_DIR) + "/" + file);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream row(line);
    std::string name, shape;
    std::getline(row, name, '\t');
    std::getline(row, shape, '\t');
    (*keys)[prefix + name] = shape;
  }
}

std::string shapeText(const std::vector<int64_t>& s) {
  std::string t = "(";
  for (size_t i = 0; i < s.size(); ++i) t += (i ? ", " : "") + std::to_string(s[i]);
  return t + (s.size() == 1 ? ",)" : ")");
}

// Copies the random FOMM weights, letting `edit` change the tensor list.
template <typename Edit>
std::string editedFomm(const std::string& name, Edit edit) {
  std::unique_ptr<SafetensorsFile> src;
  EXPECT_TRUE(SafetensorsFile::open(randomWeights(NetKind::Fomm), &src));
  std::vector<TensorToWrite> ts;
  std::vector<std::vector<uint8_t>> storage;
  storage.reserve(src->header().tensors.size() + 4);
  for (const auto& t : src->header().tensors) {
    storage.emplace_back(src->data(t), src->data(t) + (t.end - t.begin));
    ts.push_back({t.name, t.dtype, t.shape, storage.back().data()});
  }
  edit(ts, storage);
  const std::string path = scratchFile(name);
  NetStatus s = writeSafetensors(path, ts, {{"model", "fomm"}});
  EXPECT_TRUE(s) << s.message();
  return path;
}

size_t indexOf(const std::vector<TensorToWrite>& ts, const std::string& name) {
  for (size_t i = 0; i < ts.size(); ++i) {
    if (ts[i].name == name) return i;
  }
  ADD_FAILURE() << "no tensor " << name;
  return 0;
}

NetStatus loadFomm(const std::string& path, std::unique_ptr<FommNet>* net = nullptr) {
  std::unique_ptr<FommNet> local;
  return FommNet::load(path, {}, net ? net : &local);
}

// Images with a smooth blob (so keypoints have something to find) plus noise.
std::vector<float> images(int batch, uint32_t seed) {
  std::vector<float> v = randomVector(size_t(batch) * kImg, seed, 0.f, 0.3f);
  for (int b = 0; b < batch; ++b) {
    const float cx = 0.3f + 0.1f * float((seed + uint32_t(b)) % 5);
    for (int c = 0; c < 3; ++c) {
      for (int y = 0; y < 256; ++y) {
        for (int x = 0; x < 256; ++x) {
          const float dx = x / 255.f - cx, dy = y / 255.f - 0.5f;
          v[size_t(b) * kImg + size_t(c * 65536 + y * 256 + x)] +=
              0.6f * std::exp(-(dx * dx + dy * dy) / 0.03f) * (0.5f + 0.2f * float(c));
        }
      }
    }
  }
  return v;
}

struct Keypoints {
  std::vector<float> kp, jac;
};

Keypoints detect(const FommNet& net, int batch, const std::vector<float>& img) {
  Keypoints k{std::vector<float>(size_t(batch) * kKp), std::vector<float>(size_t(batch) * kJac)};
  NetStatus s = net.detect(batch, img.data(), k.kp.data(), k.jac.data());
  EXPECT_TRUE(s) << s.message();
  return k;
}

std::vector<float> generate(const FommNet& net, int batch, int sourceBatch,
                            const std::vector<float>& src, const Keypoints& ks,
                            const Keypoints& kd) {
  std::vector<float> out(size_t(batch) * kImg, -1.f);
  NetStatus s = net.generate(batch, sourceBatch, src.data(), ks.kp.data(), ks.jac.data(),
                             kd.kp.data(), kd.jac.data(), out.data());
  EXPECT_TRUE(s) << s.message();
  return out;
}

class FommTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    setCpuThreads(int(std::max(1u, std::thread::hardware_concurrency())));
    NetStatus s = FommNet::load(randomWeights(NetKind::Fomm), {}, &net_);
    ASSERT_TRUE(s) << s.message();
  }
  static void TearDownTestSuite() { net_.reset(); }

  static std::unique_ptr<FommNet> net_;
};
std::unique_ptr<FommNet> FommTest::net_;

}  // namespace

TEST(FommWeights, KeysAreExactlyTheOfficialOnesUnderTwoPrefixes) {
  std::map<std::string, std::string> official;
  readKeys("fomm_generator.keys.tsv", "generator.", &official);
  readKeys("fomm_kp_detector.keys.tsv", "kp_detector.", &official);
  ASSERT_EQ(official.size(), 196u + 75u) << "key lists not found or changed";
  const auto& specs = weightSpecs(NetKind::Fomm);
  EXPECT_EQ(specs.size(), official.size());
  int64_t trainable = 0;
  for (const auto& s : specs) {
    auto it = official.find(s.name);
    ASSERT_NE(it, official.end()) << "we consume a key the checkpoint lacks: " << s.name;
    EXPECT_EQ(shapeText(s.shape), it->second) << s.name;
    if (s.dtype != DType::F32 || s.name.find("running_") != std::string::npos ||
        s.name.find("down.weight") != std::string::npos) {
      continue;
    }
    int64_t n = 1;
    for (int64_t d : s.shape) n *= d;
    trainable += n;
  }
  EXPECT_EQ(trainable, 45575391 + 14215368);  // generator + KP detector (MODELS.md)
}

TEST(FommWeights, MissingExtraMisshapenAndNanWeightsAreNamed) {
  NetStatus s = loadFomm(editedFomm("fomm-missing.safetensors", [](auto& ts, auto&) {
    ts.erase(ts.begin() + long(indexOf(ts, "kp_detector.jacobian.bias")));
  }));
  ASSERT_EQ(s.code(), NetError::WeightsMismatch) << s.message();
  EXPECT_NE(s.message().find("1 missing keys: kp_detector.jacobian.bias"), std::string::npos)
      << s.message();

  s = loadFomm(editedFomm("fomm-extra.safetensors", [](auto& ts, auto& storage) {
    storage.push_back(std::vector<uint8_t>(4, 0));
    ts.push_back({"discriminator.conv.weight", DType::F32, {1}, storage.back().data()});
  }));
  ASSERT_EQ(s.code(), NetError::WeightsMismatch) << s.message();
  EXPECT_NE(s.message().find("1 unexpected keys: discriminator.conv.weight"), std::string::npos)
      << s.message();

  s = loadFomm(editedFomm("fomm-shape.safetensors", [](auto& ts, auto&) {
    ts[indexOf(ts, "generator.final.bias")].shape = {1, 3};
  }));
  ASSERT_EQ(s.code(), NetError::WeightsMismatch) << s.message();
  EXPECT_NE(s.message().find("generator.final.bias is (1, 3), expected (3,)"), std::string::npos)
      << s.message();

  s = loadFomm(editedFomm("fomm-nan.safetensors", [](auto& ts, auto& storage) {
    const size_t i = indexOf(ts, "generator.dense_motion_network.mask.bias");
    storage.push_back(std::vector<uint8_t>(11 * 4, 0));
    const float nan = NAN;
    std::memcpy(storage.back().data() + 12, &nan, 4);
    ts[i].bytes = storage.back().data();
  }));
  ASSERT_EQ(s.code(), NetError::InvalidWeights) << s.message();
  EXPECT_NE(s.message().find("generator.dense_motion_network.mask.bias"), std::string::npos);

  // Unprefixed keys (a bare generator state dict) are refused, naming what is missing.
  s = loadFomm(editedFomm("fomm-unprefixed.safetensors", [](auto& ts, auto&) {
    for (auto& t : ts) t.name = t.name.substr(t.name.find('.') + 1);
  }));
  ASSERT_EQ(s.code(), NetError::WeightsMismatch);
  EXPECT_NE(s.message().find("271 missing keys"), std::string::npos) << s.message();

  std::unique_ptr<FommNet> net;
  s = FommNet::load(randomWeights(NetKind::Wav2Lip), {}, &net);
  EXPECT_EQ(s.code(), NetError::WeightsMismatch);
  EXPECT_NE(s.message().find("model 'wav2lip', not fomm"), std::string::npos) << s.message();
}

TEST_F(FommTest, KeypointsAreSpreadInsideTheImageWithFiniteJacobians) {
  const auto img = images(2, 1);
  const Keypoints k = detect(*net_, 2, img);
  for (float v : k.kp) {
    EXPECT_GE(v, -1.f);
    EXPECT_LE(v, 1.f);
  }
  for (float v : k.jac) EXPECT_TRUE(std::isfinite(v));
  EXPECT_GT(convexHullArea(k.kp.data(), FommNet::kKeypoints), 1e-3)
      << "random weights put every keypoint in one place";
  // The two images differ, and so do their keypoints.
  const std::vector<float> second(k.kp.begin() + long(kKp), k.kp.end());
  EXPECT_GT(maxAbsDiff(k.kp, second), 1e-3f);
}

TEST_F(FommTest, PredictionIsInUnitRangeAndFollowsTheDrivingKeypoints) {
  const auto src = images(1, 2);
  const Keypoints ks = detect(*net_, 1, src);
  const Keypoints kd = detect(*net_, 1, images(1, 5));
  const auto out = generate(*net_, 1, 1, src, ks, kd);
  float lo = 1, hi = 0;
  for (float v : out) {
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  EXPECT_GE(lo, 0.f);
  EXPECT_LE(hi, 1.f);
  EXPECT_GT(hi - lo, 0.05f) << "output is flat: random weights saturate the net";
  Keypoints moved = kd;
  for (size_t i = 0; i < kKp; i += 2) moved.kp[i] += 0.2f;
  EXPECT_GT(maxAbsDiff(generate(*net_, 1, 1, src, ks, moved), out), 1e-3f)
      << "moving the driving keypoints changes nothing";
}

TEST_F(FommTest, DeterministicBatchIndependentAndASharedSourceEqualsRepeatedOnes) {
  const auto src = images(1, 3);
  const auto drv = images(2, 4);
  const Keypoints ks = detect(*net_, 1, src);
  const Keypoints kd = detect(*net_, 2, drv);
  const auto a = generate(*net_, 2, 1, src, ks, kd);
  EXPECT_EQ(a, generate(*net_, 2, 1, src, ks, kd));
  // The same source given twice, with its keypoints twice.
  std::vector<float> src2;
  Keypoints ks2;
  for (int i = 0; i < 2; ++i) {
    src2.insert(src2.end(), src.begin(), src.end());
    ks2.kp.insert(ks2.kp.end(), ks.kp.begin(), ks.kp.end());
    ks2.jac.insert(ks2.jac.end(), ks.jac.begin(), ks.jac.end());
  }
  EXPECT_LT(maxAbsDiff(a, generate(*net_, 2, 2, src2, ks2, kd)), 1e-5f);
  // Frame 1 alone equals frame 1 in the batch; keypoints too.
  const Keypoints k1{std::vector<float>(kd.kp.begin() + long(kKp), kd.kp.end()),
                     std::vector<float>(kd.jac.begin() + long(kJac), kd.jac.end())};
  const Keypoints k1alone =
      detect(*net_, 1, std::vector<float>(drv.begin() + long(kImg), drv.end()));
  EXPECT_LT(maxAbsDiff(k1alone.kp, k1.kp), 1e-5f);
  EXPECT_LT(maxAbsDiff(a, generate(*net_, 1, 1, src, ks, k1), kImg), 1e-5f);
}

TEST_F(FommTest, BadInputsAreClearErrors) {
  const auto img = images(1, 6);
  Keypoints k = detect(*net_, 1, img);
  std::vector<float> out(2 * kImg);
  auto gen = [&](int batch, int sourceBatch, const Keypoints& kd) {
    return net_->generate(batch, sourceBatch, img.data(), k.kp.data(), k.jac.data(), kd.kp.data(),
                          kd.jac.data(), out.data());
  };
  EXPECT_EQ(net_->detect(0, img.data(), k.kp.data(), k.jac.data()).code(),
            NetError::InvalidArgument);
  EXPECT_EQ(net_->detect(1, nullptr, k.kp.data(), k.jac.data()).code(), NetError::InvalidArgument);
  NetStatus s = gen(1, 2, k);
  EXPECT_EQ(s.code(), NetError::InvalidArgument);
  EXPECT_EQ(s.subject(), "sourceBatch");
  Keypoints nan = k;
  nan.kp[3] = NAN;
  s = gen(1, 1, nan);
  EXPECT_EQ(s.code(), NetError::InvalidArgument);
  EXPECT_EQ(s.subject(), "kp_driving");
  Keypoints singular = k;
  std::fill(singular.jac.begin() + 4, singular.jac.begin() + 8, 0.5f);  // rank 1
  s = gen(1, 1, singular);
  EXPECT_EQ(s.code(), NetError::InvalidArgument) << s.message();
  EXPECT_NE(s.message().find("jacobian_driving: jacobian 1 is singular"), std::string::npos)
      << s.message();
}

// Each kind of weight reaches the outputs: conv and folded BN parameters of
// both hourglasses, the heads, both anti-alias kernels, the residual blocks'
// pre-activation norm1 and folded norm2, the decoder, the final conv. (A
// keypoint-logit bias is the one parameter with no effect: the spatial
// softmax cancels it, in the official code too.)
TEST_F(FommTest, EveryKindOfWeightChangesTheOutput) {
  const auto src = images(1, 7);
  const auto drv = images(1, 8);
  const Keypoints ks = detect(*net_, 1, src), kd = detect(*net_, 1, drv);
  const auto base = generate(*net_, 1, 1, src, ks, kd);
  const std::vector<std::string> keys = {
      "kp_detector.down.weight",
      "kp_detector.predictor.encoder.down_blocks.2.norm.running_mean",
      "kp_detector.predictor.decoder.up_blocks.4.conv.weight",
      "kp_detector.kp.weight",
      "kp_detector.jacobian.bias",
      "generator.dense_motion_network.down.weight",
      "generator.dense_motion_network.hourglass.encoder.down_blocks.0.norm.running_var",
      "generator.dense_motion_network.hourglass.decoder.up_blocks.3.conv.bias",
      "generator.dense_motion_network.mask.weight",
      "generator.dense_motion_network.occlusion.bias",
      "generator.first.norm.weight",
      "generator.down_blocks.1.conv.bias",
      "generator.bottleneck.r3.norm1.bias",
      "generator.bottleneck.r5.norm2.running_mean",
      "generator.up_blocks.0.norm.bias",
      "generator.final.weight",
  };
  for (const std::string& key : keys) {
    const std::string path = editedFomm("fomm-edit.safetensors", [&](auto& ts, auto& storage) {
      TensorToWrite& t = ts[indexOf(ts, key)];
      int64_t n = 1;
      for (int64_t d : t.shape) n *= d;
      std::vector<float> v(static_cast<size_t>(n));
      std::memcpy(v.data(), t.bytes, v.size() * 4);
      for (size_t i = 0; i < v.size(); ++i) v[i] = v[i] * 0.7f + 0.05f * float(i % 3);
      storage.emplace_back(reinterpret_cast<uint8_t*>(v.data()),
                           reinterpret_cast<uint8_t*>(v.data()) + v.size() * 4);
      t.bytes = storage.back().data();
    });
    std::unique_ptr<FommNet> net;
    ASSERT_TRUE(loadFomm(path, &net)) << key;
    if (key.rfind("kp_detector.", 0) == 0) {  // the keypoints (or jacobians) move
      const Keypoints k2 = detect(*net, 1, drv);
      EXPECT_GT(std::max(maxAbsDiff(k2.kp, kd.kp), maxAbsDiff(k2.jac, kd.jac)), 1e-5f)
          << key << " has no effect";
    } else {
      EXPECT_GT(maxAbsDiff(generate(*net, 1, 1, src, ks, kd), base), 1e-5f)
          << key << " has no effect";
    }
  }
}

TEST(FommNormalize, AbsoluteKeepsTheDrivingKeypoints) {
  const auto ks = randomVector(kKp, 1, -0.5f, 0.5f), kd = randomVector(2 * kKp, 2, -0.5f, 0.5f);
  const auto ki = randomVector(kKp, 3, -0.5f, 0.5f);
  const auto js = randomVector(kJac, 4, 0.5f, 1.f), jd = randomVector(2 * kJac, 5, 0.5f, 1.f);
  const auto ji = randomVector(kJac, 6, 0.5f, 1.f);
  std::vector<float> kp(2 * kKp), jac(2 * kJac);
  FommNormalizeOptions o;
  o.relativeMovement = false;
  ASSERT_TRUE(fommNormalizeKeypoints(2, ks.data(), js.data(), ki.data(), ji.data(), kd.data(),
                                     jd.data(), o, kp.data(), jac.data()));
  EXPECT_EQ(kp, kd);
  EXPECT_EQ(jac, jd);
}

TEST(FommNormalize, RelativeMovesTheSourceByTheScaledDrivingMotion) {
  // Source keypoints span a square of side 0.4, the initial driving frame one
  // of side 0.8: adapt scale = sqrt(0.16 / 0.64) = 0.5.
  std::vector<float> ks(kKp), ki(kKp);
  for (int k = 0; k < FommNet::kKeypoints; ++k) {
    const float x = (k % 4 == 1 || k % 4 == 2) ? 1.f : -1.f, y = (k % 4 >= 2) ? 1.f : -1.f;
    const float inner = k >= 4 ? 0.5f : 1.f;  // the rest inside the square
    ks[size_t(2 * k)] = 0.2f * x * inner + 0.1f;
    ks[size_t(2 * k + 1)] = 0.2f * y * inner;
    ki[size_t(2 * k)] = 0.4f * x * inner;
    ki[size_t(2 * k + 1)] = 0.4f * y * inner - 0.2f;
  }
  EXPECT_NEAR(convexHullArea(ks.data(), FommNet::kKeypoints), 0.16, 1e-6);
  EXPECT_NEAR(convexHullArea(ki.data(), FommNet::kKeypoints), 0.64, 1e-6);
  std::vector<float> kd = ki;
  for (size_t i = 0; i < kKp; i += 2) kd[i] += 0.3f;  // the driver moved right by 0.3
  // Jacobians: source diag(2, 1), initial diag(1, 2), driving = initial rotated.
  std::vector<float> js(kJac), ji(kJac), jd(kJac);
  const float c = std::cos(0.3f), s = std::sin(0.3f);
  for (size_t k = 0; k < 10; ++k) {
    const float J[3][4] = {{2, 0, 0, 1}, {1, 0, 0, 2}, {c, -2 * s, s, 2 * c}};
    std::copy(J[0], J[0] + 4, js.begin() + long(4 * k));
    std::copy(J[1], J[1] + 4, ji.begin() + long(4 * k));
    std::copy(J[2], J[2] + 4, jd.begin() + long(4 * k));
  }
  std::vector<float> kp(kKp), jac(kJac);
  ASSERT_TRUE(fommNormalizeKeypoints(1, ks.data(), js.data(), ki.data(), ji.data(), kd.data(),
                                     jd.data(), {}, kp.data(), jac.data()));
  for (size_t i = 0; i < kKp; ++i) EXPECT_NEAR(kp[i], ks[i] + (i % 2 == 0 ? 0.15f : 0.f), 1e-6);
  // J = (Jd . inv(Ji)) . Js = R(0.3) . diag(2, 1).
  for (size_t k = 0; k < 10; ++k) {
    EXPECT_NEAR(jac[4 * k + 0], 2 * c, 1e-6);
    EXPECT_NEAR(jac[4 * k + 1], -s, 1e-6);
    EXPECT_NEAR(jac[4 * k + 2], 2 * s, 1e-6);
    EXPECT_NEAR(jac[4 * k + 3], c, 1e-6);
  }
  // Without adapt scale the motion is not scaled; without relative jacobians
  // they are the driving ones.
  FommNormalizeOptions o;
  o.adaptMovementScale = false;
  o.relativeJacobian = false;
  ASSERT_TRUE(fommNormalizeKeypoints(1, ks.data(), js.data(), ki.data(), ji.data(), kd.data(),
                                     jd.data(), o, kp.data(), jac.data()));
  for (size_t i = 0; i < kKp; ++i) EXPECT_NEAR(kp[i], ks[i] + (i % 2 == 0 ? 0.3f : 0.f), 1e-6);
  EXPECT_EQ(jac, jd);
}

TEST(FommNormalize, DegenerateInputsAreNamed) {
  std::vector<float> line(kKp), ok = randomVector(kKp, 9, -0.5f, 0.5f);
  for (size_t k = 0; k < 10; ++k) line[2 * k] = line[2 * k + 1] = 0.1f * float(k);  // collinear
  std::vector<float> eye(kJac, 0.f), kp(kKp), jac(kJac);
  for (size_t k = 0; k < 10; ++k) eye[4 * k] = eye[4 * k + 3] = 1.f;
  NetStatus s = fommNormalizeKeypoints(1, ok.data(), eye.data(), line.data(), eye.data(), ok.data(),
                                       eye.data(), {}, kp.data(), jac.data());
  EXPECT_EQ(s.code(), NetError::InvalidArgument);
  EXPECT_EQ(s.subject(), "kp_driving_initial") << s.message();
  std::vector<float> singular = eye;
  singular[4 * 3 + 3] = 0.f;
  s = fommNormalizeKeypoints(1, ok.data(), eye.data(), ok.data(), singular.data(), ok.data(),
                             eye.data(), {}, kp.data(), jac.data());
  EXPECT_EQ(s.subject(), "jacobian_driving_initial") << s.message();
  EXPECT_NE(s.message().find("keypoint 3"), std::string::npos);
  std::vector<float> nan = ok;
  nan[5] = NAN;
  s = fommNormalizeKeypoints(1, nan.data(), eye.data(), ok.data(), eye.data(), ok.data(),
                             eye.data(), {}, kp.data(), jac.data());
  EXPECT_EQ(s.subject(), "kp_source");
  EXPECT_EQ(convexHullArea(line.data(), 10), 0.0);
}

TEST(FommDevice, HalfOnCpuIsRefused) {
  std::unique_ptr<FommNet> net;
  NetOptions o;
  o.half = true;
  EXPECT_EQ(FommNet::load(randomWeights(NetKind::Fomm), o, &net).code(),
            NetError::DeviceUnavailable);
}

TEST(FommDevice, CudaAgreesWithCpu) {
  if (!cudaAvailable()) {
    GTEST_SKIP() << "no CUDA device in this LibTorch build/machine: CPU/CUDA agreement not checked";
  }
  const std::string w = randomWeights(NetKind::Fomm);
  std::unique_ptr<FommNet> cpu, gpu, half;
  ASSERT_TRUE(FommNet::load(w, {}, &cpu));
  NetOptions o;
  o.cuda = true;
  ASSERT_TRUE(FommNet::load(w, o, &gpu));
  o.half = true;
  ASSERT_TRUE(FommNet::load(w, o, &half));
  const auto src = images(1, 10), drv = images(4, 11);
  for (const FommNet* n : {gpu.get(), half.get()}) {
    const Keypoints ks = detect(*n, 1, src), kd = detect(*n, 4, drv);
    const Keypoints cs = detect(*cpu, 1, src), cd = detect(*cpu, 4, drv);
    const float tol = n == half.get() ? 2e-2f : 1e-3f;
    EXPECT_LT(maxAbsDiff(kd.kp, cd.kp), tol);
    EXPECT_LT(maxAbsDiff(generate(*n, 4, 1, src, ks, kd), generate(*cpu, 4, 1, src, cs, cd)),
              n == half.get() ? 5e-2f : 1e-3f);
  }
}
