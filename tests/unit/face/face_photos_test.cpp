// Detection + landmarks on real photos: eye centres and mouth corners must
// fall inside reference boxes read off the photos by eye (zoomed crops with
// a pixel grid), independent of what the nets output.
#include <gtest/gtest.h>

#include <cmath>
#include <iostream>

#include <opencv2/imgproc.hpp>

#include "avatar_nets/face_api.h"
#include "face/face_landmarks.h"
#include "face_test_support.h"

using namespace avatar;

using face_test::expectMatches;
using face_test::Reference;
using face_test::references;

TEST(FacePhotos, LandmarksFallInsideReferenceBoxes) {
  FACE_SKIP_UNLESS_MODELS();
  auto engine = face_test::makeEngine();
  int checked = 0;
  for (const Reference& ref : references()) {
    if (ref.path.empty()) {
      std::cout << "[ skip ] " << ref.name << ": photo absent\n";
      continue;
    }
    const Image photo = face_test::loadPhoto(ref.path);
    FaceInfo face;
    const Status s = analyseFace(*engine, photo, ref.path, -1, &face);
    ASSERT_TRUE(s.isOk()) << s.message();
    EXPECT_TRUE(face.found);
    EXPECT_EQ(face.detector, "tiny-face-detector");
    EXPECT_EQ(face.facesInPhoto, 1) << ref.name;
    EXPECT_EQ(face.index, 0);
    EXPECT_GT(face.score, 0.5f);
    ASSERT_EQ(face.landmarks68.size(), 68u);
    face_test::writeOverlay(photo, face, ref.name);
    expectMatches(ref, face, ref.name);
    ++checked;
  }
  if (checked == 0) GTEST_SKIP() << "no test photos (AVATAR_TESTDATA, demo/astronaut.png)";
}

TEST(FacePhotos, GrayscalePhotoWorks) {
  FACE_SKIP_UNLESS_MODELS();
  const Reference ref = references()[0];
  AVATAR_SKIP_UNLESS(!ref.path.empty(), "demo/astronaut.png absent (scripts/setup.sh)");
  auto engine = face_test::makeEngine();
  cv::Mat gray, rgb;
  cv::cvtColor(face_test::toMat(face_test::loadPhoto(ref.path)), gray, cv::COLOR_RGB2GRAY);
  cv::cvtColor(gray, rgb, cv::COLOR_GRAY2RGB);
  const Image photo = face_test::fromMat(rgb);
  FaceInfo face;
  const Status s = analyseFace(*engine, photo, "astronaut-gray.png", -1, &face);
  ASSERT_TRUE(s.isOk()) << s.message();
  face_test::writeOverlay(photo, face, "astronaut-gray");
  expectMatches(ref, face, "astronaut-gray");
}

TEST(FacePhotos, SsdDetectorAndTinyLandmarkNetAgree) {
  FACE_SKIP_UNLESS_MODELS();
  // The engine uses SSD only when the tiny detector finds nothing, and the
  // tiny landmark net only when the full one is absent: check both nets on
  // the real photos directly.
  const std::string dir = face_test::faceApiDir();
  std::string error;
  auto ssd = nets::loadSsdMobilenetV1(dir + "/ssd_mobilenetv1_model-weights_manifest.json", &error);
  ASSERT_TRUE(ssd) << error;
  auto tinyLandmarks =
      nets::loadLandmarkNet(dir + "/face_landmark_68_tiny_model-weights_manifest.json", &error);
  ASSERT_TRUE(tinyLandmarks) << error;
  EXPECT_STREQ(tinyLandmarks->name(), "face-landmark-68-tiny");
  for (const Reference& ref : references()) {
    if (ref.path.empty()) continue;
    const Image photo = face_test::loadPhoto(ref.path);
    const nets::RgbView view{photo.rgb.data(), photo.width, photo.height, 0};
    std::vector<nets::FaceDetection> faces;
    ASSERT_TRUE(ssd->detect(view, {}, &faces, &error)) << error;
    ASSERT_EQ(faces.size(), 1u) << ref.name;
    EXPECT_GT(faces[0].score, 0.9f) << ref.name;
    std::vector<nets::Point2F> points;
    ASSERT_TRUE(tinyLandmarks->landmarks(view, faces[0].box, &points, &error)) << error;
    FaceInfo face;
    face.detector = "ssd-mobilenet-v1 + tiny landmarks";
    face.box = {faces[0].box.x, faces[0].box.y, faces[0].box.width, faces[0].box.height};
    for (const nets::Point2F& p : points) face.landmarks68.push_back({p.x, p.y});
    face.alignment = detail::alignmentFrom68(face.landmarks68);
    face_test::writeOverlay(photo, face, std::string(ref.name) + "-ssd-tiny");
    // The tiny landmark net is a fallback and less precise (alice's mouth
    // corners land in the smile creases): allow 0.06 eye distances more.
    expectMatches(ref, face, std::string(ref.name) + " (ssd, tiny landmarks)", 0.06f);
  }
}

TEST(FacePhotos, BigPhotoGivesTheSamePointsScaled) {
  FACE_SKIP_UNLESS_MODELS();
  Reference ref = references()[1];  // alice, 768 px
  AVATAR_SKIP_UNLESS(!ref.path.empty(), "AVATAR_TESTDATA photos absent");
  cv::Mat big;
  cv::resize(face_test::toMat(face_test::loadPhoto(ref.path)), big, cv::Size(), 4, 4,
             cv::INTER_CUBIC);
  const Image photo = face_test::fromMat(big);  // 3072 px: detection and landmarks shrink it
  auto engine = face_test::makeEngine();
  FaceInfo face;
  const Status s = analyseFace(*engine, photo, "alice-x4.png", -1, &face);
  ASSERT_TRUE(s.isOk()) << s.message();
  EXPECT_GT(face.box.width, 4 * 200.f);
  for (face_test::Box* b : {&ref.eyeLeft, &ref.eyeRight, &ref.mouthLeft, &ref.mouthRight}) {
    *b = {b->x0 * 4, b->y0 * 4, b->x1 * 4, b->y1 * 4};
  }
  expectMatches(ref, face, "alice x4");
}
