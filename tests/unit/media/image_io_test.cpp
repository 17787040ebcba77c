#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>

#include "avatar/media.h"
#include "image_fixtures.h"
#include "test_support.h"

using namespace avatar;
using avatar_test::ScratchDir;

namespace {

// RGB of pixel (x, y).
cv::Vec3b rgbAt(const Image& img, int x, int y) {
  const uint8_t* p = img.pixel(x, y);
  return {p[0], p[1], p[2]};
}

bool near(cv::Vec3b a, cv::Vec3b b, int tol = 12) {
  for (int i = 0; i < 3; ++i) {
    if (std::abs(int(a[i]) - int(b[i])) > tol) return false;
  }
  return true;
}

const cv::Vec3b kRed(255, 0, 0), kGreen(0, 255, 0), kBlue(0, 0, 255), kWhite(255, 255, 255);

}  // namespace

TEST(ImageIo, DecodesEveryFormatAsUprightRgb) {
  ScratchDir dir("img");
  const cv::Mat q = fixtures::quadrants();
  for (const std::string ext : {".png", ".jpg", ".webp", ".bmp", ".tiff"}) {
    const std::string path = dir.file("q" + ext);
    avatar_test::writeBytes(path, fixtures::encode(ext, q));
    Image img;
    ImageInfo info;
    ASSERT_TRUE(loadImage(path, &img, &info)) << ext;
    EXPECT_EQ(img.width, 60) << ext;
    EXPECT_EQ(img.height, 40) << ext;
    EXPECT_TRUE(near(rgbAt(img, 5, 5), kRed)) << ext;
    EXPECT_TRUE(near(rgbAt(img, 55, 5), kGreen)) << ext;
    EXPECT_TRUE(near(rgbAt(img, 5, 35), kBlue)) << ext;
    EXPECT_TRUE(near(rgbAt(img, 55, 35), kWhite)) << ext;
  }
}

TEST(ImageIo, HonoursEveryExifOrientation) {
  ScratchDir dir("exif");
  const cv::Mat q = fixtures::quadrants();
  // Where the stored top-left (red) quadrant ends up, per EXIF orientation,
  // and the resulting size.
  struct Case {
    int orientation;
    int w, h;
    int redX, redY;
  } cases[] = {{1, 60, 40, 5, 5}, {2, 60, 40, 55, 5}, {3, 60, 40, 55, 35}, {4, 60, 40, 5, 35},
               {5, 40, 60, 5, 5}, {6, 40, 60, 35, 5}, {7, 40, 60, 35, 55}, {8, 40, 60, 5, 55}};
  for (const auto& c : cases) {
    const std::string path = dir.file("o" + std::to_string(c.orientation) + ".jpg");
    avatar_test::writeBytes(path, fixtures::jpegWithOrientation(q, c.orientation));
    Image img;
    ImageInfo info;
    ASSERT_TRUE(loadImage(path, &img, &info)) << c.orientation;
    EXPECT_EQ(info.exifOrientation, c.orientation);
    EXPECT_EQ(img.width, c.w) << c.orientation;
    EXPECT_EQ(img.height, c.h) << c.orientation;
    EXPECT_TRUE(near(rgbAt(img, c.redX, c.redY), kRed)) << "orientation " << c.orientation;
    ImageInfo probed;
    ASSERT_TRUE(probeImage(path, &probed));
    EXPECT_EQ(probed.width, c.w);
  }
}

TEST(ImageIo, AlphaGrayAnd16Bit) {
  ScratchDir dir("depth");
  // Half-transparent red over a blue background -> purple-ish.
  cv::Mat bgra(20, 20, CV_8UC4, cv::Scalar(0, 0, 255, 128));
  const std::string alpha = dir.file("alpha.png");
  cv::imwrite(alpha, bgra);
  Image img;
  ImageInfo info;
  ASSERT_TRUE(loadImage(alpha, &img, &info, 0x0000FF));
  EXPECT_EQ(info.channels, 4);
  EXPECT_TRUE(near(rgbAt(img, 3, 3), cv::Vec3b(128, 0, 127), 3));

  cv::Mat gray(20, 30, CV_8UC1, cv::Scalar(77));
  const std::string grayPath = dir.file("gray.png");
  cv::imwrite(grayPath, gray);
  ASSERT_TRUE(loadImage(grayPath, &img, &info));
  EXPECT_EQ(info.channels, 1);
  EXPECT_TRUE(near(rgbAt(img, 10, 10), cv::Vec3b(77, 77, 77), 0));

  for (const std::string ext : {".png", ".tiff"}) {
    cv::Mat deep(16, 16, CV_16UC3, cv::Scalar(0, 32768, 65535));  // BGR
    const std::string p = dir.file("deep" + ext);
    ASSERT_TRUE(cv::imwrite(p, deep));
    ASSERT_TRUE(loadImage(p, &img, &info)) << ext;
    EXPECT_EQ(info.bitsPerChannel, 16) << ext;
    EXPECT_TRUE(near(rgbAt(img, 8, 8), cv::Vec3b(255, 128, 0), 1)) << ext;
  }
}

TEST(ImageIo, RefusesHostileAndBrokenFiles) {
  ScratchDir dir("bad");
  Image img;
  const std::string huge = dir.file("huge.png");
  avatar_test::writeBytes(huge, fixtures::pngHeaderClaiming(30000, 30000));
  Status s = loadImage(huge, &img);
  EXPECT_EQ(s.code(), ErrorCode::ImageTooLarge);
  EXPECT_EQ(s.subject(), huge);
  EXPECT_NE(s.detail().find("30000x30000"), std::string::npos) << s.message();

  const cv::Mat q = fixtures::quadrants(200, 200);
  for (const std::string ext : {".png", ".jpg"}) {
    auto bytes = fixtures::encode(ext, q);
    bytes.resize(bytes.size() / 2);
    const std::string cut = dir.file("cut" + ext);
    avatar_test::writeBytes(cut, bytes);
    s = loadImage(cut, &img);
    EXPECT_EQ(s.code(), ErrorCode::UnsupportedMedia) << ext;
    EXPECT_NE(s.detail().find("truncated"), std::string::npos) << s.message();
  }

  const std::string garbage = dir.file("garbage.png");
  avatar_test::writeBytes(garbage, std::vector<unsigned char>(1000, 0x5A));
  s = loadImage(garbage, &img);
  EXPECT_EQ(s.code(), ErrorCode::UnsupportedMedia);
  EXPECT_NE(s.detail().find("not a supported image"), std::string::npos);

  // A valid header with corrupt pixel data.
  auto bytes = fixtures::encode(".png", q);
  for (size_t i = 60; i < bytes.size() - 20; ++i) bytes[i] ^= 0xA5;
  const std::string corrupt = dir.file("corrupt.png");
  avatar_test::writeBytes(corrupt, bytes);
  EXPECT_EQ(loadImage(corrupt, &img).code(), ErrorCode::UnsupportedMedia);

  EXPECT_EQ(loadImage(dir.file("missing.png"), &img).code(), ErrorCode::InputNotFound);
  EXPECT_EQ(loadImage(dir.path().string(), &img).code(), ErrorCode::InputNotReadable);
  avatar_test::writeBytes(dir.file("empty.png"), {});
  EXPECT_EQ(loadImage(dir.file("empty.png"), &img).code(), ErrorCode::InputEmpty);
}

TEST(ImageIo, RealPortraitsLoad) {
  const std::string alice = avatar_test::testdata("faces/alice.png");
  AVATAR_SKIP_UNLESS(!alice.empty(), "../shared/testdata is absent: real-photo test skipped");
  Image img;
  ImageInfo info;
  ASSERT_TRUE(loadImage(alice, &img, &info));
  EXPECT_EQ(img.width, 768);
  EXPECT_EQ(img.height, 768);
  EXPECT_EQ(info.format, "png");
}
