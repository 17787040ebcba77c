// Issue 13 acceptance (built-in driver path): a driver video rendered by the
// built-in renderer itself (people_0, talking with large head motion and
// many blinks) drives a different face (happy). Measured on the output frames
// alone (landmarks per frame): its head pose and eye openness follow the
// driver's, and with driverMouth audio the lip sync stays as good as without
// a driver.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>

#include <opencv2/imgproc.hpp>

#include "avatar/driver.h"
#include "avatar/engine.h"
#include "avatar/session.h"
#include "output_measure.h"
#include "test_support.h"

using namespace avatar;
using avatar_test::ScratchDir;

namespace {

// Measures independent of the engine's own (measureFace): the nose tip's
// offset from the middle of the face outline's ends, over the outline's
// width (turns and nods), the eye line's angle and the lid gaps.
struct Pose {
  std::vector<double> yaw, pitch, roll, eyes;
};

// Eye openness from the pixels: the landmark net hardly moves its lid
// points when an eye closes, but the eye's picture changes: open, the iris
// is a tall dark disc in the middle of the eye; shut, only the lashes are a
// thin dark line. Each eye is cut out aligned on its corners (28 x 14, the
// eye's width over 21 px) and the openness is the height of the dark band in
// its middle columns: the rows darker than halfway from the skin to the
// darkest row.
double irisHeight(const cv::Mat& rgb, const std::vector<avatar::PointF>& l, int first) {
  const cv::Point2f a(l[first].x, l[first].y), b(l[first + 3].x, l[first + 3].y);
  const cv::Point2f c = (a + b) * 0.5f;
  cv::Mat m = cv::getRotationMatrix2D(c, std::atan2(b.y - a.y, b.x - a.x) * 180 / CV_PI,
                                      28.0 / (1.3 * cv::norm(b - a)));
  m.at<double>(0, 2) += 14 - c.x;
  m.at<double>(1, 2) += 7 - c.y;
  cv::Mat patch, grey;
  cv::warpAffine(rgb, patch, m, cv::Size(28, 14), cv::INTER_AREA, cv::BORDER_REPLICATE);
  cv::cvtColor(patch, grey, cv::COLOR_RGB2GRAY);
  std::vector<double> rows;
  for (int y = 0; y < 14; ++y) rows.push_back(cv::mean(grey(cv::Rect(11, y, 6, 1)))[0]);
  const double skin = std::max(rows.front(), rows.back());
  const double darkest = *std::min_element(rows.begin(), rows.end());
  const double cut = darkest + 0.5 * (skin - darkest);
  double height = 0;
  for (double v : rows)
    height += std::clamp((cut - v) / std::max(cut - darkest, 1.0) * 2, 0.0, 1.0);
  return height;
}

Pose poseOf(const measure::VideoMeasure& m) {
  Pose p;
  for (size_t i = 0; i < m.landmarks.size(); ++i) {
    const auto& l = m.landmarks[i];
    auto d = [&](int a, int b) { return std::hypot(l[a].x - l[b].x, l[a].y - l[b].y); };
    const double w = d(0, 16);
    p.yaw.push_back((l[30].x - (l[0].x + l[16].x) / 2) / w);
    p.pitch.push_back((l[30].y - (l[0].y + l[16].y) / 2) / w);
    p.roll.push_back(std::atan2(l[45].y - l[36].y, l[45].x - l[36].x));
    p.eyes.push_back(0.5 * (irisHeight(m.frames[i], l, 36) + irisHeight(m.frames[i], l, 42)));
  }
  // Openness against its running median over 1.2 s: head motion changes
  // the eyes' look slowly and differently on two faces, a blink is brief.
  std::vector<double> relative(p.eyes.size());
  const int half = m.fps * 6 / 10;
  for (int i = 0; i < int(p.eyes.size()); ++i) {
    std::vector<double> w;
    for (int k = std::max(0, i - half); k <= std::min(int(p.eyes.size()) - 1, i + half); ++k)
      w.push_back(p.eyes[size_t(k)]);
    std::nth_element(w.begin(), w.begin() + std::ptrdiff_t(w.size() / 2), w.end());
    relative[size_t(i)] = p.eyes[size_t(i)] / w[w.size() / 2];
  }
  p.eyes = relative;
  return p;
}

double lipSync(const measure::VideoMeasure& m) {
  const std::vector<double> loud(m.loudness.begin(), m.loudness.end());
  double best = -2;
  for (int lag = -2; lag <= 2; ++lag)
    best = std::max(best, measure::pearson(m.mouthOpening, loud, lag));
  return best;
}

}  // namespace

class DriverVideo : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(avatar_test::modelsDir() + "/face-api/face_landmark_68_model.bin"))
      GTEST_SKIP() << "face-api models absent: run scripts/setup.sh --models";
    EngineConfig config;
    config.modelsDir = avatar_test::modelsDir();
    ASSERT_TRUE(Engine::create(config, &engine_));
  }
  Status render(const std::string& image, const std::string& audio, const std::string& driver,
                const std::string& out, RenderOptions o, RenderResult* result) {
    RenderRequest r;
    r.imagePath = image;
    r.audioPath = audio;
    r.driverVideoPath = driver;
    r.outputPath = out;
    o.width = o.height = 384;
    r.options = o;
    return renderVideo(engine_, r, result);
  }
  std::shared_ptr<const Engine> engine_;
  ScratchDir dir_{"driver"};
};

TEST_F(DriverVideo, TheDrivenFaceFollowsTheDriversPoseAndBlinksAndKeepsLipSync) {
  const std::string people = avatar_test::testdata("faces/people_0.png");
  const std::string happy = avatar_test::testdata("faces/happy.png");
  const std::string speech = avatar_test::testdata("audio/RD_Radio31_000.wav");
  AVATAR_SKIP_UNLESS(!happy.empty() && !people.empty() && !speech.empty(),
                     "../shared/testdata (faces, audio) absent");
  // The driver: large head motion, many blinks.
  RenderOptions big;
  big.motionScale = 3;
  big.blinksPerMinute = 40;
  big.seed = 7;
  RenderResult r;
  const std::string driver = dir_.file("driver.mp4");
  ASSERT_TRUE(render(people, speech, "", driver, big, &r));

  const std::string driven = dir_.file("driven.mp4"), plain = dir_.file("plain.mp4");
  RenderResult drivenResult;
  ASSERT_TRUE(render(happy, speech, driver, driven, {}, &drivenResult));
  bool tracked = false;
  for (const auto& n : drivenResult.notes) tracked = tracked || n.find("driver: ") == 0;
  EXPECT_TRUE(tracked) << "the notes do not mention the driver";
  ASSERT_TRUE(render(happy, speech, "", plain, {}, &r));
  // The same face moving as much as the driven one, without a driver: the
  // lip-sync measure's own sensitivity to head motion.
  const std::string moving = dir_.file("moving.mp4");
  RenderOptions large;
  large.motionScale = 3;
  ASSERT_TRUE(render(happy, speech, "", moving, large, &r));

  measure::VideoMeasure md, mo, mp, mm;
  ASSERT_TRUE(measure::measureVideo(*engine_, moving, &mm));
  ASSERT_TRUE(measure::measureVideo(*engine_, driver, &md));
  ASSERT_TRUE(measure::measureVideo(*engine_, driven, &mo));
  ASSERT_TRUE(measure::measureVideo(*engine_, plain, &mp));
  ASSERT_EQ(md.landmarks.size(), mo.landmarks.size());
  const Pose a = poseOf(md), b = poseOf(mo);
  const double yaw = measure::pearson(a.yaw, b.yaw, 0);
  const double pitch = measure::pearson(a.pitch, b.pitch, 0);
  const double roll = measure::pearson(a.roll, b.roll, 0);
  const double eyes = measure::pearson(a.eyes, b.eyes, 0);
  const double syncDriven = lipSync(mo), syncPlain = lipSync(mp), syncMoving = lipSync(mm);
  std::printf("lip sync of the same face with motion scale 3, no driver: %.3f\n", syncMoving);
  std::printf(
      "driver -> output, per-frame Pearson r: yaw %.3f, pitch %.3f, roll %.3f, eye "
      "openness %.3f; lip sync (mouth opening vs loudness) %.3f with the driver, %.3f "
      "without\n",
      yaw, pitch, roll, eyes, syncDriven, syncPlain);
  EXPECT_GE(yaw, 0.8);
  EXPECT_GE(pitch, 0.8);
  EXPECT_GE(roll, 0.8);
  EXPECT_GE(eyes, 0.8);
  // The driven head moves as much as the driver's (motion scale 3), which
  // makes the mouth's measure noisier than on the gently moving plain
  // render: against a render that moves as much, the driver costs little.
  EXPECT_GE(syncDriven, 0.6);
  EXPECT_GE(syncDriven, syncPlain - 0.1);
  EXPECT_GE(syncDriven, syncMoving - 0.06);
}

TEST_F(DriverVideo, TheEngineKeepsATrackPerFileVersionAndFrameCallersDecodeAgain) {
  const std::string happy = avatar_test::testdata("faces/happy.png");
  const std::string speech = avatar_test::testdata("audio/hello.wav");
  AVATAR_SKIP_UNLESS(!happy.empty() && !speech.empty(), "../shared/testdata absent");
  const std::string driver = dir_.file("driver.mp4");
  RenderResult r;
  ASSERT_TRUE(render(happy, speech, "", driver, {}, &r));
  DriverTrackOptions o;
  int decoded = 0;
  o.onFrame = [&](int, const Image&, const DriverFrame&) { ++decoded; };
  DriverTrack first, again;
  ASSERT_TRUE(trackDriverVideo(*engine_, driver, o, &first));
  EXPECT_EQ(decoded, int(first.frames.size()));
  EXPECT_EQ(first.facelessFrames, 0);
  // Fewer frames (a shorter speech) come from the same track, cut.
  DriverTrackOptions ten;
  ten.maxFrames = 10;
  DriverTrack cut;
  ASSERT_TRUE(trackDriverVideo(*engine_, driver, ten, &cut));
  ASSERT_EQ(cut.frames.size(), 10u);
  EXPECT_FALSE(cut.complete);
  EXPECT_EQ(cut.frames[9].landmarks68[30].x, first.frames[9].landmarks68[30].x);
  // Without a frame callback the same file version comes from the Engine:
  // the bytes are overwritten (same size and time): the track is still there.
  const auto when = std::filesystem::last_write_time(driver);
  const auto size = std::filesystem::file_size(driver);
  {
    std::ofstream f(driver, std::ios::binary | std::ios::trunc);
    f << std::string(size, '\x5a');
  }
  std::filesystem::last_write_time(driver, when);
  o.onFrame = nullptr;
  ASSERT_TRUE(trackDriverVideo(*engine_, driver, o, &again));
  ASSERT_EQ(again.frames.size(), first.frames.size());
  EXPECT_EQ(again.frames[5].landmarks68[30].x, first.frames[5].landmarks68[30].x);
  // A new version of the file is tracked again (and is now garbage).
  std::filesystem::last_write_time(driver, when + std::chrono::seconds(5));
  const Status s = trackDriverVideo(*engine_, driver, o, &again);
  EXPECT_EQ(s.code(), ErrorCode::UnsupportedMedia) << s.message();
  EXPECT_NE(s.message().find("driver.mp4"), std::string::npos) << s.message();
}
