#include "motion/driver_motion.h"

#include <algorithm>
#include <cmath>

namespace avatar::detail {
std::vector<FrameMotion> retargetDriver(const DriverTrack& t, const DriverRetarget& r) {
  std::vector<FrameMotion> out(size_t(std::max(0, r.frameCount)));
  if (t.frames.empty()) return out;
  const int n = int(t.frames.size());
  const FaceMeasures& ref = t.frames[size_t(std::clamp(r.reference, 0, n - 1))].measures;
  const float size = std::max(ref.size, 1e-3f);
  const float head = r.still ? 0.0f : float(r.motionScale);
  for (size_t i = 0; i < out.size(); ++i) {
    const DriverFrame& d = t.frames[size_t(driverFrameAt(int(i), n, r.loop))];
    const FaceMeasures& m = d.measures;
    FrameMotion& f = out[i];
    // The rig is made for moderate turns; beyond them it would smear.
    f.head.yawDeg = std::clamp(head * (m.yawDeg - ref.yawDeg), -25.0f, 25.0f);
    f.head.pitchDeg = std::clamp(head * (m.pitchDeg - ref.pitchDeg), -20.0f, 20.0f);
    f.head.rollDeg = std::clamp(head * (m.rollDeg - ref.rollDeg), -25.0f, 25.0f);
    f.head.shiftX = std::clamp(head * (m.center.x - ref.center.x) / size, -0.5f, 0.5f);
    f.head.shiftY = std::clamp(head * (m.center.y - ref.center.y) / size, -0.5f, 0.5f);
    f.head.scale = std::clamp(1 + head * (m.size / size - 1), 0.7f, 1.4f);
    f.blink = d.blink;
    f.browRaise = std::clamp(m.browHeight - ref.browHeight, -0.03f, 0.03f);
    // Mouth: a wide "ah" opens the inner lips to about 0.35 of the mouth's width.
    f.mouth.jawOpen = std::clamp(m.mouthOpen / 0.35f, 0.0f, 1.25f);
    if (ref.mouthWidth > 0) {
      f.mouth.width = std::clamp((m.mouthWidth / ref.mouthWidth - 1) / 0.13f, -1.0f, 1.0f);
    }
  }
  return out;
}

}  // namespace avatar::detail
