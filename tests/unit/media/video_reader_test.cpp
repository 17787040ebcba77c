// The driver-video reader on videos these tests make with the ffmpeg CLI:
// containers and codecs, constant and variable frame rates resampled to the
// output rate, rotation metadata (checked against the ffmpeg CLI's own
// autorotated decode), 4K scaled down, one frame, no video stream, corrupt
// files, and memory that does not grow with the video's length.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <string>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "media/video_reader.h"
#include "test_support.h"

using avatar::ErrorCode;
using avatar::Status;
using avatar::detail::VideoReader;
using avatar::detail::VideoReadOptions;
using avatar_test::ScratchDir;

namespace {

long rssKb() {
  std::ifstream in("/proc/self/status");
  std::string key;
  while (in >> key) {
    if (key == "VmRSS:") {
      long kb = 0;
      in >> kb;
      return kb;
    }
  }
  return 0;
}

// All frames of `path` at `fps`; fails the test on an error.
std::vector<cv::Mat> readAll(const std::string& path, VideoReadOptions o, VideoReader* r) {
  std::vector<cv::Mat> frames;
  Status s = r->open(path, o);
  EXPECT_TRUE(s) << s.message();
  if (!s) return frames;
  for (int guard = 0; guard < 100000; ++guard) {
    cv::Mat m;
    bool got = false;
    s = r->read(&m, &got);
    EXPECT_TRUE(s) << s.message();
    if (!s || !got) break;
    EXPECT_EQ(m.cols, r->width());
    EXPECT_EQ(m.rows, r->height());
    EXPECT_EQ(m.type(), CV_8UC3);
    frames.push_back(m);
  }
  return frames;
}

// Source frame index of a frame whose grey level encodes it (8 levels a frame).
int indexOf(const cv::Mat& m) {
  return int(std::lround(cv::mean(m)[0] / 8.0));
}

class VideoReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!avatar_test::haveTool("ffmpeg")) GTEST_SKIP() << "ffmpeg CLI absent: cannot make fixtures";
  }
  // ffmpeg -f lavfi -i <source> <args> <file>, in the scratch directory.
  std::string make(const std::string& name, const std::string& source, const std::string& args) {
    const std::string path = dir_.file(name);
    EXPECT_TRUE(avatar_test::run("ffmpeg -y -v error -f lavfi -i \"" + source + "\" " + args +
                                 " '" + path + "'"))
        << "could not make " << name;
    return path;
  }
  ScratchDir dir_{"video-reader"};
};

}  // namespace

TEST_F(VideoReaderTest, ReadsCommonContainersAndCodecs) {
  const std::string src = "testsrc=size=96x64:rate=25:duration=0.4";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"h264.mp4", "-c:v libx264 -pix_fmt yuv420p"},
      {"hevc.mkv", "-c:v libx265 -x265-params log-level=none"},
      {"vp8.webm", "-c:v libvpx -b:v 1M"},
      {"mjpeg.mov", "-c:v mjpeg"},
      {"mpeg4.avi", "-c:v mpeg4"},
      {"ffv1.mkv", "-c:v ffv1"},
  };
  for (const auto& [name, args] : cases) {
    SCOPED_TRACE(name);
    VideoReader r;
    const auto frames = readAll(make(name, src, args), {25, 0}, &r);
    EXPECT_EQ(frames.size(), 10u);
    EXPECT_EQ(r.width(), 96);
    EXPECT_EQ(r.height(), 64);
    EXPECT_EQ(r.info().rotation, 0);
    EXPECT_FALSE(r.info().codec.empty());
    // testsrc is colourful: the frame is not blank.
    if (!frames.empty()) {
      cv::Scalar mean, dev;
      cv::meanStdDev(frames[0], mean, dev);
      EXPECT_GT(dev[0] + dev[1] + dev[2], 30.0);
    }
  }
}

TEST_F(VideoReaderTest, ConstantRateIsResampledToTheOutputRate) {
  // 30 fps, 1 s; frame k has grey level 8k (lossless ffv1, full-range grey).
  const std::string path = make("cfr30.mkv", "color=c=black:s=32x32:r=30:d=1",
                                "-vf \"format=gray,geq=lum='N*8'\" -c:v ffv1");
  for (double fps : {25.0, 60.0}) {
    SCOPED_TRACE(fps);
    VideoReader r;
    const auto frames = readAll(path, {fps, 0}, &r);
    ASSERT_EQ(frames.size(), size_t(std::lround(1.0 * fps)));
    for (size_t n = 0; n < frames.size(); ++n) {
      // The source frame on screen at the middle of output frame n; mkv
      // stores milliseconds: frame k at round(k / 30 * 1000) ms.
      const double t = (double(n) + 0.5) / fps;
      int expected = 0;
      for (int k = 0; k < 30; ++k) {
        if (std::round(k * 1000.0 / 30) / 1000 <= t + 1e-9) expected = k;
      }
      EXPECT_EQ(indexOf(frames[n]), expected) << "output frame " << n;
    }
  }
}

TEST_F(VideoReaderTest, VariableRateIsResampledByTimestamps) {
  // Frames 0-14 at 30 fps (0 .. 0.467 s), then 10 fps from 0.5 s (15 -> 0.5 s,
  // 16 -> 0.6 s, ...): 30 frames; the last one lasts a 30 fps frame (the
  // stream's own packet duration, 33 ms), so the video ends at 1.933 s.
  const std::string path =
      make("vfr.mkv", "color=c=black:s=32x32:r=30:d=1",
           "-vf \"format=gray,geq=lum='N*8',setpts='if(lt(N,15),N/30,0.5+(N-15)/10)/TB'\" "
           "-fps_mode vfr -c:v ffv1");
  VideoReader r;
  const auto frames = readAll(path, {25, 0}, &r);
  ASSERT_EQ(frames.size(), 48u);  // output frames whose middle is before 1.933 s
  for (size_t n = 0; n < frames.size(); ++n) {
    const double t = (double(n) + 0.5) / 25;
    // mkv stores milliseconds: frame k (k < 15) at round(k / 30 * 1000) ms.
    int expected = 0;
    for (int k = 0; k < 30; ++k) {
      const double pts = k < 15 ? std::round(k * 1000.0 / 30) / 1000 : 0.5 + (k - 15) / 10.0;
      if (pts <= t + 1e-9) expected = k;
    }
    EXPECT_EQ(indexOf(frames[n]), expected) << "output frame " << n << " at " << t << " s";
  }
}

TEST_F(VideoReaderTest, RotationMetadataIsHonouredAsTheFfmpegCliDoes) {
  // Left half red, right half blue; stored 64x32.
  const std::string plain = make("plain.mp4",
                                 "color=c=red:s=64x32:r=25:d=0.2,drawbox=x=32:y=0:w=32:h=32:"
                                 "color=blue:t=fill",
                                 "-c:v libx264 -pix_fmt yuv444p -qp 0");
  for (int rotate : {90, 180, 270}) {
    SCOPED_TRACE(rotate);
    const std::string rotated = dir_.file("rot" + std::to_string(rotate) + ".mp4");
    const std::string png = dir_.file("rot" + std::to_string(rotate) + ".png");
    ASSERT_TRUE(avatar_test::run("ffmpeg -y -v error -i '" + plain +
                                 "' -c copy -metadata:s:v:0 rotate=" + std::to_string(rotate) +
                                 " '" + rotated + "'"));
    // The ffmpeg CLI's autorotated first frame is the reference.
    ASSERT_TRUE(
        avatar_test::run("ffmpeg -y -v error -i '" + rotated + "' -frames:v 1 '" + png + "'"));
    cv::Mat ref = cv::imread(png, cv::IMREAD_COLOR);
    ASSERT_FALSE(ref.empty());
    cv::cvtColor(ref, ref, cv::COLOR_BGR2RGB);
    VideoReader r;
    const auto frames = readAll(rotated, {25, 0}, &r);
    ASSERT_EQ(frames.size(), 5u);
    EXPECT_NE(r.info().rotation, 0);
    ASSERT_EQ(frames[0].size(), ref.size());
    EXPECT_EQ(frames[0].cols, rotate == 180 ? 64 : 32);
    cv::Mat diff;
    cv::absdiff(frames[0], ref, diff);
    EXPECT_LT(cv::mean(diff)[0] + cv::mean(diff)[1] + cv::mean(diff)[2], 6.0)
        << "our upright frame differs from ffmpeg's";
  }
}

TEST_F(VideoReaderTest, FourKIsScaledToMaxSideAndReadInFullWithout) {
  const std::string path = make("uhd.mp4", "testsrc=size=3840x2160:rate=25:duration=0.12",
                                "-c:v libx264 -preset ultrafast");
  VideoReader scaled;
  const auto small = readAll(path, {25, 1280}, &scaled);
  EXPECT_EQ(small.size(), 3u);
  EXPECT_EQ(scaled.info().width, 3840);
  EXPECT_EQ(scaled.width(), 1280);
  EXPECT_EQ(scaled.height(), 720);
  VideoReader full;
  ASSERT_TRUE(full.open(path, {25, 0}));
  cv::Mat m;
  bool got = false;
  ASSERT_TRUE(full.read(&m, &got));
  ASSERT_TRUE(got);
  EXPECT_EQ(m.cols, 3840);
  EXPECT_EQ(m.rows, 2160);
}

TEST_F(VideoReaderTest, OneFrameVideoGivesOneFrame) {
  const std::string path =
      make("one.mp4", "testsrc=size=64x64:rate=25", "-frames:v 1 -c:v libx264");
  VideoReader r;
  const auto frames = readAll(path, {25, 0}, &r);
  EXPECT_EQ(frames.size(), 1u);
  EXPECT_EQ(r.sourceFramesDecoded(), 1);
  // A still image read as a video: one frame too.
  const std::string png = make("still.png", "testsrc=size=64x48", "-frames:v 1");
  VideoReader still;
  EXPECT_EQ(readAll(png, {25, 0}, &still).size(), 1u);
}

TEST_F(VideoReaderTest, NoVideoStreamIsAClearError) {
  const std::string path = make("audio.m4a", "sine=frequency=440:duration=0.5", "-c:a aac");
  VideoReader r;
  Status s = r.open(path, {25, 0});
  ASSERT_EQ(s.code(), ErrorCode::UnsupportedMedia) << s.message();
  EXPECT_EQ(s.subject(), path);
  EXPECT_NE(s.detail().find("contains no video stream (streams: audio aac)"), std::string::npos)
      << s.detail();
}

TEST_F(VideoReaderTest, CorruptFilesAreClearErrorsOrWhatDecodes) {
  // Random bytes.
  const std::string junk = dir_.file("junk.mp4");
  std::vector<unsigned char> bytes(20000);
  uint32_t x = 12345;
  for (auto& b : bytes) b = (unsigned char)((x = x * 1664525u + 1013904223u) >> 24);
  avatar_test::writeBytes(junk, bytes);
  VideoReader r;
  Status s = r.open(junk, {25, 0});
  EXPECT_EQ(s.code(), ErrorCode::UnsupportedMedia) << s.message();
  EXPECT_EQ(s.subject(), junk);
  // Empty file.
  const std::string empty = dir_.file("empty.mkv");
  avatar_test::writeBytes(empty, {});
  VideoReader r2;
  EXPECT_EQ(r2.open(empty, {25, 0}).code(), ErrorCode::UnsupportedMedia);
  // A stream whose middle is garbage: what decodes is read, nothing crashes or hangs.
  const std::string good = make("good.avi", "testsrc=size=64x64:rate=25:duration=2", "-c:v mpeg4");
  auto data = avatar_test::readBytes(good);
  for (size_t i = data.size() / 3; i < data.size() * 2 / 3; ++i) data[i] = (unsigned char)(i * 7);
  const std::string broken = dir_.file("broken.avi");
  avatar_test::writeBytes(broken, data);
  VideoReader r3;
  s = r3.open(broken, {25, 0});
  if (s) {
    int frames = 0;
    for (int guard = 0; guard < 1000; ++guard) {
      cv::Mat m;
      bool got = false;
      s = r3.read(&m, &got);
      if (!s || !got) break;
      ++frames;
    }
    EXPECT_TRUE(s.isOk() || s.code() == ErrorCode::UnsupportedMedia) << s.message();
    EXPECT_LE(frames, 60);
  } else {
    EXPECT_EQ(s.code(), ErrorCode::UnsupportedMedia);
  }
  // Truncated to its first kilobyte: no frame decodes, a clear error.
  const std::string cut = dir_.file("cut.mp4");
  auto head = avatar_test::readBytes(make("full.mp4", "testsrc=size=64x64:rate=25:duration=1",
                                          "-c:v libx264 -movflags +faststart"));
  head.resize(std::min<size_t>(head.size(), 1024));
  avatar_test::writeBytes(cut, head);
  VideoReader r4;
  s = r4.open(cut, {25, 0});
  if (s) {
    cv::Mat m;
    bool got = false;
    s = r4.read(&m, &got);
  }
  EXPECT_EQ(s.code(), ErrorCode::UnsupportedMedia) << s.message();
}

TEST_F(VideoReaderTest, MemoryDoesNotGrowWithLength) {
  // 600 frames of 640x480: 550 MB if they were all kept as RGB.
  const std::string path = make("long.mp4", "testsrc=size=640x480:rate=25:duration=24",
                                "-c:v libx264 -preset ultrafast");
  VideoReader r;
  ASSERT_TRUE(r.open(path, {25, 0}));
  cv::Mat m;
  bool got = false;
  ASSERT_TRUE(r.read(&m, &got));
  const long before = rssKb();
  int frames = 1;
  while (r.read(&m, &got) && got) ++frames;
  EXPECT_EQ(frames, 600);
  EXPECT_LT(rssKb() - before, 64 * 1024) << "memory grew while streaming";
}

TEST_F(VideoReaderTest, BadOptionsAreNamed) {
  VideoReader r;
  EXPECT_EQ(r.open("/nonexistent.mp4", {0, 0}).subject(), "fps");
  EXPECT_EQ(r.open("/nonexistent.mp4", {25, -1}).subject(), "maxSide");
  Status s = r.open("/nonexistent.mp4", {25, 0});
  EXPECT_EQ(s.code(), ErrorCode::UnsupportedMedia);
  EXPECT_EQ(s.subject(), "/nonexistent.mp4");
}
