// Engine integration of the neural backends on synthetic inputs: Wav2Lip
// preprocessing (crop, mel windows, BGR masked input), the renderer's paste
// modes, GFPGAN alignment and paste-back, net loading (backend choice: tests/unit/pipeline).
#include <cmath>
#include <filesystem>

#include <opencv2/imgproc.hpp>

#include "avatar/engine.h"
#include "avatar_nets/runtime.h"
#include "nets_test_util.h"
#include "pipeline/gfpgan_enhancer.h"
#include "pipeline/net_loading.h"
#include "pipeline/wav2lip_stage.h"

using namespace avatar;
using namespace avatar::detail;
using nets_test::randomVector;
using nets_test::randomWeights;

namespace {

// A 320x240 RGB frame with structure (gradients + a disc), and a face box.
cv::Mat syntheticFrame() {
  cv::Mat f(240, 320, CV_8UC3);
  for (int y = 0; y < f.rows; ++y) {
    for (int x = 0; x < f.cols; ++x) f.at<cv::Vec3b>(y, x) = {uchar(x * 255 / 320), uchar(y), 90};
  }
  cv::circle(f, {160, 120}, 60, cv::Scalar(200, 150, 120), cv::FILLED);
  return f;
}

FaceInfo syntheticFace() {
  FaceInfo face;
  face.found = true;
  face.box = {110.f, 60.f, 100.f, 120.f};
  return face;
}

// 68 landmarks whose alignment points are `pts` (eyes are 6-point rings,
// the rest placed on the jaw line): enough for alignment and masks.
FaceInfo faceWithLandmarks(const std::array<cv::Point2f, 5>& pts) {
  FaceInfo face = syntheticFace();
  face.landmarks68.resize(68);
  for (int i = 0; i < 68; ++i) {
    const double a = M_PI * (0.1 + 0.8 * i / 67.0);
    face.landmarks68[size_t(i)] = {float(160 + 45 * std::cos(a)), float(120 + 55 * std::sin(a))};
  }
  for (int e = 0; e < 2; ++e) {
    for (int k = 0; k < 6; ++k) {
      const double a = 2 * M_PI * k / 6;
      face.landmarks68[size_t(36 + 6 * e + k)] = {float(pts[size_t(e)].x + 5 * std::cos(a)),
                                                  float(pts[size_t(e)].y + 3 * std::sin(a))};
    }
  }
  face.landmarks68[30] = {pts[2].x, pts[2].y};
  face.landmarks68[48] = {pts[3].x, pts[3].y};
  face.landmarks68[54] = {pts[4].x, pts[4].y};
  return face;
}

std::shared_ptr<const nets::Wav2LipNet> wav2lip() {
  static std::shared_ptr<const nets::Wav2LipNet> net = [] {
    std::unique_ptr<nets::Wav2LipNet> n;
    nets::NetStatus s = nets::Wav2LipNet::load(randomWeights(nets::NetKind::Wav2Lip), {}, &n);
    EXPECT_TRUE(s) << s.message();
    return std::shared_ptr<const nets::Wav2LipNet>(std::move(n));
  }();
  return net;
}

// What the Wav2Lip stage sees: a synthetic frame with its face, and a mel.
MelSpectrogram randomMel(int frames) {
  MelSpectrogram mel;
  mel.frames = int(std::ceil(frames * 80 / 25.0)) + 16;
  mel.values = randomVector(size_t(80 * mel.frames), 11, -4.f, 2.f);
  return mel;
}

std::unique_ptr<Wav2LipStage> stage(int frames, const Wav2LipSettings& settings) {
  std::unique_ptr<Wav2LipStage> st;
  EXPECT_TRUE(Wav2LipStage::create(wav2lip(), randomMel(frames), 25, frames, settings, &st));
  return st;
}

// Runs the stage on frames [first, first + n) of the synthetic frame.
Status runStage(Wav2LipStage& st, int first, int n, std::vector<cv::Mat>* out,
                FaceInfo face = syntheticFace()) {
  std::vector<FrameContext> frames(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    frames[size_t(i)].index = first + i;
    frames[size_t(i)].image = syntheticFrame();
    frames[size_t(i)].face = face;
  }
  Status s = st.process(frames);
  out->clear();
  for (auto& f : frames) out->push_back(f.image);
  return s;
}

cv::Mat renderOne(Wav2LipStage& st, int index) {
  std::vector<cv::Mat> out;
  EXPECT_TRUE(runStage(st, index, 1, &out));
  return out[0];
}

}  // namespace

TEST(Wav2LipPreprocessing, CropPadsAndClampsLikeTheOfficialCode) {
  const cv::Rect r = wav2lipCrop({110.4f, 60.f, 100.f, 120.f}, {0, 10, 0, 0}, {320, 240});
  EXPECT_EQ(r, cv::Rect(110, 60, 100, 130));  // bottom + 10
  const cv::Rect c = wav2lipCrop({-5.f, 200.f, 50.f, 60.f}, {0, 10, 0, 0}, {320, 240});
  EXPECT_EQ(c, cv::Rect(0, 200, 45, 40));  // clamped left and bottom
}

TEST(Wav2LipPreprocessing, FaceInputIsMaskedThenReferenceInBgrOverUnitRange) {
  cv::Mat crop(96, 96, CV_8UC3, cv::Scalar(10, 20, 30));  // R=10 G=20 B=30
  std::vector<float> in(6 * 96 * 96);
  wav2lipFaceInput(crop, in.data());
  const size_t plane = 96 * 96;
  const size_t top = 10 * 96 + 5, bottom = 60 * 96 + 5;
  EXPECT_FLOAT_EQ(in[0 * plane + top], 30 / 255.f);  // masked B
  EXPECT_FLOAT_EQ(in[2 * plane + top], 10 / 255.f);  // masked R
  EXPECT_EQ(in[0 * plane + bottom], 0.f);            // lower half masked
  EXPECT_EQ(in[2 * plane + 48 * 96], 0.f);
  EXPECT_FLOAT_EQ(in[2 * plane + 47 * 96], 10 / 255.f);
  EXPECT_FLOAT_EQ(in[3 * plane + bottom], 30 / 255.f);  // reference B, not masked
  EXPECT_FLOAT_EQ(in[5 * plane + bottom], 10 / 255.f);
}

TEST(Wav2LipStageTest, HardPasteEqualsTheOfficialPipeline) {
  Wav2LipSettings settings;
  settings.paste = Wav2LipPaste::Hard;
  settings.batchSize = 4;
  const cv::Mat base = syntheticFrame();
  const MelSpectrogram melSpec = randomMel(6);
  const auto mel = melSpec.values;
  const int melFrames = melSpec.frames;
  auto r = stage(6, settings);
  const cv::Mat frame = renderOne(*r, 5);
  // Independent path: BGR crop, cv::resize, explicit masking, the net, uint8
  // truncation, resize back, paste.
  const cv::Rect crop(110, 60, 100, 130);
  cv::Mat bgr, face;
  cv::cvtColor(base(crop), bgr, cv::COLOR_RGB2BGR);
  cv::resize(bgr, face, {96, 96});
  std::vector<float> faceIn(6 * 96 * 96), melIn(80 * 16), out(3 * 96 * 96);
  for (int c = 0; c < 6; ++c) {
    for (int y = 0; y < 96; ++y) {
      for (int x = 0; x < 96; ++x) {
        const bool masked = c < 3 && y >= 48;
        faceIn[size_t((c * 96 + y) * 96 + x)] =
            masked ? 0.f : face.at<cv::Vec3b>(y, x)[c % 3] / 255.f;
      }
    }
  }
  const int start = int(5 * 80 / 25.0);
  for (int b = 0; b < 80; ++b) {
    for (int t = 0; t < 16; ++t) melIn[size_t(b * 16 + t)] = mel[size_t(b * melFrames + start + t)];
  }
  ASSERT_TRUE(wav2lip()->run(1, melIn.data(), faceIn.data(), out.data()));
  cv::Mat pred(96, 96, CV_8UC3);
  for (int y = 0; y < 96; ++y) {
    for (int x = 0; x < 96; ++x) {
      for (int c = 0; c < 3; ++c) {
        pred.at<cv::Vec3b>(y, x)[c] = uchar(out[size_t((c * 96 + y) * 96 + x)] * 255.f);
      }
    }
  }
  cv::Mat pasted = base.clone(), predRgb;
  cv::cvtColor(pred, predRgb, cv::COLOR_BGR2RGB);
  cv::resize(predRgb, pasted(crop), crop.size());
  cv::Mat diff;
  cv::absdiff(frame, pasted, diff);
  double maxDiff = 0;
  cv::minMaxLoc(diff.reshape(1), nullptr, &maxDiff);
  EXPECT_LE(maxDiff, 1.0) << "renderer differs from the official preprocessing/paste";
}

TEST(Wav2LipStageTest, FeatheredPasteChangesOnlyTheLowerFaceAndIsBatchIndependent) {
  const cv::Mat base = syntheticFrame();
  Wav2LipSettings s4, s16;
  s4.batchSize = 4;
  auto a = stage(9, s4);
  auto b = stage(9, s16);
  std::vector<cv::Mat> batch;
  ASSERT_TRUE(runStage(*b, 0, 9, &batch));  // one net call for 9 frames
  const cv::Mat f7 = renderOne(*a, 7), f0 = renderOne(*a, 0), f7again = renderOne(*a, 7);
  const cv::Mat g7 = batch[7];
  cv::Mat diff;
  EXPECT_EQ(cv::norm(f7, f7again, cv::NORM_INF), 0);
  EXPECT_LE(cv::norm(f7, g7, cv::NORM_INF), 1);  // alone vs in a batch of 9
  EXPECT_GT(cv::norm(f7, f0, cv::NORM_INF), 0) << "different audio windows, same frame";
  cv::absdiff(f7, base, diff);
  cv::Mat changed;
  cv::cvtColor(diff, changed, cv::COLOR_RGB2GRAY);
  const cv::Rect crop(110, 60, 100, 130);
  cv::Mat outside = changed.clone();
  outside(crop).setTo(0);
  EXPECT_EQ(cv::countNonZero(outside), 0) << "pixels outside the face crop changed";
  const cv::Rect upperRows(crop.x, crop.y, crop.width, crop.height / 4);
  EXPECT_EQ(cv::countNonZero(changed(upperRows)), 0) << "the feathered mask reaches the eyes";
  const cv::Rect mouth(crop.x + 30, crop.y + 80, 40, 25);
  EXPECT_GT(cv::countNonZero(changed(mouth)), 100) << "the mouth region was not redrawn";
}

TEST(Wav2LipStageTest, BadSetupIsAClearError) {
  std::unique_ptr<Wav2LipStage> r;
  MelSpectrogram noMel = randomMel(3);
  noMel.values.clear();
  EXPECT_EQ(Wav2LipStage::create(wav2lip(), noMel, 25, 3, {}, &r).code(),
            ErrorCode::InvalidArgument);
  EXPECT_EQ(Wav2LipStage::create(wav2lip(), randomMel(3), 25, 0, {}, &r).code(),
            ErrorCode::InvalidArgument);
  auto st = stage(3, {});
  std::vector<cv::Mat> out;
  FaceInfo noFace = syntheticFace();
  noFace.found = false;
  EXPECT_EQ(runStage(*st, 0, 1, &out, noFace).code(), ErrorCode::NoFaceDetected);
  FaceInfo outside = syntheticFace();
  outside.box = {400.f, 10.f, 50.f, 50.f};
  EXPECT_EQ(runStage(*st, 0, 1, &out, outside).code(), ErrorCode::NoFaceDetected);
  EXPECT_EQ(runStage(*st, 3, 1, &out).code(), ErrorCode::InvalidArgument);
}

TEST(FaceMapping, PhotoPixelsMoveIntoTheOutputFrame) {
  FaceInfo f = faceWithLandmarks({});
  OutputGeometry g;
  g.scale = 0.5;
  g.offset = {10, -4};
  const FaceInfo m = mapFaceToFrame(f, g);
  EXPECT_FLOAT_EQ(m.box.x, 110.f * 0.5f + 10);
  EXPECT_FLOAT_EQ(m.box.height, 60.f);
  EXPECT_FLOAT_EQ(m.landmarks68[30].y, f.landmarks68[30].y * 0.5f - 4);
}

TEST(GfpganEnhancerTest, AlignsToTheFfhqTemplateAndPastesBackSoftly) {
  // Alignment points = the template at half size, moved to (40, 0): the
  // estimated transform must be x2 and a shift.
  std::array<cv::Point2f, 5> pts;
  for (size_t i = 0; i < 5; ++i) pts[i] = ffhqTemplate512()[i] * 0.5f + cv::Point2f(40, 0);
  const FaceInfo face = faceWithLandmarks(pts);
  std::array<cv::Point2f, 5> got;
  ASSERT_TRUE(gfpganAlignmentPoints(face, &got));
  EXPECT_NEAR(got[0].x, pts[0].x, 1e-3);
  std::unique_ptr<nets::GfpganNet> n;
  ASSERT_TRUE(nets::GfpganNet::load(randomWeights(nets::NetKind::Gfpgan), {}, &n));
  std::shared_ptr<const nets::GfpganNet> net(std::move(n));
  GfpganSettings full;
  full.strength = 1.0;
  std::unique_ptr<GfpganEnhancer> e;
  ASSERT_TRUE(GfpganEnhancer::create(net, face, {320, 240}, full, &e));
  const cv::Mat& m = e->alignment();
  EXPECT_NEAR(m.at<double>(0, 0), 2.0, 1e-3);
  EXPECT_NEAR(m.at<double>(0, 1), 0.0, 1e-3);
  EXPECT_NEAR(m.at<double>(0, 2), -80.0, 1e-2);
  const cv::Mat base = syntheticFrame();
  cv::Mat frame = base.clone();
  ASSERT_TRUE(e->enhance({&frame}));
  cv::Mat diff, gray;
  cv::absdiff(frame, base, diff);
  cv::cvtColor(diff, gray, cv::COLOR_RGB2GRAY);
  // The face square maps to x 40..296, y 0..256 (clipped at 240); far pixels stay.
  EXPECT_EQ(cv::countNonZero(gray(cv::Rect(300, 0, 20, 240))), 0);
  EXPECT_GT(cv::countNonZero(gray(cv::Rect(140, 100, 60, 60))), 3000) << "face centre not restored";
  // Strength 0 leaves the frame untouched.
  GfpganSettings none;
  none.strength = 0.0;
  ASSERT_TRUE(GfpganEnhancer::create(net, face, {320, 240}, none, &e));
  cv::Mat same = base.clone();
  ASSERT_TRUE(e->enhance({&same}));
  EXPECT_EQ(cv::norm(same, base, cv::NORM_INF), 0);
  // No landmarks and no alignment points: a clear error.
  EXPECT_EQ(GfpganEnhancer::create(net, syntheticFace(), {320, 240}, full, &e).code(),
            ErrorCode::NoFaceDetected);
}

TEST(NetLoading, MissingAndInvalidWeightsMapToModelErrors) {
  std::shared_ptr<const Engine> engine;
  ASSERT_TRUE(Engine::create({}, &engine));
  std::shared_ptr<const nets::Wav2LipNet> net;
  Status s =
      loadWav2LipNet(*engine, "wav2lip", nets_test::scratchFile("absent.safetensors"), {}, &net);
  EXPECT_EQ(s.code(), ErrorCode::ModelMissing);
  EXPECT_NE(s.message().find("convert_checkpoint.py"), std::string::npos) << s.message();
  s = loadWav2LipNet(*engine, "wav2lip", randomWeights(nets::NetKind::Gfpgan), {}, &net);
  EXPECT_EQ(s.code(), ErrorCode::ModelInvalid) << s.message();
  std::shared_ptr<const nets::Wav2LipNet> a, b;
  ASSERT_TRUE(loadWav2LipNet(*engine, "wav2lip", randomWeights(nets::NetKind::Wav2Lip), {}, &a));
  ASSERT_TRUE(loadWav2LipNet(*engine, "wav2lip", randomWeights(nets::NetKind::Wav2Lip), {}, &b));
  EXPECT_EQ(a.get(), b.get()) << "a second session should share the loaded net";
}
