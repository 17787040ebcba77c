// The FOMM stage's geometry without the net: the crop around a face, its
// tensor, the paste-back (only inside the crop, feathered, colour matched),
// and the audio-driven keypoints (the built-in plan moving the photo's).
#include <gtest/gtest.h>

#include <cmath>

#include <opencv2/core.hpp>

#include "pipeline/fomm_crop.h"
#include "pipeline/fomm_keypoints.h"

using namespace avatar;
using namespace avatar::detail;

TEST(FommCrop, ASquareAroundTheFaceWithRoomAbove) {
  const FommCrop c = fommCropFor({100, 120, 80, 100});
  EXPECT_FLOAT_EQ(c.side, 190);
  EXPECT_FLOAT_EQ(c.center.x, 140);
  EXPECT_LT(c.center.y, 170) << "room above for forehead and hair";
  const cv::Point2f p(123, 77);
  const cv::Point2f back = c.toFrame(c.toUnit(p));
  EXPECT_NEAR(back.x, p.x, 1e-4);
  EXPECT_NEAR(back.y, p.y, 1e-4);
  EXPECT_NEAR(c.toUnit(c.center).x, 0, 1e-6);
  EXPECT_NEAR(c.toUnit({c.center.x + c.side / 2, 0}).x, 1, 1e-6);
}

TEST(FommCrop, TensorIsRgbInZeroOneAndBordersReplicate) {
  cv::Mat img(100, 100, CV_8UC3, cv::Scalar(10, 20, 30));
  img(cv::Rect(50, 0, 50, 100)).setTo(cv::Scalar(200, 100, 0));
  // A crop that leaves the frame on every side.
  const FommCrop c{{50, 50}, 200};
  std::vector<float> t(3 * 256 * 256);
  fommCropTensor(img, c, t.data());
  EXPECT_NEAR(t[0], 10 / 255.f, 1e-3);                               // R, top-left (replicated)
  EXPECT_NEAR(t[256 * 256 + 255], 100 / 255.f, 1e-3);                // G, top-right
  EXPECT_NEAR(t[2 * 256 * 256 + 128 * 256 + 10], 30 / 255.f, 1e-3);  // B, left side
}

TEST(FommCrop, PasteChangesOnlyTheCropFeatheredAndColourMatched) {
  cv::Mat original(300, 400, CV_8UC3);
  cv::randu(original, 60, 200);
  cv::Mat frame = original.clone();
  const FommCrop c{{200, 150}, 120};
  std::vector<float> grey(3 * 256 * 256, 0.1f);  // dark: the colour match lifts it
  fommPaste(grey.data(), c, original, frame);
  const cv::Rect crop(139, 89, 123, 123);  // the square, rounded outwards
  int changedOutside = 0;
  for (int y = 0; y < frame.rows; ++y) {
    for (int x = 0; x < frame.cols; ++x) {
      if (!crop.contains({x, y}) && frame.at<cv::Vec3b>(y, x) != original.at<cv::Vec3b>(y, x)) {
        ++changedOutside;
      }
    }
  }
  EXPECT_EQ(changedOutside, 0) << "pixels outside the crop changed";
  // The centre is the prediction, shifted to the original's mean colour.
  const cv::Scalar inner = cv::mean(original(cv::Rect(170, 120, 60, 60)));
  const cv::Vec3b centre = frame.at<cv::Vec3b>(150, 200);
  for (int ch = 0; ch < 3; ++ch) EXPECT_NEAR(centre[ch], inner[ch], 12) << ch;
  // The edge of the crop fades into the original.
  const cv::Vec3b edge = frame.at<cv::Vec3b>(150, 142), orig = original.at<cv::Vec3b>(150, 142);
  for (int ch = 0; ch < 3; ++ch) EXPECT_NEAR(edge[ch], orig[ch], 3) << ch;
}

TEST(FommKeypoints, ThePlanMovesThePhotosKeypoints) {
  FommKeypoints src;
  for (int k = 0; k < 10; ++k) {
    src.kp.push_back(-0.5f + 0.1f * k);
    src.kp.push_back(0.05f * k - 0.2f);
    for (float v : {1.f, 0.f, 0.f, 1.f}) src.jac.push_back(v);
  }
  const std::array<cv::Point2f, 2> eyes = {cv::Point2f(-0.5f, -0.2f), cv::Point2f(0.4f, 0.25f)};
  std::vector<FrameMotion> plan(3);
  plan[1].head.rollDeg = 90;
  plan[2].blink = 1;
  const FommKeypoints out = plannedKeypoints(src, plan, {0, 0}, 0.4f, eyes, 0.05f);
  ASSERT_EQ(out.frames(), 3);
  for (size_t i = 0; i < 20; ++i) EXPECT_FLOAT_EQ(out.kp[i], src.kp[i]) << "no motion, no change";
  // A quarter turn clockwise about the centre: (x, y) -> (-y, x); J -> R J.
  for (int k = 0; k < 10; ++k) {
    EXPECT_NEAR(out.kp[20 + 2 * k], -src.kp[size_t(2 * k + 1)], 1e-5);
    EXPECT_NEAR(out.kp[20 + 2 * k + 1], src.kp[size_t(2 * k)], 1e-5);
  }
  EXPECT_NEAR(out.jac[40 + 0], 0, 1e-5);
  EXPECT_NEAR(out.jac[40 + 2], 1, 1e-5);
  // A blink pulls down only the keypoints nearest the eyes (0 and 9).
  int moved = 0;
  for (int k = 0; k < 10; ++k) {
    const float dy = out.kp[40 + 2 * k + 1] - src.kp[size_t(2 * k + 1)];
    if (dy != 0) {
      ++moved;
      EXPECT_NEAR(dy, 0.05f, 1e-6);
      EXPECT_TRUE(k == 0 || k == 9) << k;
    }
  }
  EXPECT_EQ(moved, 2);
}
