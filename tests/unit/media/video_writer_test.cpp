#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <opencv2/core.hpp>

#include "avatar/media.h"
#include "media/video_writer.h"
#include "test_support.h"

using namespace avatar;
using avatar::detail::VideoWriter;
using avatar::detail::VideoWriterConfig;
using avatar_test::ScratchDir;

namespace {

std::string probe(const std::string& path, const std::string& entries) {
  const std::string cmd = "ffprobe -v error -select_streams v:0 -count_frames -show_entries " +
                          entries + " -of default=nw=1:nk=1 '" + path + "' 2>/dev/null";
  std::string out;
  if (FILE* p = popen(cmd.c_str(), "r")) {
    char buf[256];
    while (fgets(buf, sizeof buf, p)) out += buf;
    pclose(p);
  }
  return out;
}

long rssKb() {
  std::ifstream in("/proc/self/status");
  std::string key;
  while (in >> key) {
    if (key == "VmRSS:") {
      long kb;
      in >> kb;
      return kb;
    }
  }
  return 0;
}

cv::Mat frameFor(int i, int w, int h) {
  cv::Mat m(h, w, CV_8UC3, cv::Scalar((i * 5) % 255, 128, 255 - (i * 3) % 255));
  return m;
}

}  // namespace

class VideoWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!avatar_test::haveTool("ffmpeg")) GTEST_SKIP() << "ffmpeg/ffprobe CLI absent";
    audio_ = dir_.file("sine.wav");
    ASSERT_TRUE(
        avatar_test::run("ffmpeg -y -v error -f lavfi -i "
                         "sine=frequency=300:sample_rate=44100:duration=2 " +
                         audio_));
  }
  ScratchDir dir_{"writer"};
  std::string audio_;
};

TEST_F(VideoWriterTest, WritesH264AacMp4AtomicallyWithTheAudioLength) {
  VideoWriterConfig cfg;
  cfg.outputPath = dir_.file("out.mp4");
  cfg.width = 64;
  cfg.height = 48;
  cfg.fps = 25;
  cfg.encoder = VideoEncoder::Libx264;
  cfg.preset = "ultrafast";
  cfg.audioPath = audio_;
  VideoWriter w;
  ASSERT_TRUE(w.open(cfg));
  for (int i = 0; i < 50; ++i) {
    const cv::Mat f = frameFor(i, 64, 48);
    ASSERT_TRUE(w.writeFrame(f.data, int(f.step)));
    EXPECT_FALSE(std::filesystem::exists(cfg.outputPath)) << "final name appears only at the end";
    EXPECT_EQ(avatar_test::partialFiles(cfg.outputPath), 1);
  }
  ASSERT_TRUE(w.finish());
  EXPECT_EQ(avatar_test::partialFiles(cfg.outputPath), 0);
  EXPECT_EQ(w.videoEncoderName(), "libx264");
  EXPECT_EQ(probe(cfg.outputPath, "stream=codec_name,width,height,nb_read_frames"),
            "h264\n64\n48\n50\n");
  AudioSamples back;
  ASSERT_TRUE(decodeAudio(cfg.outputPath, 16000, &back));
  EXPECT_NEAR(back.durationSec(), 2.0, 0.05);
}

TEST_F(VideoWriterTest, AbortAndDestructionRemoveThePartialFile) {
  VideoWriterConfig cfg;
  cfg.outputPath = dir_.file("aborted.mp4");
  cfg.width = 32;
  cfg.height = 32;
  cfg.audioPath = audio_;
  {
    VideoWriter w;
    ASSERT_TRUE(w.open(cfg));
    const cv::Mat f = frameFor(0, 32, 32);
    ASSERT_TRUE(w.writeFrame(f.data, int(f.step)));
    w.abort();
  }
  EXPECT_FALSE(std::filesystem::exists(cfg.outputPath));
  EXPECT_EQ(avatar_test::partialFiles(cfg.outputPath), 0);
  {
    VideoWriter w;  // never finished
    ASSERT_TRUE(w.open(cfg));
  }
  EXPECT_EQ(avatar_test::partialFiles(cfg.outputPath), 0);
}

TEST_F(VideoWriterTest, RejectsOddSizesAndFallsBackFromNvenc) {
  VideoWriterConfig cfg;
  cfg.outputPath = dir_.file("odd.mp4");
  cfg.width = 33;
  cfg.height = 32;
  VideoWriter odd;
  EXPECT_EQ(odd.open(cfg).code(), ErrorCode::InvalidArgument);

  cfg.width = 32;
  cfg.encoder = VideoEncoder::Nvenc;  // no NVIDIA GPU in CI: must fall back, not fail
  VideoWriter w;
  ASSERT_TRUE(w.open(cfg));
  const cv::Mat f = frameFor(0, 32, 32);
  ASSERT_TRUE(w.writeFrame(f.data, int(f.step)));
  ASSERT_TRUE(w.finish());
  if (w.videoEncoderName() == "libx264") {
    ASSERT_FALSE(w.notes().empty());
    EXPECT_NE(w.notes()[0].find("NVENC unavailable"), std::string::npos);
  }
}

TEST_F(VideoWriterTest, MemoryDoesNotGrowWithDuration) {
#ifdef __SANITIZE_ADDRESS__
  GTEST_SKIP() << "RSS says nothing under AddressSanitizer: freed blocks stay in its quarantine "
                  "(the release build runs this test)";
#endif
  const std::string longAudio = dir_.file("long.wav");
  ASSERT_TRUE(
      avatar_test::run("ffmpeg -y -v error -f lavfi -i "
                       "sine=frequency=300:sample_rate=48000:duration=80 " +
                       longAudio));
  VideoWriterConfig cfg;
  cfg.outputPath = dir_.file("long.mp4");
  cfg.width = 128;
  cfg.height = 128;
  cfg.preset = "ultrafast";
  cfg.encoderThreads = 1;
  cfg.audioPath = longAudio;
  VideoWriter w;
  ASSERT_TRUE(w.open(cfg));
  long after100 = 0;
  for (int i = 0; i < 2000; ++i) {  // 80 s at 25 fps
    const cv::Mat f = frameFor(i, 128, 128);
    ASSERT_TRUE(w.writeFrame(f.data, int(f.step)));
    if (i == 100) after100 = rssKb();
  }
  const long after2000 = rssKb();
  ASSERT_TRUE(w.finish());
  // Buffers are fixed-size: 1900 more frames (76 s of video and audio) may
  // not add more than a few MB.
  EXPECT_LT(after2000 - after100, 8 * 1024)
      << "RSS grew from " << after100 << " kB to " << after2000 << " kB";
}
