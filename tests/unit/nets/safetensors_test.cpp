// The safetensors reader and writer: round trips, and every malformed file
// rejected with an error that names the file and the tensor.
#include <cmath>
#include <cstring>

#include "avatar_nets/safetensors.h"
#include "nets_test_util.h"

using namespace avatar::nets;
using nets_test::rawFile;
using nets_test::scratchFile;
using nets_test::writeBytes;

namespace {

// Opens bytes written to a scratch file; returns the status.
NetStatus openBytes(const std::string& name, const std::vector<uint8_t>& bytes) {
  const std::string path = scratchFile(name);
  writeBytes(path, bytes);
  std::unique_ptr<SafetensorsFile> f;
  return SafetensorsFile::open(path, &f);
}

void expectInvalid(const std::string& name, const std::vector<uint8_t>& bytes,
                   const std::string& mention) {
  NetStatus s = openBytes(name, bytes);
  ASSERT_FALSE(s) << name << " was accepted";
  EXPECT_EQ(s.code(), NetError::InvalidFile) << s.message();
  EXPECT_NE(s.subject().find(name), std::string::npos)
      << "error does not name the file: " << s.message();
  EXPECT_NE(s.message().find(mention), std::string::npos)
      << "error does not mention '" << mention << "': " << s.message();
}

}  // namespace

TEST(Safetensors, RoundTripKeepsValuesShapesDtypesAndMetadata) {
  const std::vector<float> a = {1.5f, -2.25f, 3.f, 0.f, 1e-3f, -7.f};
  const std::vector<uint16_t> h = {floatToHalf(0.5f), floatToHalf(-3.f)};
  const std::vector<int64_t> i = {42};
  const std::string path = scratchFile("roundtrip.safetensors");
  NetStatus w = writeSafetensors(
      path,
      {{"a", DType::F32, {2, 3}, a.data()},
       {"h", DType::F16, {2}, h.data()},
       {"n", DType::I64, {}, i.data()},
       {"empty", DType::F32, {0, 4}, nullptr}},
      {{"model", "test"}, {"note", "a \"quote\", \\ back\nslash, \u00fc\u4e2d\x01"}});
  ASSERT_TRUE(w) << w.message();
  std::unique_ptr<SafetensorsFile> f;
  NetStatus s = SafetensorsFile::open(path, &f);
  ASSERT_TRUE(s) << s.message();
  EXPECT_EQ(f->header().metadata.at("model"), "test");
  EXPECT_EQ(f->header().metadata.at("note"), "a \"quote\", \\ back\nslash, \u00fc\u4e2d\x01");
  ASSERT_EQ(f->header().tensors.size(), 4u);
  EXPECT_EQ(f->header().dataOffset % 8, 0u);
  const TensorEntry* n = f->header().find("n");
  ASSERT_NE(n, nullptr);
  EXPECT_EQ(n->dtype, DType::I64);
  EXPECT_TRUE(n->shape.empty());
  int64_t nv = 0;
  std::memcpy(&nv, f->data(*n), 8);
  EXPECT_EQ(nv, 42);
  std::vector<int64_t> shape;
  std::vector<float> values;
  ASSERT_TRUE(f->readFloat("a", &shape, &values));
  EXPECT_EQ(shape, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(values, a);
  ASSERT_TRUE(f->readFloat("h", &shape, &values));
  EXPECT_EQ(values, (std::vector<float>{0.5f, -3.f}));
  NetStatus notFloat = f->readFloat("n", &shape, &values);
  EXPECT_EQ(notFloat.code(), NetError::WeightsMismatch);
  EXPECT_NE(notFloat.message().find("'n'"), std::string::npos) << notFloat.message();
}

TEST(Safetensors, HalfConversionsAreExactWhereRepresentable) {
  for (float v :
       {0.f, 1.f, -1.f, 0.333251953125f, 65504.f, 6.103515625e-05f, 5.960464477539063e-08f}) {
    EXPECT_EQ(halfToFloat(floatToHalf(v)), v) << v;
  }
  EXPECT_TRUE(std::isinf(halfToFloat(floatToHalf(1e6f))));
  EXPECT_TRUE(std::isnan(halfToFloat(floatToHalf(NAN))));
  EXPECT_EQ(bfloat16ToFloat(0x3F80), 1.f);
}

TEST(Safetensors, MissingFileAndDirectoryAreClearErrors) {
  std::unique_ptr<SafetensorsFile> f;
  NetStatus s = SafetensorsFile::open(scratchFile("does-not-exist.safetensors"), &f);
  EXPECT_EQ(s.code(), NetError::FileNotFound);
  EXPECT_NE(s.subject().find("does-not-exist.safetensors"), std::string::npos);
  s = SafetensorsFile::open(nets_test::scratchDir().string(), &f);
  EXPECT_EQ(s.code(), NetError::FileNotFound);
}

TEST(Safetensors, TruncatedFilesAreRejectedAtEveryCut) {
  const std::vector<float> a(64, 1.f);
  const std::string path = scratchFile("whole.safetensors");
  ASSERT_TRUE(writeSafetensors(path, {{"w", DType::F32, {8, 8}, a.data()}}));
  const std::vector<uint8_t> whole = nets_test::readBytes(path);
  for (size_t cut :
       {size_t(0), size_t(4), size_t(8), size_t(20), whole.size() - 256, whole.size() - 1}) {
    std::vector<uint8_t> part(whole.begin(), whole.begin() + long(cut));
    const std::string name = "truncated-" + std::to_string(cut) + ".safetensors";
    NetStatus s = openBytes(name, part);
    EXPECT_EQ(s.code(), NetError::InvalidFile) << cut << ": " << s.message();
    EXPECT_NE(s.subject().find(name), std::string::npos);
  }
}

TEST(Safetensors, HeaderLengthBeyondFileOrLimit) {
  std::vector<uint8_t> b = rawFile("{}", 0);
  b[0] = 0xFF;  // claims 255 header bytes, holds 2
  expectInvalid("len-past-end.safetensors", b, "runs past the end of the file");
  std::vector<uint8_t> huge = rawFile("{}", 0);
  huge[7] = 0x7F;  // about 9e18 bytes
  expectInvalid("len-huge.safetensors", huge, "exceeds the limit");
}

TEST(Safetensors, HeaderThatLiesAboutSizes) {
  // 4 floats need 16 bytes; the header says 12.
  expectInvalid("size-lie.safetensors",
                rawFile(R"({"w":{"dtype":"F32","shape":[4],"data_offsets":[0,12]}})", 12),
                "needs 16");
  // Offsets run past the data buffer.
  expectInvalid("offset-past-end.safetensors",
                rawFile(R"({"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}})", 8),
                "run past the data buffer");
  // begin > end.
  expectInvalid("offset-reversed.safetensors",
                rawFile(R"({"w":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}})", 8),
                "begin 8 > end 0");
}

TEST(Safetensors, OverlapsHolesAndTailsAreRejected) {
  expectInvalid("overlap.safetensors",
                rawFile(R"({"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},)"
                        R"("b":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}})",
                        16),
                "overlap tensor 'a'");
  expectInvalid("hole.safetensors",
                rawFile(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}})", 16),
                "unused bytes [0, 8)");
  expectInvalid("tail.safetensors",
                rawFile(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})", 16),
                "8 bytes after the last tensor");
}

TEST(Safetensors, MalformedHeadersNameTheProblem) {
  expectInvalid("not-json.safetensors", rawFile("{not json", 0), "not valid JSON");
  expectInvalid("array.safetensors", rawFile("[1,2]", 0), "does not start with '{'");
  expectInvalid("dup.safetensors",
                rawFile(R"({"a":{"dtype":"F32","shape":[0],"data_offsets":[0,0]},)"
                        R"("a":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}})",
                        0),
                "\"a\" appears twice");
  expectInvalid("dtype.safetensors",
                rawFile(R"({"w":{"dtype":"F12","shape":[1],"data_offsets":[0,4]}})", 4),
                "unknown dtype 'F12'");
  expectInvalid("negative.safetensors",
                rawFile(R"({"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}})", 4),
                "negative or non-integer");
  expectInvalid("float-shape.safetensors",
                rawFile(R"({"w":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}})", 4),
                "negative or non-integer");
  expectInvalid(
      "overflow.safetensors",
      rawFile(R"({"w":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,4]}})", 4),
      "overflows");
  expectInvalid("field.safetensors",
                rawFile(R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"x":1}})", 4),
                "unknown field 'x'");
  expectInvalid("meta.safetensors", rawFile(R"({"__metadata__":{"a":1}})", 0), "not a string");
  expectInvalid("utf8.safetensors", rawFile("{\"a\xff\":1}", 0), "invalid UTF-8");
  expectInvalid("deep.safetensors",
                rawFile("{\"a\":" + std::string(100, '[') + std::string(100, ']') + "}", 0),
                "nested more than 64 levels");
  expectInvalid("trailing.safetensors", rawFile("{}x", 0), "unexpected text after");
  expectInvalid("offsets.safetensors",
                rawFile(R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[0]}})", 4),
                "[begin, end]");
}

TEST(Safetensors, SpacePaddedHeaderAndEmptyTensorListAreValid) {
  NetStatus s =
      openBytes("padded.safetensors",
                rawFile(R"({"w":{"dtype":"U8","shape":[3],"data_offsets":[0,3]}}     )", 3));
  EXPECT_TRUE(s) << s.message();
  s = openBytes("empty-list.safetensors", rawFile("{}", 0));
  EXPECT_TRUE(s) << s.message();
}

TEST(Safetensors, NanValuesAreReportedByName) {
  const std::vector<float> a = {1.f, NAN};
  const std::string path = scratchFile("nan.safetensors");
  ASSERT_TRUE(writeSafetensors(path, {{"bad", DType::F32, {2}, a.data()}}));
  std::unique_ptr<SafetensorsFile> f;
  ASSERT_TRUE(SafetensorsFile::open(path, &f));
  std::vector<int64_t> shape;
  std::vector<float> values;
  NetStatus s = f->readFloat("bad", &shape, &values);
  EXPECT_EQ(s.code(), NetError::InvalidWeights);
  EXPECT_NE(s.message().find("'bad'"), std::string::npos) << s.message();
}

TEST(Safetensors, WriterRejectsRepeatedNames) {
  const float v = 1.f;
  NetStatus s = writeSafetensors(scratchFile("dupwrite.safetensors"),
                                 {{"x", DType::F32, {1}, &v}, {"x", DType::F32, {1}, &v}});
  EXPECT_EQ(s.code(), NetError::InvalidArgument);
}
