// Diff2Lip: the key list is exactly the official checkpoint's (632 keys),
// bad weights fail naming the tensor and the file, and the DDIM schedule
// matches numbers computed here from the formulas.
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "avatar_nets/diff2lip.h"
#include "avatar_nets/safetensors.h"
#include "avatar_nets/weights.h"
#include "nets_test_util.h"

using namespace avatar::nets;
using nets_test::randomWeights;
using nets_test::scratchFile;

namespace {

std::map<std::string, std::string> officialKeys() {
  std::map<std::string, std::string> keys;
  std::ifstream in(std::string(AVATAR_NETS_KEYS_DIR) + "/diff2lip.keys.tsv");
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream row(line);
    std::string name, shape;
    std::getline(row, name, '\t');
    std::getline(row, shape, '\t');
    keys[name] = shape;
  }
  return keys;
}

std::string shapeText(const std::vector<int64_t>& s) {
  std::string t = "(";
  for (size_t i = 0; i < s.size(); ++i) t += (i ? ", " : "") + std::to_string(s[i]);
  return t + (s.size() == 1 ? ",)" : ")");
}

NetStatus load(const std::string& path) {
  std::unique_ptr<Diff2LipNet> net;
  return Diff2LipNet::load(path, {}, &net);
}

// A copy of the random weights (tensor data taken from the mapped file) with
// `edit` applied to the tensor list; removed by the caller.
template <typename Edit>
std::string edited(const std::string& name, Edit edit) {
  std::unique_ptr<SafetensorsFile> src;
  EXPECT_TRUE(SafetensorsFile::open(randomWeights(NetKind::Diff2Lip), &src));
  std::vector<TensorToWrite> ts;
  for (const auto& t : src->header().tensors)
    ts.push_back({t.name, t.dtype, t.shape, src->data(t)});
  std::vector<std::vector<uint8_t>> storage;
  storage.reserve(8);
  edit(ts, storage);
  const std::string path = scratchFile(name);
  NetStatus s = writeSafetensors(path, ts, {{"model", "diff2lip"}});
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

// Cumulative product of (1 - beta_i), beta_i = 1e-4 + i (0.02 - 1e-4) / 999,
// up to and including timestep t.
double alphaBarAt(int t) {
  long double p = 1;
  for (int i = 0; i <= t; ++i) p *= 1.0L - (1e-4L + i * (0.02L - 1e-4L) / 999.0L);
  return double(p);
}

}  // namespace

TEST(Diff2LipWeights, KeysAreExactlyTheOfficialOnes) {
  const auto official = officialKeys();
  ASSERT_EQ(official.size(), 632u) << "key list diff2lip.keys.tsv not found or changed";
  const auto& specs = weightSpecs(NetKind::Diff2Lip);
  EXPECT_EQ(specs.size(), official.size());
  int64_t params = 0;
  for (const auto& s : specs) {
    auto it = official.find(s.name);
    ASSERT_NE(it, official.end()) << "we consume a key the checkpoint lacks: " << s.name;
    EXPECT_EQ(shapeText(s.shape), it->second) << s.name;
    int64_t n = 1;
    for (int64_t d : s.shape) n *= d;
    params += n;
  }
  EXPECT_EQ(params, 101670630);  // MODELS.md: the official parameter count
  NetKind k = NetKind::Wav2Lip;
  EXPECT_TRUE(netFromName("diff2lip", &k));
  EXPECT_EQ(k, NetKind::Diff2Lip);
  EXPECT_STREQ(netName(NetKind::Diff2Lip), "diff2lip");
}

TEST(Diff2LipWeights, RandomWeightsCoverEveryKeyAndLoad) {
  std::unique_ptr<SafetensorsFile> f;
  ASSERT_TRUE(SafetensorsFile::open(randomWeights(NetKind::Diff2Lip), &f));
  EXPECT_EQ(f->header().tensors.size(), 632u);
  EXPECT_EQ(f->header().metadata.at("model"), "diff2lip");
  NetStatus s = load(randomWeights(NetKind::Diff2Lip));
  EXPECT_TRUE(s) << s.message();
}

TEST(Diff2LipWeights, MissingAndMisshapedKeysAreListedWithTheFile) {
  const std::string path = edited("d2l-missing.safetensors", [](auto& ts, auto&) {
    ts.erase(ts.begin() + long(indexOf(ts, "audio_encoder_to_style.3.bias")));
    ts[indexOf(ts, "out.2.weight")].shape = {6, 1152, 1, 1};  // same bytes, wrong shape
  });
  NetStatus s = load(path);
  std::filesystem::remove(path);
  ASSERT_EQ(s.code(), NetError::WeightsMismatch) << s.message();
  EXPECT_NE(s.subject().find("d2l-missing.safetensors"), std::string::npos) << s.subject();
  EXPECT_NE(s.message().find("1 missing keys: audio_encoder_to_style.3.bias"), std::string::npos)
      << s.message();
  EXPECT_NE(s.message().find("out.2.weight is (6, 1152, 1, 1), expected (6, 128, 3, 3)"),
            std::string::npos)
      << s.message();
}

TEST(Diff2LipWeights, NanWeightsAreRejectedByName) {
  const std::string path = edited("d2l-nan.safetensors", [](auto& ts, auto& storage) {
    const size_t i = indexOf(ts, "input_blocks.13.1.qkv.bias");  // (1536,)
    storage.push_back(std::vector<uint8_t>(1536 * 4, 0));
    const float inf = INFINITY;
    std::memcpy(storage.back().data() + 40, &inf, 4);
    ts[i].bytes = storage.back().data();
  });
  NetStatus s = load(path);
  std::filesystem::remove(path);
  ASSERT_EQ(s.code(), NetError::InvalidWeights) << s.message();
  EXPECT_NE(s.message().find("input_blocks.13.1.qkv.bias"), std::string::npos) << s.message();
  EXPECT_NE(s.subject().find("d2l-nan.safetensors"), std::string::npos) << s.subject();
}

TEST(Diff2LipWeights, OtherNetsWeightsAreRefusedUpFront) {
  NetStatus s = load(randomWeights(NetKind::Wav2Lip));
  EXPECT_EQ(s.code(), NetError::WeightsMismatch);
  EXPECT_NE(s.message().find("model 'wav2lip', not diff2lip"), std::string::npos) << s.message();
  // No metadata: the key check lists what is missing.
  const float v = 1.f;
  const std::string path = scratchFile("d2l-tiny.safetensors");
  ASSERT_TRUE(writeSafetensors(path, {{"time_embed.0.weight", DType::F32, {1}, &v}}));
  s = load(path);
  ASSERT_EQ(s.code(), NetError::WeightsMismatch);
  EXPECT_NE(s.message().find("631 missing keys"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("time_embed.0.weight is (1,), expected (512, 128)"), std::string::npos)
      << s.message();
  EXPECT_EQ(load(scratchFile("no-such-diff2lip.safetensors")).code(), NetError::FileNotFound);
}

TEST(Diff2LipSchedule, Ddim25IsEveryFortiethTimestepWithItsAlphaBar) {
  DdimSchedule s;
  ASSERT_TRUE(ddimSchedule(25, &s));
  ASSERT_EQ(s.timesteps.size(), 25u);
  ASSERT_EQ(s.alphaBar.size(), 25u);
  ASSERT_EQ(s.alphaBarPrev.size(), 25u);
  for (size_t i = 0; i < 25; ++i) {
    EXPECT_EQ(s.timesteps[i], int64_t(40 * i));
    const double want = alphaBarAt(int(40 * i));
    EXPECT_NEAR(s.alphaBar[i] / want, 1.0, 1e-12) << "t = " << 40 * i;
    EXPECT_DOUBLE_EQ(s.alphaBarPrev[i], i == 0 ? 1.0 : s.alphaBar[i - 1]);
  }
  // Sanity of the formula itself: beta_0 = 1e-4, and at t = 960 the signal is
  // almost gone (MODELS.md: about 1/150 of the noise scale).
  EXPECT_NEAR(s.alphaBar[0], 1.0 - 1e-4, 1e-15);
  EXPECT_GT(1.0 / std::sqrt(s.alphaBar[24]), 100.0);
  EXPECT_LT(1.0 / std::sqrt(s.alphaBar[24]), 200.0);
}

TEST(Diff2LipSchedule, OtherStepCountsUseTheDdimStride) {
  for (int steps : {10, 50, 2, 100, 1000}) {
    DdimSchedule s;
    ASSERT_TRUE(ddimSchedule(steps, &s)) << steps;
    ASSERT_EQ(s.timesteps.size(), size_t(steps));
    const int stride = 1000 / steps;
    for (size_t i = 0; i < s.timesteps.size(); ++i) {
      EXPECT_EQ(s.timesteps[i], int64_t(i) * stride) << steps;
    }
    EXPECT_NEAR(s.alphaBar.back() / alphaBarAt(int(s.timesteps.back())), 1.0, 1e-12);
  }
  // 30 steps: stride 34 (ceil(1000/34) = 30), last timestep 986.
  DdimSchedule s;
  ASSERT_TRUE(ddimSchedule(30, &s));
  EXPECT_EQ(s.timesteps[1], 34);
  EXPECT_EQ(s.timesteps.back(), 986);
  for (int bad : {0, -3, 1, 400, 999, 1001}) {
    NetStatus st = ddimSchedule(bad, &s);
    EXPECT_EQ(st.code(), NetError::InvalidArgument) << bad;
    EXPECT_EQ(st.subject(), "steps");
  }
}
