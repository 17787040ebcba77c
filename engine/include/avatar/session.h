// Session: one photo + one speech track, analysed once, rendered many times.
//
// Session::open decodes and analyses the inputs (face, audio, motion). Then
// renderFrame() renders any frame on demand (the studio's live preview) and
// renderVideo() writes the whole video. setOptions() changes the settings and
// redoes only the analysis that depends on what changed.
//
// No exception crosses this API: failures are a Status (std::bad_alloc is
// OutOfMemory; OpenCV/LibTorch errors are Internal, naming the stage).
//
// Threading: a Session is not shared between threads without external
// locking; open/render on a worker thread and hand results to the GUI.
// Progress callbacks run on the calling thread. The Engine must outlive it.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "avatar/driver.h"
#include "avatar/engine.h"
#include "avatar/face.h"
#include "avatar/image.h"
#include "avatar/media.h"
#include "avatar/options.h"
#include "avatar/progress.h"
#include "avatar/status.h"
#include "avatar/visemes.h"

namespace avatar {

struct SessionInfo {
  int frameCount = 0;
  int fps = 25;
  int width = 0;  // output frame size
  int height = 0;
  double audioDurationSec = 0;
  AudioInfo audio;
  ImageInfo image;
  FaceInfo face;
  // Chosen backends (ids of backendTable() rows, see backends.h).
  std::string motionBackend;       // "builtin", "fomm"
  std::string lipSyncBackend;      // the mouth: "builtin", "wav2lip", "diff2lip"
  std::string enhancer;            // "none", "gfpgan"
  std::vector<std::string> notes;  // fallbacks and warnings, for job records
};

struct RenderResult {
  std::string outputPath;
  int frameCount = 0;
  double durationSec = 0;
  std::string videoEncoder;  // "libx264", "h264_nvenc"
  double analyseSec = 0;     // wall time of Session::open
  double renderSec = 0;      // wall time of renderVideo
  std::vector<std::string> notes;
};

class Session {
 public:
  // Validates the request (inputs readable, options valid; the output path is
  // checked by renderVideo) and analyses the inputs.
  static Status open(std::shared_ptr<const Engine> engine, const RenderRequest& request,
                     std::unique_ptr<Session>* out, ProgressSink* progress = nullptr,
                     const StopToken* stop = nullptr);
  ~Session();

  const SessionInfo& info() const;
  const RenderRequest& request() const;
  // The original photo as loaded (RGB, orientation applied).
  const Image& sourceImage() const;
  // The 16 kHz mono analysis track.
  const AudioSamples& analysisAudio() const;
  // The mouth shapes the built-in renderer follows: estimated from the audio,
  // or read from request().visemeTrackPath. Empty for the still backend.
  const VisemeTrack& visemes() const;
  // Loudness per video frame, 0..1.
  const std::vector<float>& loudness() const;
  // The tracked driver video (null without one; tracked again only when the
  // path or fps changes) and its frame that matches the photo's pose.
  // Output frame i shows driver frame driverFrameAt(i, frames, driverLoop).
  const DriverTrack* driverTrack() const;
  int driverReferenceFrame() const;

  // Applies new options; re-runs only the affected analysis.
  Status setOptions(const RenderOptions& options);

  // Renders frame `index` (0 <= index < frameCount) at the output size:
  // motion -> mouth -> enhance for that frame alone, unless prefetched.
  Status renderFrame(int index, Image* out);

  // Announces that frames [first, first + count) come next: the chain runs
  // them as one batch per stage (one net call), and renderFrame() then takes
  // them from memory. A hint; renderFrame works without it.
  Status prefetch(int first, int count);

  // Renders every frame and writes request().outputPath atomically
  // (<out>.part, renamed on success, removed on failure or cancel).
  Status renderVideo(RenderResult* result, ProgressSink* progress = nullptr,
                     const StopToken* stop = nullptr);

  struct Impl;

 private:
  explicit Session(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The checks renderVideo makes on request.outputPath before any work: a known
// video extension, an existing writable directory, not one of the inputs.
Status checkRenderOutput(const RenderRequest& request);

// Convenience: Session::open + renderVideo, with one progress scale for both.
Status renderVideo(std::shared_ptr<const Engine> engine, const RenderRequest& request,
                   RenderResult* result, ProgressSink* progress = nullptr,
                   const StopToken* stop = nullptr);

}  // namespace avatar
