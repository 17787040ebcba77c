// A stage of the render chain (motion -> mouth -> enhance), built by its
// backend's factory (backend_factories.cpp) from what the session analysed.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include <opencv2/core.hpp>

#include "audio/mel.h"
#include "avatar/backends.h"
#include "avatar/driver.h"
#include "avatar/engine.h"
#include "avatar/face.h"
#include "avatar/options.h"
#include "avatar/visemes.h"
#include "motion/motion_types.h"
#include "pipeline/frame_context.h"
#include "pipeline/output_geometry.h"

namespace avatar::detail {

class Stage {
 public:
  virtual ~Stage() = default;
  virtual const char* id() const = 0;  // the backend's id in the table
  // Frames one process() call handles best (a net's batch); the chain
  // prefetches at least this many in sequential rendering.
  virtual int batchSize() const { return 1; }
  // Transforms frames (consecutive indices, in order) in place. Any range,
  // in any order: the studio asks for single frames at random.
  virtual Status process(std::vector<FrameContext>& frames) = 0;
};

// What a stage factory gets: the session's analysis, in output pixels.
class BuiltinWarp;  // builtin_stages.h

struct StageSetup {
  const Engine* engine = nullptr;
  RenderOptions options;
  cv::Mat baseFrame;    // the photo composed at the output size (RGB)
  FaceInfo face;        // the photo's face mapped into the output frame
  MotionInputs motion;  // visemes, loudness per frame, silences, fps, frameCount
  std::function<Status(MelSpectrogram*)> mel;  // Wav2Lip's mel, computed on first use
  // The tracked driver video (null without one) and its frame that
  // corresponds to the photo (driverReference).
  std::shared_ptr<const DriverTrack> driver;
  int driverReference = 0;
  // The built-in stages' common warp, once the first of them made it.
  std::shared_ptr<const BuiltinWarp> sharedWarp;
};

using StageFactory = Status (*)(const StageSetup& setup, std::unique_ptr<Stage>* out);

// The factory of a table row; nullptr when this build does not implement it.
StageFactory stageFactory(BackendRole role, const std::string& id);

// What the audio-driven neural mouths (Wav2Lip, Diff2Lip) check when they are
// built and per frame: an 80-band mel of at least one column, a positive fps
// and frame count (InvalidArgument naming "mel" or "frames"); a frame index
// inside 0..frameCount-1 (InvalidArgument naming "frame index").
Status checkMelTiming(const MelSpectrogram& mel, double fps, int frameCount);
Status checkFrameIndex(int index, int frameCount);

// Runs `run(frames + first, n)` over `frames` in batches of *batch; a batch
// that runs out of memory is retried at half the size, which *batch keeps.
Status processInBatches(std::vector<FrameContext>& frames, int* batch,
                        const std::function<Status(FrameContext*, int)>& run);

// Motion settings from the options (the built-in motion and mouth).
MotionSettings motionSettings(const RenderOptions& o);

// The motion of every frame for the motion stages: retargeted from the
// driver video when there is one, else planned from the audio (head, blinks;
// the mouth from planMouth).
std::vector<FrameMotion> plannedMotion(const StageSetup& s);

}  // namespace avatar::detail
