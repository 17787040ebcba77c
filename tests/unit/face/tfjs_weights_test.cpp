// tfjs weights reader: manifests and shards written by the test itself.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include "avatar_nets/face_api.h"
#include "avatar_nets/tfjs_weights.h"
#include "test_support.h"

using avatar::nets::readTfjsWeights;
using avatar::nets::TfjsWeight;
using avatar_test::ScratchDir;

namespace {

void writeText(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

void appendFloat(std::vector<unsigned char>* bytes, float v) {
  unsigned char b[4];
  std::memcpy(b, &v, 4);
  bytes->insert(bytes->end(), b, b + 4);
}

// Two groups; the second one's data is split over two shards in the middle of
// a weight, so the reader must concatenate shards before decoding.
struct Fixture {
  ScratchDir dir{"tfjs"};
  std::string manifest = dir.file("net-weights_manifest.json");
  Fixture() {
    writeText(manifest, R"([
      {"paths": ["group1.bin"], "weights": [
        {"name": "conv/filters", "shape": [2, 3], "dtype": "float32",
         "quantization": {"dtype": "uint8", "scale": 0.5, "min": -1.0}},
        {"name": "conv/bias", "shape": [2], "dtype": "float32"}]},
      {"paths": ["group2-shard1of2.bin", "group2-shard2of2.bin"], "weights": [
        {"name": "fc/weights", "shape": [3], "dtype": "float32",
         "quantization": {"dtype": "uint16", "scale": 0.25, "min": 10}},
        {"name": "count", "shape": [], "dtype": "int32",
         "quantization": {"dtype": "uint8", "scale": 1, "min": 5118}},
        {"name": "half", "shape": [2], "dtype": "float32",
         "quantization": {"dtype": "float16"}}]}
    ])");
    std::vector<unsigned char> g1 = {0, 1, 2, 3, 4, 255};  // uint8 -> q * 0.5 - 1
    appendFloat(&g1, 1.5f);
    appendFloat(&g1, -2.25f);
    avatar_test::writeBytes(dir.file("group1.bin"), g1);
    // uint16 LE 0, 4, 1000; uint8 0; float16 1.0 (0x3c00), -2.0 (0xc000)
    const std::vector<unsigned char> g2 = {0, 0, 4, 0, 0xe8, 0x03, 0, 0x00, 0x3c, 0x00, 0xc0};
    avatar_test::writeBytes(dir.file("group2-shard1of2.bin"), {g2.begin(), g2.begin() + 3});
    avatar_test::writeBytes(dir.file("group2-shard2of2.bin"), {g2.begin() + 3, g2.end()});
  }
};

const TfjsWeight* find(const std::vector<TfjsWeight>& ws, const std::string& name) {
  for (const TfjsWeight& w : ws) {
    if (w.name == name) return &w;
  }
  return nullptr;
}

}  // namespace

TEST(TfjsWeights, DequantisesAndReadsFloat32InManifestOrder) {
  Fixture f;
  std::vector<TfjsWeight> ws;
  std::string error;
  ASSERT_TRUE(readTfjsWeights(f.manifest, &ws, &error)) << error;
  ASSERT_EQ(ws.size(), 5u);
  EXPECT_EQ(ws[0].name, "conv/filters");
  EXPECT_EQ(ws[0].shape, (std::vector<int64_t>{2, 3}));
  const std::vector<float> expected = {-1.f, -0.5f, 0.f, 0.5f, 1.f, 126.5f};
  EXPECT_EQ(ws[0].values, expected);
  EXPECT_EQ(find(ws, "conv/bias")->values, (std::vector<float>{1.5f, -2.25f}));
  EXPECT_EQ(find(ws, "fc/weights")->values, (std::vector<float>{10.f, 11.f, 260.f}));
  const TfjsWeight* count = find(ws, "count");
  EXPECT_EQ(count->dtype, "int32");
  EXPECT_TRUE(count->shape.empty());
  EXPECT_EQ(count->values, (std::vector<float>{5118.f}));
  EXPECT_EQ(find(ws, "half")->values, (std::vector<float>{1.f, -2.f}));
}

TEST(TfjsWeights, TruncatedShardIsAnErrorNamingTheManifestAndWeight) {
  Fixture f;
  std::filesystem::resize_file(f.dir.file("group2-shard2of2.bin"), 5);
  std::vector<TfjsWeight> ws;
  std::string error;
  EXPECT_FALSE(readTfjsWeights(f.manifest, &ws, &error));
  EXPECT_TRUE(ws.empty());
  EXPECT_NE(error.find(f.manifest), std::string::npos) << error;
  EXPECT_NE(error.find("\"half\""), std::string::npos) << error;
  EXPECT_NE(error.find("truncated"), std::string::npos) << error;
}

TEST(TfjsWeights, ExtraBytesAreAnError) {
  Fixture f;
  std::ofstream(f.dir.file("group1.bin"), std::ios::binary | std::ios::app) << "junk";
  std::vector<TfjsWeight> ws;
  std::string error;
  EXPECT_FALSE(readTfjsWeights(f.manifest, &ws, &error));
  EXPECT_NE(error.find("describes"), std::string::npos) << error;
}

TEST(TfjsWeights, MissingFilesAreNamed) {
  Fixture f;
  std::filesystem::remove(f.dir.file("group2-shard1of2.bin"));
  std::vector<TfjsWeight> ws;
  std::string error;
  EXPECT_FALSE(readTfjsWeights(f.manifest, &ws, &error));
  EXPECT_NE(error.find("group2-shard1of2.bin"), std::string::npos) << error;
  EXPECT_NE(error.find("cannot open"), std::string::npos) << error;

  const std::string absent = f.dir.file("absent-weights_manifest.json");
  EXPECT_FALSE(readTfjsWeights(absent, &ws, &error));
  EXPECT_NE(error.find(absent), std::string::npos) << error;
}

TEST(TfjsWeights, CorruptManifestsAreRejected) {
  Fixture f;
  const std::pair<const char*, const char*> cases[] = {
      {"{not json", "not valid JSON"},
      {R"({"paths": []})", "JSON array"},
      {R"([{"paths": ["group1.bin"]}])", "\"weights\""},
      {R"([{"paths": ["group1.bin"], "weights": [{"shape": [2]}]}])", "no \"name\""},
      {R"([{"paths": ["group1.bin"], "weights": [{"name": "a", "shape": [-2]}]}])", "negative"},
      {R"([{"paths": ["group1.bin"], "weights": [{"name": "a", "shape": [2], "dtype": "complex64"}]}])",
       "unsupported dtype"},
      {R"([{"paths": ["group1.bin"], "weights": [{"name": "a", "shape": [2],
           "quantization": {"dtype": "uint8"}}]}])",
       "scale and min"},
  };
  for (const auto& [text, expected] : cases) {
    writeText(f.manifest, text);
    std::vector<TfjsWeight> ws;
    std::string error;
    EXPECT_FALSE(readTfjsWeights(f.manifest, &ws, &error)) << text;
    EXPECT_NE(error.find(expected), std::string::npos) << text << " -> " << error;
    EXPECT_NE(error.find(f.manifest), std::string::npos) << error;
  }
}

TEST(TfjsWeights, NetLoaderRejectsWeightsOfAnotherNet) {
  Fixture f;  // a valid manifest, but not a landmark net
  std::string error;
  EXPECT_EQ(avatar::nets::loadLandmarkNet(f.manifest, &error), nullptr);
  EXPECT_NE(error.find(f.manifest), std::string::npos) << error;
  EXPECT_NE(error.find("is missing"), std::string::npos) << error;
  EXPECT_EQ(avatar::nets::loadTinyFaceDetector(f.dir.file("nope.json"), &error), nullptr);
  EXPECT_NE(error.find("nope.json"), std::string::npos) << error;
}
