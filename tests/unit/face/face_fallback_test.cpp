// What happens when face-api files are missing or broken: other detectors,
// the Haar cascade with a warning, clear errors.
#include <gtest/gtest.h>

#include <filesystem>
#include <mutex>

#include "avatar/log.h"
#include "face_test_support.h"

using namespace avatar;
namespace fs = std::filesystem;

namespace {

// A models dir holding only the named face-api files (copied).
struct PartialModels {
  avatar_test::ScratchDir dir{"models"};
  explicit PartialModels(std::initializer_list<const char*> stems) {
    fs::create_directories(dir.path() / "face-api");
    for (const char* stem : stems) {
      for (const std::string suffix : {"-weights_manifest.json", ".bin"}) {
        fs::copy_file(face_test::faceApiDir() + "/" + stem + suffix,
                      dir.path() / "face-api" / (std::string(stem) + suffix));
      }
    }
  }
  std::string path() const { return dir.path().string(); }
};

// Collects warnings while alive.
struct LogCapture {
  std::mutex mutex;
  std::vector<std::string> warnings;
  LogCapture() {
    setLogSink([this](LogLevel level, std::string_view m) {
      std::lock_guard<std::mutex> lock(mutex);
      if (level >= LogLevel::Warning) warnings.emplace_back(m);
    });
  }
  ~LogCapture() { setLogSink({}); }
  bool saw(const std::string& part) {
    for (const auto& w : warnings) {
      if (w.find(part) != std::string::npos) return true;
    }
    return false;
  }
};

}  // namespace

TEST(FaceFallback, HaarCascadeWithLandmarkNetWhenDetectorsMissing) {
  FACE_SKIP_UNLESS_MODELS();
  AVATAR_SKIP_UNLESS(fs::exists(face_test::kHaarPath), "opencv-data Haar cascade not installed");
  PartialModels models({"face_landmark_68_model"});
  auto engine = face_test::makeEngine(models.path());
  int checked = 0;
  for (const face_test::Reference& ref : face_test::references()) {
    if (ref.path.empty()) continue;
    LogCapture log;
    const Image photo = face_test::loadPhoto(ref.path);
    FaceInfo face;
    const Status s = analyseFace(*engine, photo, ref.path, -1, &face);
    ASSERT_TRUE(s.isOk()) << s.message();
    face_test::writeOverlay(photo, face, std::string(ref.name) + "-haar");
    EXPECT_EQ(face.detector, "haar-cascade");
    EXPECT_EQ(face.facesInPhoto, 1) << ref.name;
    EXPECT_TRUE(log.saw("Haar cascade")) << "a warning says the fallback is used";
    EXPECT_TRUE(log.saw("tiny_face_detector_model")) << "and names the missing file";
    ASSERT_EQ(face.landmarks68.size(), 68u);
    // Same reference boxes as with the face-api detector; Haar boxes frame
    // faces differently, so allow 0.06 eye distances more.
    face_test::expectMatches(ref, face, std::string(ref.name) + " (haar)", 0.06f);
    ++checked;
  }
  if (checked == 0) GTEST_SKIP() << "no test photos (AVATAR_TESTDATA, demo/astronaut.png)";
}

TEST(FaceFallback, NoLandmarkNetGivesBoxOnlyFaceAndSaysSo) {
  FACE_SKIP_UNLESS_MODELS();
  const std::string path = face_test::astronaut();
  AVATAR_SKIP_UNLESS(!path.empty(), "demo/astronaut.png absent (scripts/setup.sh)");
  PartialModels models({"tiny_face_detector_model"});
  auto engine = face_test::makeEngine(models.path());
  LogCapture log;
  const Image photo = face_test::loadPhoto(path);
  FaceInfo face;
  const Status s = analyseFace(*engine, photo, path, -1, &face);
  ASSERT_TRUE(s.isOk()) << s.message();
  EXPECT_EQ(face.detector, "tiny-face-detector");
  EXPECT_TRUE(face.landmarks68.empty());
  EXPECT_TRUE(log.saw("no face landmark net is installed")) << "warning expected";
  // Estimated alignment points still land on the face: eyes above mouth.
  EXPECT_LT(face.alignment[0].x, face.alignment[1].x);
  EXPECT_LT(face.alignment[0].y, face.alignment[3].y);

  std::vector<PointF> points;
  const Status lm = landmarksInBox(*engine, photo, face.box, &points);
  EXPECT_EQ(lm.code(), ErrorCode::ModelMissing);
  EXPECT_TRUE(lm.detail().find("face_landmark_68_model") != std::string::npos) << lm.message();
}

TEST(FaceFallback, TinyLandmarkNetAndSsdAloneWork) {
  FACE_SKIP_UNLESS_MODELS();
  const std::string path = face_test::facePhoto("people_0.png");
  AVATAR_SKIP_UNLESS(!path.empty(), "AVATAR_TESTDATA photos absent");
  PartialModels models({"ssd_mobilenetv1_model", "face_landmark_68_tiny_model"});
  auto engine = face_test::makeEngine(models.path());
  const Image photo = face_test::loadPhoto(path);
  FaceInfo face;
  const Status s = analyseFace(*engine, photo, path, -1, &face);
  ASSERT_TRUE(s.isOk()) << s.message();
  EXPECT_EQ(face.detector, "ssd-mobilenet-v1");
  ASSERT_EQ(face.landmarks68.size(), 68u);
  EXPECT_NEAR(face.alignment[0].x, 194, 8);  // people_0 reference (left eye)
  EXPECT_NEAR(face.alignment[0].y, 144, 8);
}

TEST(FaceFallback, CorruptModelFileIsModelInvalid) {
  FACE_SKIP_UNLESS_MODELS();
  PartialModels models({"tiny_face_detector_model", "face_landmark_68_model"});
  fs::resize_file(models.dir.path() / "face-api" / "face_landmark_68_model.bin", 1000);
  auto engine = face_test::makeEngine(models.path());
  cv::Mat grey(200, 200, CV_8UC3, cv::Scalar(90, 90, 90));
  std::vector<FaceInfo> faces;
  const Status s = detectFaces(*engine, face_test::fromMat(grey), &faces);
  EXPECT_EQ(s.code(), ErrorCode::ModelInvalid) << s.message();
  EXPECT_TRUE(s.message().find("face_landmark_68_model") != std::string::npos) << s.message();
  EXPECT_TRUE(s.message().find("truncated") != std::string::npos) << s.message();
}
