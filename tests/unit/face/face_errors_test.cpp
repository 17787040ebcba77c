// Several faces, no face, a face too small, bad indices; landmarksInBox on
// arbitrary frames; concurrent use of one Engine.
#include <gtest/gtest.h>

#include <cmath>
#include <iostream>
#include <random>
#include <thread>

#include <opencv2/imgproc.hpp>

#include "face/face_landmarks.h"
#include "face_test_support.h"

using namespace avatar;

namespace {

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

// people_0 (474 px, padded to 768 high with grey) left of alice (768 px).
cv::Mat twoFaces(const cv::Mat& people, const cv::Mat& alice) {
  cv::Mat out(alice.rows, people.cols + alice.cols, CV_8UC3, cv::Scalar(128, 128, 128));
  people.copyTo(out(cv::Rect(0, (alice.rows - people.rows) / 2, people.cols, people.rows)));
  alice.copyTo(out(cv::Rect(people.cols, 0, alice.cols, alice.rows)));
  return out;
}

}  // namespace

TEST(FaceErrors, SeveralFacesLargestByDefaultIndexPicksLeftToRight) {
  FACE_SKIP_UNLESS_MODELS();
  const std::string peoplePath = face_test::facePhoto("people_0.png");
  const std::string alicePath = face_test::facePhoto("alice.png");
  AVATAR_SKIP_UNLESS(!peoplePath.empty() && !alicePath.empty(), "AVATAR_TESTDATA photos absent");
  const cv::Mat people = face_test::toMat(face_test::loadPhoto(peoplePath));
  const cv::Mat alice = face_test::toMat(face_test::loadPhoto(alicePath));
  const Image photo = face_test::fromMat(twoFaces(people, alice));
  auto engine = face_test::makeEngine();

  std::vector<FaceInfo> faces;
  ASSERT_TRUE(detectFaces(*engine, photo, &faces).isOk());
  ASSERT_EQ(faces.size(), 2u);
  EXPECT_LT(faces[0].box.x + faces[0].box.width, float(people.cols));  // people_0, left
  EXPECT_GT(faces[1].box.x, float(people.cols));                       // alice, right
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(faces[i].index, i);
    EXPECT_EQ(faces[i].facesInPhoto, 2);
    EXPECT_EQ(faces[i].landmarks68.size(), 68u);
  }

  FaceInfo largest, left, right;
  ASSERT_TRUE(analyseFace(*engine, photo, "two.png", -1, &largest).isOk());
  face_test::writeOverlay(photo, largest, "two-faces-largest");
  EXPECT_GT(largest.box.x, float(people.cols)) << "alice's face is the larger one";
  EXPECT_EQ(largest.index, 1);
  ASSERT_TRUE(analyseFace(*engine, photo, "two.png", 0, &left).isOk());
  face_test::writeOverlay(photo, left, "two-faces-index0");
  EXPECT_LT(left.alignment[0].x, float(people.cols));
  EXPECT_EQ(left.index, 0);
  ASSERT_TRUE(analyseFace(*engine, photo, "two.png", 1, &right).isOk());
  EXPECT_EQ(right.box.x, largest.box.x);

  FaceInfo none;
  Status s = analyseFace(*engine, photo, "two.png", 5, &none);
  std::cout << "[ face ] " << s.message() << "\n";
  EXPECT_EQ(s.code(), ErrorCode::NoFaceDetected);
  EXPECT_EQ(s.subject(), "two.png");
  EXPECT_TRUE(contains(s.detail(), "2 faces found, index 5 requested")) << s.message();
  EXPECT_FALSE(none.found);

  s = analyseFace(*engine, photo, "two.png", -2, &none);
  EXPECT_EQ(s.code(), ErrorCode::InvalidArgument) << s.message();
}

TEST(FaceErrors, NoFaceInALandscapeNamesTheFile) {
  FACE_SKIP_UNLESS_MODELS();
  // Sky-to-ground gradient, a few soft "hills", sensor noise.
  cv::Mat img(480, 640, CV_8UC3);
  std::mt19937 rng(7);
  std::normal_distribution<float> noise(0, 6);
  for (int y = 0; y < img.rows; ++y) {
    for (int x = 0; x < img.cols; ++x) {
      const float t = float(y) / img.rows;
      const bool ground = y > 300 + 40 * std::sin(x * 0.02);
      cv::Vec3f c =
          ground ? cv::Vec3f(70, 110 - 30 * t, 40) : cv::Vec3f(120 + 80 * t, 170 + 50 * t, 235);
      for (int k = 0; k < 3; ++k)
        img.at<cv::Vec3b>(y, x)[k] = cv::saturate_cast<uint8_t>(c[k] + noise(rng));
    }
  }
  auto engine = face_test::makeEngine();
  FaceInfo face;
  const Status s = analyseFace(*engine, face_test::fromMat(img), "landscape.png", -1, &face);
  std::cout << "[ face ] " << s.message() << "\n";
  EXPECT_EQ(s.code(), ErrorCode::NoFaceDetected) << s.message();
  EXPECT_EQ(s.subject(), "landscape.png");
  EXPECT_TRUE(contains(s.detail(), "no face found in the 640x480 image")) << s.message();
  EXPECT_TRUE(contains(s.detail(), "tiny-face-detector")) << s.message();
  EXPECT_TRUE(contains(s.message(), "landscape.png")) << s.message();
  EXPECT_FALSE(face.found);
}

TEST(FaceErrors, UpsideDownFaceIsRejected) {
  FACE_SKIP_UNLESS_MODELS();
  const std::string path = face_test::astronaut();
  AVATAR_SKIP_UNLESS(!path.empty(), "demo/astronaut.png absent (scripts/setup.sh)");
  cv::Mat flipped;
  cv::flip(face_test::toMat(face_test::loadPhoto(path)), flipped, 0);  // upside down
  cv::GaussianBlur(flipped, flipped, cv::Size(0, 0), 2.0);
  auto engine = face_test::makeEngine();
  FaceInfo face;
  const Status s = analyseFace(*engine, face_test::fromMat(flipped), "flipped.png", -1, &face);
  std::cout << "[ face ] " << s.message() << "\n";
  EXPECT_EQ(s.code(), ErrorCode::NoFaceDetected) << s.message();
  EXPECT_EQ(s.subject(), "flipped.png");
}

TEST(FaceErrors, FaceUnder64PixelsSaysItsSize) {
  FACE_SKIP_UNLESS_MODELS();
  const std::string path = face_test::astronaut();
  AVATAR_SKIP_UNLESS(!path.empty(), "demo/astronaut.png absent (scripts/setup.sh)");
  cv::Mat small;
  cv::resize(face_test::toMat(face_test::loadPhoto(path)), small, cv::Size(224, 224), 0, 0,
             cv::INTER_AREA);
  auto engine = face_test::makeEngine();
  std::vector<FaceInfo> faces;
  ASSERT_TRUE(detectFaces(*engine, face_test::fromMat(small), &faces).isOk());
  ASSERT_EQ(faces.size(), 1u) << "the detector still finds the small face";
  const int side = int(std::lround(std::min(faces[0].box.width, faces[0].box.height)));
  ASSERT_LT(side, 64);
  FaceInfo face;
  const Status s = analyseFace(*engine, face_test::fromMat(small), "small.png", -1, &face);
  std::cout << "[ face ] " << s.message() << "\n";
  EXPECT_EQ(s.code(), ErrorCode::NoFaceDetected);
  EXPECT_TRUE(contains(s.detail(), "is " + std::to_string(side) + " px; at least 64 px needed"))
      << s.message();
}

TEST(FaceErrors, EmptyImageIsInvalid) {
  auto engine = face_test::makeEngine();
  FaceInfo face;
  EXPECT_EQ(analyseFace(*engine, Image{}, "empty.png", -1, &face).code(),
            ErrorCode::InvalidArgument);
  std::vector<FaceInfo> faces;
  EXPECT_EQ(detectFaces(*engine, Image{}, &faces).code(), ErrorCode::InvalidArgument);
}

TEST(FaceLandmarksInBox, MatchesAnalysisAndMeasuresTheMouth) {
  FACE_SKIP_UNLESS_MODELS();
  const std::string alicePath = face_test::facePhoto("alice.png");
  const std::string peoplePath = face_test::facePhoto("people_0.png");
  AVATAR_SKIP_UNLESS(!alicePath.empty() && !peoplePath.empty(), "AVATAR_TESTDATA photos absent");
  auto engine = face_test::makeEngine();
  float ratio[2];
  int i = 0;
  for (const std::string& path : {alicePath, peoplePath}) {
    const Image photo = face_test::loadPhoto(path);
    FaceInfo face;
    ASSERT_TRUE(analyseFace(*engine, photo, path, -1, &face).isOk());
    std::vector<PointF> points;
    ASSERT_TRUE(landmarksInBox(*engine, photo, face.box, &points).isOk());
    ASSERT_EQ(points.size(), 68u);
    for (int k = 0; k < 68; ++k) {
      EXPECT_EQ(points[k].x, face.landmarks68[k].x);
      EXPECT_EQ(points[k].y, face.landmarks68[k].y);
    }
    ratio[i++] = detail::mouthOpenRatio(points);
  }
  // alice smiles with her teeth showing; people_0's mouth is closed.
  EXPECT_GT(ratio[0], 0.12f);
  EXPECT_LT(ratio[1], 0.08f);
  EXPECT_GT(ratio[0], 2 * ratio[1]);

  const Image photo = face_test::loadPhoto(alicePath);
  std::vector<PointF> points;
  const Status s = landmarksInBox(*engine, photo, {5000, 5000, 100, 100}, &points);
  EXPECT_EQ(s.code(), ErrorCode::InvalidArgument) << s.message();
  EXPECT_TRUE(points.empty());
}

TEST(FaceLandmarksInBox, ConcurrentCallsOnOneEngineAgree) {
  FACE_SKIP_UNLESS_MODELS();
  const std::string path = face_test::astronaut();
  AVATAR_SKIP_UNLESS(!path.empty(), "demo/astronaut.png absent (scripts/setup.sh)");
  // A fresh Engine: its nets load lazily, inside the racing threads.
  auto engine = face_test::makeEngine(avatar_test::modelsDir());
  const Image photo = face_test::loadPhoto(path);
  std::vector<FaceInfo> results(4);
  std::vector<Status> statuses(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back(
        [&, t] { statuses[t] = analyseFace(*engine, photo, path, -1, &results[t]); });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < 4; ++t) {
    ASSERT_TRUE(statuses[t].isOk()) << statuses[t].message();
    EXPECT_FLOAT_EQ(results[t].box.x, results[0].box.x);
    EXPECT_NEAR(results[t].alignment[0].x, results[0].alignment[0].x, 1e-3);
  }
}

TEST(FaceLandmarksInBox, PointsStayOnAFaceButFollowABoxWithoutOne) {
  FACE_SKIP_UNLESS_MODELS();
  const std::string path = face_test::astronaut();
  AVATAR_SKIP_UNLESS(!path.empty(), "demo/astronaut.png absent (scripts/setup.sh)");
  auto engine = face_test::makeEngine();
  const Image photo = face_test::loadPhoto(path);
  auto follow = [&](const RectF& box) {
    std::vector<PointF> points;
    EXPECT_TRUE(landmarksInBox(*engine, photo, box, &points).isOk());
    float f = -1;
    EXPECT_TRUE(detail::landmarkBoxFollow(*engine, photo.rgb.data(), photo.width, photo.height, box,
                                          points, &f)
                    .isOk());
    return f;
  };
  FaceInfo face;
  ASSERT_TRUE(analyseFace(*engine, photo, path, -1, &face).isOk());
  const float onFace = follow(face.box);
  // Regions without a face (by eye): the mission badge, the helmet, the flag.
  const float badge = follow({125, 335, 95, 95});
  const float helmet = follow({290, 340, 200, 170});
  const float flag = follow({0, 0, 90, 120});
  std::cout << "[ face ] follow: face " << onFace << ", badge " << badge << ", helmet " << helmet
            << ", flag " << flag << "\n";
  EXPECT_LT(onFace, 0.25f);
  EXPECT_GT(badge, 0.35f);
  EXPECT_GT(helmet, 0.35f);
  EXPECT_GT(flag, 0.35f);
}
