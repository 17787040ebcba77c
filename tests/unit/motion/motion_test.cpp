#include <gtest/gtest.h>

#include <cmath>

#include "motion/blinks.h"
#include "motion/head_motion.h"
#include "motion/lip_curves.h"
#include "motion/motion_plan.h"

using namespace avatar;
using namespace avatar::detail;

namespace {

// 4 s: speech (D/B alternating every 100 ms) 0-1.5 s, silence 1.5-2.3 s,
// speech 2.3-4 s. Loudness follows the shapes.
MotionInputs speechWithGap() {
  MotionInputs in;
  in.fps = 25;
  in.frameCount = 100;
  for (int k = 0; k < 40; ++k) {
    const double t0 = k * 0.1, t1 = t0 + 0.1;
    const bool silent = t0 >= 1.5 && t0 < 2.3;
    in.visemes.push_back({t0, t1, silent ? Viseme::X : (k % 2 ? Viseme::B : Viseme::D)});
  }
  in.silences = {{1.5, 2.3}};
  for (int f = 0; f < in.frameCount; ++f) {
    const double t = (f + 0.5) / in.fps;
    const bool silent = t >= 1.5 && t < 2.3;
    in.loudness.push_back(silent ? 0.0f : float(0.6 + 0.4 * std::sin(t * 20)));
  }
  return in;
}

}  // namespace

TEST(LipCurves, MouthClosesWithin80msOfSilenceAndStaysClosed) {
  const MotionInputs in = speechWithGap();
  MotionSettings s;
  for (double smoothing : {0.0, 60.0, 200.0, 500.0}) {
    s.smoothingMs = smoothing;
    const auto mouth = planMouth(in, s);
    ASSERT_EQ(mouth.size(), 100u);
    for (int f = 0; f < in.frameCount; ++f) {
      const double t = (f + 0.5) / in.fps;
      if (t >= 1.5 + 0.08 && t <= 2.3 - 0.05) {
        EXPECT_EQ(mouth[f].jawOpen, 0.0f) << "frame " << f << " smoothing " << smoothing;
        EXPECT_EQ(mouth[f].width, 0.0f);
      }
    }
    float speechMax = 0;
    for (int f = 0; f < 35; ++f) speechMax = std::max(speechMax, mouth[f].jawOpen);
    EXPECT_GT(speechMax, 0.3f) << "speech must open the mouth";
  }
}

TEST(LipCurves, GainAndSmoothingShapeTheCurve) {
  const MotionInputs in = speechWithGap();
  MotionSettings s;
  s.smoothingMs = 0;
  const auto sharp = planMouth(in, s);
  s.smoothingMs = 200;
  const auto smooth = planMouth(in, s);
  s.smoothingMs = 0;
  s.mouthGain = 2;
  const auto loud = planMouth(in, s);
  double varSharp = 0, varSmooth = 0, sumSharp = 0, sumLoud = 0;
  for (int f = 1; f < 35; ++f) {
    varSharp += std::pow(sharp[f].jawOpen - sharp[f - 1].jawOpen, 2);
    varSmooth += std::pow(smooth[f].jawOpen - smooth[f - 1].jawOpen, 2);
    sumSharp += sharp[f].jawOpen;
    sumLoud += loud[f].jawOpen;
  }
  EXPECT_LT(varSmooth, 0.5 * varSharp) << "smoothing must reduce frame-to-frame jumps";
  EXPECT_GT(sumLoud, 1.5 * sumSharp) << "gain 2 must open the mouth more";
  EXPECT_GT(visemeTarget(Viseme::D).jawOpen, visemeTarget(Viseme::C).jawOpen);
  EXPECT_LT(visemeTarget(Viseme::F).width, 0.0f);  // puckered is narrow
  EXPECT_EQ(visemeTarget(Viseme::A).jawOpen, 0.0f);
  EXPECT_EQ(visemeTarget(Viseme::X).jawOpen, 0.0f);
}

TEST(Blinks, IntervalsAndDurationsFollowTheRate) {
  const auto blinks = planBlinkTimes(600, 15, 7);
  ASSERT_GT(blinks.size(), 100u);
  ASSERT_LT(blinks.size(), 200u);
  for (size_t k = 1; k < blinks.size(); ++k) {
    const double interval = blinks[k].startSec - blinks[k - 1].startSec;
    EXPECT_GE(interval, 2.0 + 0.2 - 1e-9);
    EXPECT_LE(interval, 6.0 + 0.35 + 1e-9);
    EXPECT_GE(blinks[k].durationSec, 0.2);
    EXPECT_LE(blinks[k].durationSec, 0.35);
  }
  EXPECT_TRUE(planBlinkTimes(600, 0, 7).empty());
  EXPECT_EQ(blinkClosure(0, 0.2), 0.0f);
  EXPECT_FLOAT_EQ(blinkClosure(0.08, 0.2), 1.0f);  // shut from 30% to 45%
  EXPECT_EQ(blinkClosure(0.2, 0.2), 0.0f);
}

TEST(Blinks, EveryBlinkReachesAFrameAsNearlyClosed) {
  MotionInputs in;
  in.fps = 25;
  in.frameCount = 25 * 120;
  MotionSettings s;
  s.seed = 3;
  const auto closure = planBlinks(in, s);
  const auto times = planBlinkTimes(120, 15, 3);
  for (const auto& b : times) {
    const int f = int((b.startSec + 0.4 * b.durationSec) * in.fps);
    float m = 0;
    for (int k = std::max(0, f - 1); k <= std::min(in.frameCount - 1, f + 1); ++k)
      m = std::max(m, closure[k]);
    EXPECT_GT(m, 0.8f) << "blink at " << b.startSec;
  }
}

TEST(HeadMotion, StillModeIsStillAndNaturalModeMovesSmallAndSmooth) {
  MotionInputs in = speechWithGap();
  MotionSettings s;
  s.still = true;
  for (const auto& p : planHead(in, s)) {
    EXPECT_EQ(p.yawDeg, 0.0f);
    EXPECT_EQ(p.pitchDeg, 0.0f);
    EXPECT_EQ(p.rollDeg, 0.0f);
  }
  s.still = false;
  const auto head = planHead(in, s);
  float maxAbs = 0, maxStep = 0;
  for (size_t f = 0; f < head.size(); ++f) {
    maxAbs = std::max(
        {maxAbs, std::abs(head[f].yawDeg), std::abs(head[f].pitchDeg), std::abs(head[f].rollDeg)});
    if (f) maxStep = std::max(maxStep, std::abs(head[f].pitchDeg - head[f - 1].pitchDeg));
  }
  EXPECT_GT(maxAbs, 0.2f);
  EXPECT_LT(maxAbs, 8.0f);
  EXPECT_LT(maxStep, 1.5f) << "no jumps between frames";
  s.motionScale = 2;
  const auto bigger = planHead(in, s);
  EXPECT_NEAR(bigger[50].yawDeg, 2 * head[50].yawDeg, 1e-4);
}

TEST(HeadMotion, NodsOnEmphasis) {
  std::vector<float> loud(100, 0.2f);
  loud[30] = 0.95f;
  loud[29] = loud[31] = 0.7f;
  loud[70] = 0.9f;
  const auto peaks = emphasisFrames(loud, 25);
  EXPECT_EQ(peaks, (std::vector<int>{30, 70}));
}

TEST(MotionPlan, SameSeedSamePlanOtherSeedOtherPlan) {
  const MotionInputs in = speechWithGap();
  MotionSettings s;
  s.seed = 11;
  const auto a = planMotion(in, s), b = planMotion(in, s);
  s.seed = 12;
  const auto c = planMotion(in, s);
  ASSERT_EQ(a.size(), b.size());
  bool differs = false;
  for (size_t f = 0; f < a.size(); ++f) {
    EXPECT_EQ(a[f].head.yawDeg, b[f].head.yawDeg);
    EXPECT_EQ(a[f].blink, b[f].blink);
    EXPECT_EQ(a[f].mouth.jawOpen, b[f].mouth.jawOpen);
    differs = differs || a[f].head.yawDeg != c[f].head.yawDeg;
  }
  EXPECT_TRUE(differs);
}
