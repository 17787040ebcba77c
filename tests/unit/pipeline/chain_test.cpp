// The render chain on a real photo with random-weight Wav2Lip and GFPGAN
// files written by the test: Wav2Lip runs on the moved face (head motion and
// blinks stay), still mode leaves the upper face as the photo, GFPGAN after
// motion changes the face region only.
#include <cmath>
#include <filesystem>

#include <opencv2/imgproc.hpp>

#include "avatar/session.h"
#include "media/image_ops.h"
#include "motion/blinks.h"
#include "nets_test_util.h"
#include "pipeline/output_geometry.h"
#include "pipeline/wav2lip_stage.h"

using namespace avatar;
using namespace avatar::detail;
namespace fs = std::filesystem;

namespace {

constexpr int kSize = 256;

struct Inputs {
  std::string photo, audio;
};

Inputs inputs() {
  const std::string testdata = std::getenv("AVATAR_TESTDATA") ? std::getenv("AVATAR_TESTDATA") : "";
  const std::string source =
      std::getenv("AVATAR_SOURCE_DIR") ? std::getenv("AVATAR_SOURCE_DIR") : "";
  Inputs in{testdata + "/faces/alice.png", testdata + "/audio/hello.wav"};
  if (fs::exists(in.photo) && fs::exists(in.audio)) return in;
  in = {source + "/demo/astronaut.png", source + "/demo/speech.wav"};
  if (fs::exists(in.photo) && fs::exists(in.audio)) return in;
  return {};
}

std::shared_ptr<const Engine> engineWithNets() {
  const fs::path dir = nets_test::scratchDir() / "models-chain";
  fs::create_directories(dir / "wav2lip");
  fs::create_directories(dir / "gfpgan");
  fs::copy_file(nets_test::randomWeights(nets::NetKind::Wav2Lip),
                dir / "wav2lip/wav2lip_gan.safetensors", fs::copy_options::overwrite_existing);
  fs::copy_file(nets_test::randomWeights(nets::NetKind::Gfpgan),
                dir / "gfpgan/GFPGANv1.4.safetensors", fs::copy_options::overwrite_existing);
  const char* models = std::getenv("AVATAR_MODELS_DIR");
  if (models && !fs::exists(dir / "face-api")) {
    fs::create_directory_symlink(fs::path(models) / "face-api", dir / "face-api");
  }
  EngineConfig c;
  c.modelsDir = dir.string();
  std::shared_ptr<const Engine> e;
  EXPECT_TRUE(Engine::create(c, &e));
  return e;
}

class ChainTest : public ::testing::Test {
 protected:
  void SetUp() override {
    in_ = inputs();
    if (in_.photo.empty()) GTEST_SKIP() << "no photo/speech: AVATAR_TESTDATA and demo/ absent";
    if (!std::getenv("AVATAR_MODELS_DIR") ||
        !fs::exists(fs::path(std::getenv("AVATAR_MODELS_DIR")) / "face-api")) {
      GTEST_SKIP() << "face-api models not installed (scripts/setup.sh --models)";
    }
    engine_ = engineWithNets();
  }

  std::unique_ptr<Session> open(RenderOptions o) {
    RenderRequest r;
    r.imagePath = in_.photo;
    r.audioPath = in_.audio;
    o.width = o.height = kSize;
    o.seed = 7;
    r.options = o;
    std::unique_ptr<Session> s;
    Status st = Session::open(engine_, r, &s);
    EXPECT_TRUE(st) << st.message();
    return s;
  }

  static cv::Mat frame(Session& s, int i) {
    Image img;
    Status st = s.renderFrame(i, &img);
    EXPECT_TRUE(st) << st.message();
    return cv::Mat(img.height, img.width, CV_8UC3, img.rgb.data()).clone();
  }

  // The photo placed in the output frame, and its face there (as the session does).
  void still(const Session& s, cv::Mat* base, FaceInfo* face) const {
    const FaceInfo& f = s.info().face;
    const cv::Point2d focus(f.box.x + f.box.width / 2, f.box.y + f.box.height / 2);
    const OutputGeometry g = computeOutputGeometry(s.sourceImage().width, s.sourceImage().height,
                                                   s.request().options, focus);
    *base = composeFrame(imageView(s.sourceImage()), g, s.request().options.backgroundRgb);
    *face = mapFaceToFrame(f, g);
  }

  Inputs in_;
  std::shared_ptr<const Engine> engine_;
};

double mad(const cv::Mat& a, const cv::Mat& b, cv::Rect r) {
  r &= cv::Rect(0, 0, a.cols, a.rows);
  cv::Mat d;
  cv::absdiff(a(r), b(r), d);
  const cv::Scalar m = cv::mean(d);
  return (m[0] + m[1] + m[2]) / 3;
}

double psnr(const cv::Mat& a, const cv::Mat& b, cv::Rect r) {
  r &= cv::Rect(0, 0, a.cols, a.rows);
  return cv::PSNR(a(r), b(r));
}

cv::Rect around(const FaceInfo& f, int from, int to, int margin) {
  float x0 = 1e9f, y0 = 1e9f, x1 = -1e9f, y1 = -1e9f;
  for (int i = from; i <= to; ++i) {
    x0 = std::min(x0, f.landmarks68[size_t(i)].x), x1 = std::max(x1, f.landmarks68[size_t(i)].x);
    y0 = std::min(y0, f.landmarks68[size_t(i)].y), y1 = std::max(y1, f.landmarks68[size_t(i)].y);
  }
  return cv::Rect(cv::Point(int(x0) - margin, int(y0) - margin),
                  cv::Point(int(x1) + margin, int(y1) + margin));
}

std::vector<float> blinkPlan(const Session& s) {
  MotionInputs in;
  in.fps = s.info().fps;
  in.frameCount = s.info().frameCount;
  MotionSettings ms;
  ms.blinksPerMinute = s.request().options.blinksPerMinute;
  ms.seed = s.request().options.seed;
  return planBlinks(in, ms);
}

}  // namespace

// (a) natural motion + Wav2Lip: the head moves (forehead and eyes change),
// blinks close the eyes, the mouth is the net's, not the built-in one.
TEST_F(ChainTest, Wav2LipRunsOnTheMovedFace) {
  RenderOptions o;
  o.lipSync = LipSyncBackend::Wav2Lip;
  o.motionScale = 3;
  o.blinksPerMinute = 60;
  auto w = open(o);
  o.lipSync = LipSyncBackend::Builtin;
  auto b = open(o);
  ASSERT_TRUE(w && b);
  EXPECT_EQ(w->info().motionBackend, "builtin");
  EXPECT_EQ(w->info().lipSyncBackend, "wav2lip");
  cv::Mat base;
  FaceInfo face;
  still(*w, &base, &face);
  const int n = std::min(w->info().frameCount, 60);
  ASSERT_TRUE(w->prefetch(0, n));  // one batch, then served from memory
  const cv::Rect forehead(int(face.box.x + 0.2f * face.box.width), int(face.box.y),
                          int(0.6f * face.box.width), int(0.2f * face.box.height));
  const cv::Rect upper(int(face.box.x), int(face.box.y), int(face.box.width),
                       int(face.landmarks68[29].y - face.box.y));
  const cv::Rect mouth = around(face, 48, 67, 4);
  const cv::Mat w0 = frame(*w, 0);
  double foreheadMoves = 0, mouthDiffers = 0;
  for (int i = 0; i < n; ++i) {
    const cv::Mat wf = i == 0 ? w0 : frame(*w, i), bf = frame(*b, i);
    foreheadMoves = std::max(foreheadMoves, mad(wf, w0, forehead));
    // Above the nose the frame is the built-in motion's (head and lids).
    EXPECT_GE(psnr(wf, bf, upper), 40) << "frame " << i;
    mouthDiffers = std::max(mouthDiffers, mad(wf, bf, mouth));
  }
  EXPECT_GT(foreheadMoves, 1.0) << "the head does not move under Wav2Lip";
  EXPECT_GT(mouthDiffers, 3.0) << "the mouth is not Wav2Lip's";
  // Blinks: with the head still, a closed-eye frame differs from the photo
  // around the eyes; an open-eye frame does not.
  o.lipSync = LipSyncBackend::Wav2Lip;
  o.headMotion = HeadMotion::Still;
  auto s = open(o);
  const auto blink = blinkPlan(*s);
  int closed = -1, open = -1;
  for (int i = 0; i < int(blink.size()); ++i) {
    if (closed < 0 && blink[size_t(i)] > 0.9f) closed = i;
    if (open < 0 && blink[size_t(i)] == 0.f) open = i;
  }
  ASSERT_GE(closed, 0) << "no blink planned at 60 per minute";
  ASSERT_GE(open, 0);
  const cv::Rect eyes = around(face, 36, 47, 3);
  EXPECT_GT(mad(frame(*s, closed), base, eyes), 4.0) << "the eyes do not close";
  EXPECT_LT(mad(frame(*s, open), base, eyes), 0.5);
}

// (b) still mode + Wav2Lip: outside the lower face the frames are the photo.
TEST_F(ChainTest, StillModeKeepsTheUpperFaceOfThePhoto) {
  RenderOptions o;
  o.lipSync = LipSyncBackend::Wav2Lip;
  o.headMotion = HeadMotion::Still;
  o.blinksPerMinute = 0;
  auto s = open(o);
  ASSERT_TRUE(s);
  cv::Mat base;
  FaceInfo face;
  still(*s, &base, &face);
  const int aboveNose = int(face.landmarks68[29].y);
  const cv::Rect upper(0, 0, kSize, aboveNose);
  const int n = std::min(s->info().frameCount, 40);
  ASSERT_TRUE(s->prefetch(0, n));
  double lower = 0;
  for (int i = 0; i < n; ++i) {
    const cv::Mat f = frame(*s, i);
    EXPECT_GE(psnr(f, base, upper), 40) << "frame " << i;
    lower = std::max(lower, mad(f, base, around(face, 48, 67, 2)));
  }
  EXPECT_GT(lower, 2.0) << "the mouth was not redrawn";
}

// (c) GFPGAN after motion: the enhancer changes the face of each moved frame
// and nothing far from it.
TEST_F(ChainTest, GfpganAfterMotionChangesOnlyTheFace) {
  RenderOptions o;
  o.lipSync = LipSyncBackend::Builtin;
  o.qualityMode = QualityMode::HighQuality;
  o.motionScale = 3;
  auto plain = open(o);
  o.enhancer = Enhancer::Gfpgan;
  o.enhancerStrength = 1;
  auto enhanced = open(o);
  ASSERT_TRUE(plain && enhanced);
  cv::Mat base;
  FaceInfo face;
  still(*plain, &base, &face);
  const cv::Rect centre(int(face.box.x + face.box.width * 0.3f),
                        int(face.box.y + face.box.height * 0.3f), int(face.box.width * 0.4f),
                        int(face.box.height * 0.4f));
  for (int i : {0, plain->info().frameCount / 2}) {
    const cv::Mat p = frame(*plain, i), e = frame(*enhanced, i);
    EXPECT_GT(mad(p, e, centre), 5.0) << "frame " << i << ": the face was not enhanced";
    for (cv::Rect corner : {cv::Rect(0, 0, 16, 16), cv::Rect(kSize - 16, 0, 16, 16)}) {
      EXPECT_EQ(mad(p, e, corner), 0.0) << "frame " << i << ": pixels far from the face changed";
    }
  }
}
