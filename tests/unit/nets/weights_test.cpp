// The weight key lists match the official checkpoints exactly, and loading
// rejects files that do not fit: missing/extra keys, shapes, dtypes, NaN.
#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

#include "avatar_nets/nets.h"
#include "avatar_nets/safetensors.h"
#include "avatar_nets/weights.h"
#include "nets_test_util.h"

using namespace avatar::nets;
using nets_test::randomWeights;
using nets_test::scratchFile;

namespace {

// name -> "(a, b, c)" from the official key list (model-keys/*.keys.tsv).
std::map<std::string, std::string> officialKeys(const std::string& file) {
  std::map<std::string, std::string> keys;
  std::ifstream in(std::string(AVATAR_NETS_KEYS_DIR) + "/" + file);
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

void expectSpecsMatch(NetKind k, const std::string& file, size_t count) {
  const auto official = officialKeys(file);
  ASSERT_EQ(official.size(), count) << "key list " << file << " not found or changed";
  const auto& specs = weightSpecs(k);
  EXPECT_EQ(specs.size(), official.size());
  for (const auto& s : specs) {
    auto it = official.find(s.name);
    ASSERT_NE(it, official.end()) << "we consume a key the checkpoint lacks: " << s.name;
    EXPECT_EQ(shapeText(s.shape), it->second) << s.name;
  }
}

int64_t trainableParameters(NetKind k) {
  int64_t n = 0;
  for (const auto& s : weightSpecs(k)) {
    if (s.dtype != DType::F32 || s.name.find("running_") != std::string::npos ||
        s.name.find("noises.") != std::string::npos) {
      continue;
    }
    int64_t p = 1;
    for (int64_t d : s.shape) p *= d;
    n += p;
  }
  return n;
}

// Copies the random Wav2Lip weights, letting `edit` change the tensor list.
template <typename Edit>
std::string editedWav2Lip(const std::string& name, Edit edit) {
  std::unique_ptr<SafetensorsFile> src;
  EXPECT_TRUE(SafetensorsFile::open(randomWeights(NetKind::Wav2Lip), &src));
  std::vector<TensorToWrite> ts;
  std::vector<std::vector<uint8_t>> storage;
  storage.reserve(src->header().tensors.size() + 4);
  for (const auto& t : src->header().tensors) {
    storage.emplace_back(src->data(t), src->data(t) + (t.end - t.begin));
    ts.push_back({t.name, t.dtype, t.shape, storage.back().data()});
  }
  edit(ts, storage);
  const std::string path = scratchFile(name);
  NetStatus s = writeSafetensors(path, ts, {{"model", "wav2lip"}});
  EXPECT_TRUE(s) << s.message();
  return path;
}

NetStatus loadWav2Lip(const std::string& path) {
  std::unique_ptr<Wav2LipNet> net;
  return Wav2LipNet::load(path, {}, &net);
}

}  // namespace

TEST(Weights, Wav2LipKeysAreExactlyTheOfficialOnes) {
  expectSpecsMatch(NetKind::Wav2Lip, "wav2lip.keys.tsv", 352);
  EXPECT_EQ(trainableParameters(NetKind::Wav2Lip), 36298035);
}

TEST(Weights, GfpganKeysAreExactlyTheOfficialOnes) {
  expectSpecsMatch(NetKind::Gfpgan, "gfpgan_v1_clean.keys.tsv", 285);
  EXPECT_EQ(trainableParameters(NetKind::Gfpgan), 86444252);
}

TEST(Weights, RandomWeightsCoverEveryKeyAndLoad) {
  std::unique_ptr<SafetensorsFile> f;
  ASSERT_TRUE(SafetensorsFile::open(randomWeights(NetKind::Wav2Lip), &f));
  EXPECT_EQ(f->header().tensors.size(), weightSpecs(NetKind::Wav2Lip).size());
  EXPECT_EQ(f->header().metadata.at("model"), "wav2lip");
  NetStatus s = loadWav2Lip(randomWeights(NetKind::Wav2Lip));
  EXPECT_TRUE(s) << s.message();
}

TEST(Weights, MissingKeysAreListed) {
  const std::string path = editedWav2Lip("w2l-missing.safetensors", [](auto& ts, auto&) {
    ts.erase(ts.begin() + 3);  // face_encoder_blocks.0.0.conv_block.1.bias
    ts.pop_back();
  });
  NetStatus s = loadWav2Lip(path);
  ASSERT_EQ(s.code(), NetError::WeightsMismatch) << s.message();
  EXPECT_NE(s.message().find("2 missing keys"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("face_encoder_blocks.0.0.conv_block.1.bias"), std::string::npos);
  EXPECT_NE(s.subject().find("w2l-missing.safetensors"), std::string::npos);
}

TEST(Weights, UnexpectedKeysAreListedWithTheConverterHint) {
  const std::string path = editedWav2Lip("w2l-extra.safetensors", [](auto& ts, auto& storage) {
    storage.push_back(std::vector<uint8_t>(4, 0));
    ts.push_back({"module.extra.weight", DType::F32, {1}, storage.back().data()});
  });
  NetStatus s = loadWav2Lip(path);
  ASSERT_EQ(s.code(), NetError::WeightsMismatch);
  EXPECT_NE(s.message().find("1 unexpected keys: module.extra.weight"), std::string::npos)
      << s.message();
  EXPECT_NE(s.message().find("convert_checkpoint.py"), std::string::npos) << s.message();
}

TEST(Weights, WrongShapeIsNamedWithBothShapes) {
  const std::string path = editedWav2Lip("w2l-shape.safetensors", [](auto& ts, auto&) {
    ts[1].shape = {4, 4};  // face_encoder_blocks.0.0.conv_block.0.bias is (16,)
  });
  NetStatus s = loadWav2Lip(path);
  ASSERT_EQ(s.code(), NetError::WeightsMismatch);
  EXPECT_NE(s.message().find("face_encoder_blocks.0.0.conv_block.0.bias is (4, 4), expected (16,)"),
            std::string::npos)
      << s.message();
}

TEST(Weights, WrongDtypeIsNamed) {
  const std::string path = editedWav2Lip("w2l-dtype.safetensors", [](auto& ts, auto&) {
    ts[1].dtype = DType::I32;  // same byte size as F32: only the dtype is wrong
  });
  NetStatus s = loadWav2Lip(path);
  ASSERT_EQ(s.code(), NetError::WeightsMismatch);
  EXPECT_NE(s.message().find("is I32, expected F32"), std::string::npos) << s.message();
}

TEST(Weights, Float16WeightsAreAccepted) {
  const std::string path = editedWav2Lip("w2l-f16.safetensors", [](auto& ts, auto& storage) {
    for (auto& t : ts) {
      if (t.dtype != DType::F32) continue;
      int64_t n = 1;
      for (int64_t d : t.shape) n *= d;
      std::vector<uint8_t> half(size_t(n) * 2);
      const float* src = static_cast<const float*>(t.bytes);
      for (int64_t i = 0; i < n; ++i) {
        const uint16_t h = floatToHalf(src[i]);
        std::memcpy(half.data() + 2 * i, &h, 2);
      }
      storage.push_back(std::move(half));
      t.bytes = storage.back().data();
      t.dtype = DType::F16;
    }
  });
  NetStatus s = loadWav2Lip(path);
  EXPECT_TRUE(s) << s.message();
}

TEST(Weights, NanWeightsAreRejectedByName) {
  const std::string path = editedWav2Lip("w2l-nan.safetensors", [](auto& ts, auto& storage) {
    storage.push_back(std::vector<uint8_t>(16 * 4, 0));
    const float nan = NAN;
    std::memcpy(storage.back().data() + 8, &nan, 4);
    ts[1].bytes = storage.back().data();
  });
  NetStatus s = loadWav2Lip(path);
  ASSERT_EQ(s.code(), NetError::InvalidWeights) << s.message();
  EXPECT_NE(s.message().find("face_encoder_blocks.0.0.conv_block.0.bias"), std::string::npos);
}

TEST(Weights, OtherModelsWeightsAreRefusedUpFront) {
  std::unique_ptr<GfpganNet> g;
  NetStatus s = GfpganNet::load(randomWeights(NetKind::Wav2Lip), {}, &g);
  EXPECT_EQ(s.code(), NetError::WeightsMismatch);
  EXPECT_NE(s.message().find("model 'wav2lip', not gfpgan"), std::string::npos) << s.message();
}

TEST(Weights, NoMetadataStillKeyChecksEverything) {
  // A file without __metadata__ (e.g. hand-made) falls through to the key check.
  const float v = 1.f;
  const std::string path = scratchFile("tiny.safetensors");
  ASSERT_TRUE(writeSafetensors(path, {{"conv.weight", DType::F32, {1}, &v}}));
  NetStatus s = loadWav2Lip(path);
  ASSERT_EQ(s.code(), NetError::WeightsMismatch);
  EXPECT_NE(s.message().find("352 missing keys"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("1 unexpected keys: conv.weight"), std::string::npos);
}
