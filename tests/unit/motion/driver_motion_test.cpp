// Driver videos without a video: the loop modes, what measureFace reads off
// landmarks (a face template moved by known amounts), and the retargeting of
// a track onto the rig (relative to the reference frame, held frames,
// motion scale, still mode).
#include <gtest/gtest.h>

#include <cmath>

#include "avatar/driver.h"
#include "motion/driver_motion.h"

using namespace avatar;
using namespace avatar::detail;

namespace {

// A frontal 68-point face about 200 px tall (iBUG layout, roughly).
std::vector<PointF> templateFace() {
  std::vector<PointF> p(68);
  for (int i = 0; i <= 16; ++i) {  // jaw: a half ellipse from ear to ear
    const double a = M_PI * (1 - i / 16.0);
    p[size_t(i)] = {float(200 + 90 * std::cos(a)),
                    float(180 + 110 * std::sin(a) * (i > 0 && i < 16))};
  }
  for (int i = 0; i < 5; ++i) {  // brows
    p[size_t(17 + i)] = {float(135 + 12 * i), float(130 - (i == 2 ? 6 : 3))};
    p[size_t(22 + i)] = {float(217 + 12 * i), float(130 - (i == 2 ? 6 : 3))};
  }
  for (int i = 0; i < 4; ++i) p[size_t(27 + i)] = {200, float(145 + 12 * i)};  // nose bridge
  for (int i = 0; i < 5; ++i) p[size_t(31 + i)] = {float(186 + 7 * i), 198};   // nose base
  auto eye = [&](int first, float cx) {
    const float xs[6] = {-14, -7, 7, 14, 7, -7}, ys[6] = {0, -5, -5, 0, 5, 5};
    for (int k = 0; k < 6; ++k) p[size_t(first + k)] = {cx + xs[k], 150 + ys[k]};
  };
  eye(36, 160);
  eye(42, 240);
  for (int i = 0; i < 12; ++i) {  // outer lips
    const double a = 2 * M_PI * i / 12;
    p[size_t(48 + i)] = {float(200 - 30 * std::cos(a)), float(235 - 10 * std::sin(a))};
  }
  for (int i = 0; i < 8; ++i) {  // inner lips, slightly open
    const double a = 2 * M_PI * i / 8;
    p[size_t(60 + i)] = {float(200 - 22 * std::cos(a)), float(235 - 4 * std::sin(a))};
  }
  return p;
}

std::vector<PointF> transformed(std::vector<PointF> p, float rollDeg, float scale, PointF shift) {
  const float a = rollDeg * float(M_PI) / 180, c = std::cos(a), s = std::sin(a);
  for (PointF& q : p) {
    const float x = q.x - 200, y = q.y - 180;
    q = {200 + scale * (c * x - s * y) + shift.x, 180 + scale * (s * x + c * y) + shift.y};
  }
  return p;
}

DriverFrame frameOf(const std::vector<PointF>& p, bool face = true) {
  DriverFrame f;
  f.face = face;
  f.landmarks68 = p;
  f.measures = measureFace(p);
  return f;
}

}  // namespace

TEST(DriverLoop, PingPongLoopAndHoldPastTheDriversEnd) {
  // 4 driver frames, 10 output frames.
  std::vector<int> pp, lp, hd;
  for (int i = 0; i < 10; ++i) {
    pp.push_back(driverFrameAt(i, 4, DriverLoop::PingPong));
    lp.push_back(driverFrameAt(i, 4, DriverLoop::Loop));
    hd.push_back(driverFrameAt(i, 4, DriverLoop::Hold));
  }
  EXPECT_EQ(pp, (std::vector<int>{0, 1, 2, 3, 2, 1, 0, 1, 2, 3}));
  EXPECT_EQ(lp, (std::vector<int>{0, 1, 2, 3, 0, 1, 2, 3, 0, 1}));
  EXPECT_EQ(hd, (std::vector<int>{0, 1, 2, 3, 3, 3, 3, 3, 3, 3}));
  for (DriverLoop l : {DriverLoop::PingPong, DriverLoop::Loop, DriverLoop::Hold}) {
    EXPECT_EQ(driverFrameAt(7, 1, l), 0);  // a 1-frame driver holds
    EXPECT_EQ(driverFrameAt(-3, 4, l), 0);
  }
}

TEST(MeasureFace, ReadsRollScaleShiftTurnAndExpression) {
  const std::vector<PointF> face = templateFace();
  const FaceMeasures m = measureFace(face);
  EXPECT_NEAR(m.rollDeg, 0, 0.5);
  EXPECT_NEAR(m.yawDeg, 0, 1.0);
  // Tilted by 12 degrees, 1.25x larger, moved: roll follows, ratios do not move.
  const FaceMeasures t = measureFace(transformed(face, 12, 1.25f, {30, -20}));
  EXPECT_NEAR(t.rollDeg, 12, 0.5);
  EXPECT_NEAR(t.yawDeg, m.yawDeg, 0.5);
  EXPECT_NEAR(t.pitchDeg, m.pitchDeg, 0.5);
  EXPECT_NEAR(t.size / m.size, 1.25, 0.01);
  const PointF moved = transformed({m.center}, 12, 1.25f, {30, -20})[0];
  EXPECT_NEAR(t.center.x, moved.x, 0.5);
  EXPECT_NEAR(t.center.y, moved.y, 0.5);
  EXPECT_NEAR(t.eyeOpen[0], m.eyeOpen[0], 1e-3);
  EXPECT_NEAR(t.mouthOpen, m.mouthOpen, 1e-3);
  EXPECT_NEAR(t.browHeight, m.browHeight, 1e-3);
  // Turning right: the nose (27..35) moves right of the outline's middle.
  std::vector<PointF> turned = face;
  for (int k = 27; k <= 35; ++k) turned[size_t(k)].x += 15;
  EXPECT_GT(measureFace(turned).yawDeg, m.yawDeg + 5);
  // Nodding down: the nose tip moves down.
  std::vector<PointF> nod = face;
  nod[30].y += 10;
  EXPECT_GT(measureFace(nod).pitchDeg, m.pitchDeg + 3);
  // A wider-open mouth, raised brows; the jaw's drop does not change the scale.
  std::vector<PointF> open = face;
  for (int k : {65, 66, 67}) open[size_t(k)].y += 12;
  for (int k = 5; k <= 11; ++k) open[size_t(k)].y += 12;
  open[8].y += 12;
  EXPECT_GT(measureFace(open).mouthOpen, m.mouthOpen + 0.2);
  EXPECT_FLOAT_EQ(measureFace(open).size, m.size);
  std::vector<PointF> brows = face;
  for (int k = 17; k <= 26; ++k) brows[size_t(k)].y -= 8;
  EXPECT_GT(measureFace(brows).browHeight, m.browHeight + 0.02);
  EXPECT_EQ(measureFace({}).size, 0);
}

TEST(RetargetDriver, RelativeToTheReferenceWithHeldFramesScaleAndStill) {
  const std::vector<PointF> face = templateFace();
  DriverTrack t;
  t.frames.push_back(frameOf(transformed(face, 5, 1, {0, 0})));       // reference
  t.frames.push_back(frameOf(transformed(face, 15, 1, {20, 0})));     // tilted, moved
  t.frames.push_back(frameOf(transformed(face, 15, 1.2f, {20, 0})));  // and closer
  DriverFrame held = t.frames[2];
  held.face = false;
  held.landmarks68.clear();
  t.frames.push_back(held);
  t.frames[1].blink = 1;
  DriverRetarget r;
  r.frameCount = 6;
  r.reference = 0;
  r.loop = DriverLoop::Hold;
  const std::vector<FrameMotion> m = retargetDriver(t, r);
  ASSERT_EQ(m.size(), 6u);
  EXPECT_NEAR(m[0].head.rollDeg, 0, 1e-3);  // the reference is the photo's own pose
  EXPECT_NEAR(m[0].head.scale, 1, 1e-4);
  EXPECT_NEAR(m[1].head.rollDeg, 10, 0.5);
  EXPECT_GT(m[1].head.shiftX, 0.05);
  EXPECT_EQ(m[1].blink, 1.0f);
  EXPECT_NEAR(m[2].head.scale, 1.2, 0.01);
  EXPECT_NEAR(m[5].head.rollDeg, m[2].head.rollDeg, 1e-4);  // held past the end
  r.motionScale = 0.5;
  EXPECT_NEAR(retargetDriver(t, r)[1].head.rollDeg, 5, 0.3);
  r.still = true;
  const std::vector<FrameMotion> still = retargetDriver(t, r);
  EXPECT_EQ(still[1].head.rollDeg, 0);
  EXPECT_EQ(still[2].head.scale, 1);
  EXPECT_EQ(still[1].blink, 1.0f) << "still keeps the driver's blinks";
}
