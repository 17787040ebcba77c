// Issue 3 acceptance: hard inputs for the built-in talking head.
#include <gtest/gtest.h>

#include <fstream>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "avatar/engine.h"
#include "avatar/session.h"
#include "output_measure.h"
#include "test_support.h"

using namespace avatar;
using avatar_test::ScratchDir;

namespace {

long peakRssKb() {
  std::ifstream in("/proc/self/status");
  std::string key;
  while (in >> key) {
    if (key == "VmHWM:") {
      long kb = 0;
      in >> kb;
      return kb;
    }
  }
  return 0;
}

}  // namespace

class TalkingHeadInputs : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(avatar_test::modelsDir() +
                                 "/face-api/face_landmark_68_model.bin")) {
      GTEST_SKIP() << "face-api models absent: run scripts/setup.sh --models";
    }
    photo_ = avatar_test::testdata("faces/people_0.png");
    audio_ = avatar_test::testdata("audio/hello.wav");
    if (photo_.empty()) GTEST_SKIP() << "../shared/testdata absent";
    EngineConfig config;
    config.modelsDir = avatar_test::modelsDir();
    ASSERT_TRUE(Engine::create(config, &engine_));
  }
  Status open(const std::string& image, const std::string& audio, std::unique_ptr<Session>* s,
              RenderOptions o = {}) {
    RenderRequest r;
    r.imagePath = image;
    r.audioPath = audio;
    r.options = o;
    return Session::open(engine_, r, s);
  }
  std::shared_ptr<const Engine> engine_;
  std::string photo_, audio_;
  ScratchDir dir_{"inputs"};
};

TEST_F(TalkingHeadInputs, LandscapeWithoutAFaceIsRefusedByName) {
  cv::Mat land(360, 640, CV_8UC3);
  for (int y = 0; y < land.rows; ++y) {
    const cv::Vec3b c = y < 200 ? cv::Vec3b(230, 180 - y / 4, 120) : cv::Vec3b(60, 140, 70);
    land.row(y).setTo(cv::Scalar(c[0], c[1], c[2]));
  }
  cv::Mat noise(land.size(), CV_8UC3);
  cv::randn(noise, 0, 12);
  land += noise;
  cv::circle(land, {520, 70}, 30, cv::Scalar(240, 250, 255), cv::FILLED);
  const std::string path = dir_.file("landscape.png");
  cv::imwrite(path, land);
  std::unique_ptr<Session> s;
  const Status st = open(path, audio_, &s);
  EXPECT_EQ(st.code(), ErrorCode::NoFaceDetected) << st.message();
  EXPECT_NE(st.message().find(path), std::string::npos) << st.message();
}

TEST_F(TalkingHeadInputs, SeveralFacesPickTheLargestOrTheIndexGiven) {
  const cv::Mat a = cv::imread(photo_), b = cv::imread(avatar_test::testdata("faces/alice.png"));
  cv::Mat small;
  cv::resize(b, small, cv::Size(300, 300), 0, 0, cv::INTER_AREA);
  cv::Mat both(474, 474 + 300, CV_8UC3, cv::Scalar(200, 200, 200));
  small.copyTo(both(cv::Rect(0, 87, 300, 300)));  // smaller face on the left
  a.copyTo(both(cv::Rect(300, 0, 474, 474)));
  const std::string path = dir_.file("two.png");
  cv::imwrite(path, both);
  std::unique_ptr<Session> s;
  ASSERT_TRUE(open(path, audio_, &s));
  EXPECT_EQ(s->info().face.facesInPhoto, 2);
  EXPECT_GT(s->info().face.box.x, 300) << "the largest face is the right one";
  RenderOptions o;
  o.faceIndex = 0;
  ASSERT_TRUE(open(path, audio_, &s, o));
  EXPECT_LT(s->info().face.box.x, 300) << "index 0 is the leftmost face";
  o.faceIndex = 5;
  const Status st = open(path, audio_, &s, o);
  EXPECT_EQ(st.code(), ErrorCode::NoFaceDetected);
  EXPECT_NE(st.message().find("2 faces"), std::string::npos) << st.message();
}

TEST_F(TalkingHeadInputs, TinyFaceIsRefusedWithItsSize) {
  cv::Mat img = cv::imread(photo_), tiny;
  cv::resize(img, tiny, cv::Size(96, 96), 0, 0, cv::INTER_AREA);
  cv::Mat canvas(400, 400, CV_8UC3, cv::Scalar(180, 180, 180));
  tiny.copyTo(canvas(cv::Rect(150, 150, 96, 96)));
  const std::string path = dir_.file("tiny.png");
  cv::imwrite(path, canvas);
  std::unique_ptr<Session> s;
  const Status st = open(path, audio_, &s);
  EXPECT_EQ(st.code(), ErrorCode::NoFaceDetected) << st.message();
  EXPECT_NE(st.message().find("px"), std::string::npos) << st.message();
}

TEST_F(TalkingHeadInputs, GrayscalePhotoTalks) {
  cv::Mat gray = cv::imread(avatar_test::testdata("faces/alice.png"), cv::IMREAD_GRAYSCALE);
  const std::string path = dir_.file("gray.png");
  cv::imwrite(path, gray);
  std::unique_ptr<Session> s;
  ASSERT_TRUE(open(path, audio_, &s));
  EXPECT_EQ(s->info().image.channels, 1);
  EXPECT_EQ(s->info().lipSyncBackend, "builtin");
  Image first, loudest;
  ASSERT_TRUE(s->renderFrame(0, &first));
  ASSERT_TRUE(s->renderFrame(s->info().frameCount / 2, &loudest));
  EXPECT_NE(first.rgb, loudest.rgb);
}

TEST_F(TalkingHeadInputs, BackgroundChangeRecompositesATransparentPhotoOnly) {
  // alice.png with its top-left corner made transparent.
  cv::Mat bgr = cv::imread(avatar_test::testdata("faces/alice.png")), bgra;
  cv::cvtColor(bgr, bgra, cv::COLOR_BGR2BGRA);
  bgra(cv::Rect(0, 0, 80, 80)).setTo(cv::Scalar(0, 0, 0, 0));
  const std::string clear = dir_.file("corner-clear.png");
  cv::imwrite(clear, bgra);
  RenderOptions white;
  white.backgroundRgb = 0xFFFFFF;
  RenderOptions black = white;
  black.backgroundRgb = 0x000000;

  std::unique_ptr<Session> s;
  ASSERT_TRUE(open(clear, audio_, &s, white));
  EXPECT_EQ(s->info().image.channels, 4);
  Image before, after;
  ASSERT_TRUE(s->renderFrame(0, &before));
  ASSERT_TRUE(s->setOptions(black));
  ASSERT_TRUE(s->renderFrame(0, &after));
  for (int c = 0; c < 3; ++c) {
    EXPECT_GE(before.pixel(4, 4)[c], 245) << "white behind the transparent corner";
    EXPECT_LE(after.pixel(4, 4)[c], 10) << "black behind the transparent corner after the change";
  }
  EXPECT_TRUE(s->info().face.found);

  // An opaque photo: the same frame and the same face analysis.
  std::unique_ptr<Session> opaque;
  ASSERT_TRUE(open(avatar_test::testdata("faces/alice.png"), audio_, &opaque, white));
  const RectF box = opaque->info().face.box;
  ASSERT_TRUE(opaque->renderFrame(0, &before));
  ASSERT_TRUE(opaque->setOptions(black));
  ASSERT_TRUE(opaque->renderFrame(0, &after));
  EXPECT_EQ(before.rgb, after.rgb);
  EXPECT_EQ(opaque->info().face.box.x, box.x);
  EXPECT_EQ(opaque->info().face.box.width, box.width);
}

TEST_F(TalkingHeadInputs, PureSilenceMakesAVideoWithTheMouthClosed) {
  const std::string silence = dir_.file("silence.wav");
  ASSERT_TRUE(avatar_test::run("sox -n -r 16000 -c 1 -b 16 " + silence + " trim 0.0 3.0"));
  const std::string out = dir_.file("silent.mp4");
  RenderRequest r;
  r.imagePath = avatar_test::testdata("faces/alice.png");  // open smile: must close and stay closed
  r.audioPath = silence;
  r.outputPath = out;
  r.options.maxSidePx = 512;
  RenderResult result;
  ASSERT_TRUE(renderVideo(engine_, r, &result));
  EXPECT_EQ(result.frameCount, 75);
  measure::VideoMeasure m;
  ASSERT_TRUE(measure::measureVideo(*engine_, out, &m));
  int open = 0;
  for (double v : m.mouthOpening) open += v >= 0.035;  // see kClosed in lip_sync_test.cpp
  EXPECT_EQ(open, 0) << "frames with an open mouth in pure silence";
}

TEST_F(TalkingHeadInputs, AnHourOfAudioKeepsMemoryBounded) {
  const std::string hour = dir_.file("hour.wav");
  // 60 minutes of the real speech file repeated (16 kHz mono keeps the file small).
  ASSERT_TRUE(avatar_test::run("sox " + audio_ + " -r 16000 -c 1 " + hour + " repeat 1439"));
  std::unique_ptr<Session> s;
  RenderOptions o;
  o.maxSidePx = 256;
  ASSERT_TRUE(open(photo_, hour, &s, o));
  EXPECT_GT(s->info().audioDurationSec, 3500);  // 1440 x 2.47 s
  EXPECT_EQ(s->info().frameCount, int(std::ceil(s->info().audioDurationSec * 25 - 1e-6)));
  for (int i : {0, 45000, s->info().frameCount - 1, 12345}) {
    Image f;
    ASSERT_TRUE(s->renderFrame(i, &f)) << i;
  }
  const long peakMb = peakRssKb() / 1024;
  std::printf("an hour of audio: peak RSS %ld MB after analysis and random frames\n", peakMb);
#ifdef __SANITIZE_ADDRESS__
  std::printf(
      "(the RSS bound is checked in the release build: AddressSanitizer's shadow memory, "
      "redzones and quarantine multiply RSS)\n");
#else
  EXPECT_LT(peakMb, 600);
#endif
}
