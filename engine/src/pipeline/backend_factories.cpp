// The factory column of the backend table (backend_table.cpp): one entry per
// implemented backend. A row without an entry is "not implemented".
#include <algorithm>
#include <utility>

#include "motion/blinks.h"
#include "motion/driver_motion.h"
#include "motion/head_motion.h"
#include "motion/lip_curves.h"
#include "pipeline/builtin_stages.h"
#include "pipeline/diff2lip_stage.h"
#include "pipeline/fomm_stage.h"
#include "pipeline/gfpgan_enhancer.h"
#include "pipeline/wav2lip_stage.h"

namespace avatar::detail {
namespace {

Status builtinWarp(const StageSetup& s, std::shared_ptr<const BuiltinWarp>* out) {
  if (!s.face.found) {
    return Status::error(ErrorCode::NoFaceDetected, "photo", "the built-in stages need a face");
  }
  return makeBuiltinWarp(s.baseFrame, s.face, out);
}

// The built-in motion and mouth share one warp (one resampling per frame);
// the motion stage creates it, the mouth stage finds it in its setup.
Status makeBuiltinMotion(const StageSetup& s, std::unique_ptr<Stage>* out) {
  std::shared_ptr<const BuiltinWarp> warp = s.sharedWarp;
  if (!warp) {
    if (Status st = builtinWarp(s, &warp); !st) return st;
  }
  *out = std::make_unique<BuiltinMotionStage>(warp, s.face, plannedMotion(s));
  return Status::ok();
}

Status makeBuiltinMouth(const StageSetup& s, std::unique_ptr<Stage>* out) {
  std::shared_ptr<const BuiltinWarp> warp = s.sharedWarp;
  if (!warp) {
    if (Status st = builtinWarp(s, &warp); !st) return st;
  }
  std::vector<MouthPose> mouth;
  if (s.driver && s.options.driverMouth == DriverMouth::Video) {
    for (const FrameMotion& m : plannedMotion(s)) mouth.push_back(m.mouth);
  } else {
    mouth = planMouth(s.motion, motionSettings(s.options));
  }
  *out = std::make_unique<BuiltinMouthStage>(warp, std::move(mouth));
  return Status::ok();
}

struct FactoryRow {
  BackendRole role;
  const char* id;
  StageFactory make;
};

constexpr FactoryRow kFactories[] = {
    {BackendRole::Motion, "builtin", makeBuiltinMotion},
    {BackendRole::Motion, "fomm", makeFommStage},
    {BackendRole::Mouth, "builtin", makeBuiltinMouth},
    {BackendRole::Mouth, "diff2lip", makeDiff2LipStage},
    {BackendRole::Mouth, "wav2lip", makeWav2LipStage},
    {BackendRole::Enhance, "gfpgan", makeGfpganStage},
};

}  // namespace

std::vector<FrameMotion> plannedMotion(const StageSetup& s) {
  const MotionSettings ms = motionSettings(s.options);
  if (s.driver) {
    DriverRetarget r;
    r.frameCount = s.motion.frameCount;
    r.loop = s.options.driverLoop;
    r.reference = s.driverReference;
    r.motionScale = ms.motionScale;
    r.still = ms.still;
    return retargetDriver(*s.driver, r);
  }
  const std::vector<HeadPose> head = planHead(s.motion, ms);
  const std::vector<float> blink = planBlinks(s.motion, ms);
  std::vector<FrameMotion> out(std::min(head.size(), blink.size()));
  for (size_t i = 0; i < out.size(); ++i) {
    out[i].head = head[i];
    out[i].blink = blink[i];
  }
  return out;
}

StageFactory stageFactory(BackendRole role, const std::string& id) {
  for (const FactoryRow& f : kFactories) {
    if (f.role == role && id == f.id) return f.make;
  }
  return nullptr;
}

Status checkMelTiming(const MelSpectrogram& mel, double fps, int frameCount) {
  if (mel.frames < 1 || mel.bands != 80 || mel.values.size() != size_t(80) * size_t(mel.frames)) {
    return Status::error(
        ErrorCode::InvalidArgument, "mel",
        "expected 80 x T values with T >= 1, got " + std::to_string(mel.values.size()));
  }
  if (frameCount < 1 || !(fps > 0)) {
    return Status::error(ErrorCode::InvalidArgument, "frames",
                         "frame count and fps must be positive");
  }
  return Status::ok();
}

Status checkFrameIndex(int index, int frameCount) {
  if (index >= 0 && index < frameCount) return Status::ok();
  return Status::error(ErrorCode::InvalidArgument, "frame index",
                       std::to_string(index) + " is outside 0.." + std::to_string(frameCount - 1));
}

Status processInBatches(std::vector<FrameContext>& frames, int* batch,
                        const std::function<Status(FrameContext*, int)>& run) {
  for (size_t first = 0; first < frames.size();) {
    const int n = int(std::min(size_t(std::max(1, *batch)), frames.size() - first));
    Status s = run(frames.data() + first, n);
    if (s.code() == ErrorCode::OutOfMemory && n > 1) {
      *batch = std::max(1, n / 2);  // adapt and retry the same frames
      continue;
    }
    if (!s) return s;
    first += size_t(n);
  }
  return Status::ok();
}

MotionSettings motionSettings(const RenderOptions& o) {
  MotionSettings ms;
  ms.mouthGain = o.mouthGain;
  ms.smoothingMs = o.smoothingMs;
  ms.motionScale = o.motionScale;
  ms.blinksPerMinute = o.blinksPerMinute;
  ms.still = o.headMotion == HeadMotion::Still;
  ms.seed = o.seed;
  return ms;
}

}  // namespace avatar::detail
