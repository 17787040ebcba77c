// Session analysis that the renderers need: the face on the photo and the
// speech (loudness, voice activity, visemes), cached across setOptions().
#include "avatar/face.h"
#include "avatar/log.h"
#include "pipeline/builtin_stages.h"
#include "pipeline/session_impl.h"
#include "pipeline/stage.h"
#include "pipeline/wav2lip_stage.h"

namespace avatar {

Status Session::Impl::analyseFaceCached() {
  const int index = request.options.faceIndex;
  if (analysedFaceIndex == index) return faceStatus;
  FaceInfo face;
  faceStatus = analyseFace(*engine, source, request.imagePath, index, &face);
  analysedFaceIndex = index;
  info.face = faceStatus ? face : FaceInfo{};
  return faceStatus;
}

Status Session::Impl::analyseSpeechCached() {
  const int fps = request.options.fps;
  const VisemeMethod method = request.options.visemeMethod;
  const bool fromFile = !request.visemeTrackPath.empty();
  // A viseme file replaces the estimated visemes: the transcript has nothing to do.
  const std::string& transcript = fromFile ? std::string() : request.options.transcript;
  if (speechFps == fps && speechMethod == method && speechTranscript == transcript) {
    return Status::ok();
  }
  SpeechAnalysis analysis;
  VisemeOptions visemeOptions;
  visemeOptions.method = method;
  visemeOptions.transcript = transcript;
  if (Status s = analyzeSpeech(audio, fps, visemeOptions, &analysis); !s) return s;
  if (fromFile && !request.options.transcript.empty()) {
    analysis.notes.push_back("transcript not used: the visemes come from the viseme file");
  }
  if (fromFile) {
    VisemeTrack track;
    if (Status s = loadVisemeTrack(request.visemeTrackPath, VisemeFormat::Auto,
                                   info.audioDurationSec, &track);
        !s) {
      return s;
    }
    analysis.visemes = std::move(track);
  }
  speech = std::move(analysis);
  speechFps = fps;
  speechMethod = method;
  speechTranscript = transcript;
  return Status::ok();
}

namespace {

// Tracking progress as a part of the "analyse" stage.
class AnalyseShare final : public ProgressSink {
 public:
  AnalyseShare(ProgressMerger& merger, double from, double to)
      : merger_(merger), from_(from), to_(to) {}
  void onProgress(double, std::string_view, double fraction) override {
    merger_.update(from_ + (to_ - from_) * fraction);
  }

 private:
  ProgressMerger& merger_;
  double from_, to_;
};

}  // namespace

Status Session::Impl::analyseDriverCached(ProgressMerger& progress, const StopToken* stop) {
  const std::string& path = request.driverVideoPath;
  if (path.empty()) {
    driver.reset();
    return Status::ok();
  }
  const bool enough =
      driver && (driver->complete || driver->frames.size() >= size_t(info.frameCount));
  if (!driver || driver->path != path || driver->fps != double(request.options.fps) || !enough) {
    DriverTrackOptions options;
    options.fps = request.options.fps;
    options.maxFrames = info.frameCount;  // a longer driver is trimmed: never track what is cut
    auto track = std::make_shared<DriverTrack>();
    AnalyseShare share(progress, 0.8, 0.95);
    if (Status s = trackDriverVideo(*engine, path, options, track.get(), &share, stop); !s) {
      return s;
    }
    driver = std::move(track);
  }
  driverReference = request.options.driverReference == DriverReference::Best
                        ? bestDriverFrame(*driver, info.face.landmarks68)
                        : driver->firstFaceFrame;
  for (const auto& n : driver->notes) info.notes.push_back(n);
  info.notes.push_back("driver: frame " + std::to_string(driverReference) +
                       " matches the photo's pose (driverReference " +
                       toString(request.options.driverReference) + ")");
  if (driver->frames.size() < size_t(info.frameCount)) {
    info.notes.push_back("driver: " + std::to_string(driver->frames.size()) + " frames for " +
                         std::to_string(info.frameCount) + " output frames, driverLoop " +
                         toString(request.options.driverLoop));
  }
  return Status::ok();
}

Status Session::Impl::buildChain() {
  detail::StageSetup setup;
  setup.engine = engine.get();
  setup.options = request.options;
  setup.baseFrame = baseFrame;
  setup.face = detail::mapFaceToFrame(info.face, geometry);
  setup.driver = driver;
  setup.driverReference = driverReference;
  detail::MotionInputs& in = setup.motion;
  in.visemes = speech.visemes;
  in.loudness = speech.envelope;
  for (const TimeSpan& t : speech.activity.silences) in.silences.push_back({t.startSec, t.endSec});
  in.fps = info.fps;
  in.frameCount = info.frameCount;
  in.loudness.resize(size_t(info.frameCount), in.loudness.empty() ? 0.0f : in.loudness.back());
  setup.mel = [this](detail::MelSpectrogram* out) {
    if (mel.frames == 0) {
      if (Status s = detail::computeWav2LipMel(audio, &mel); !s) return s;
    }
    *out = mel;
    return Status::ok();
  };
  if (info.motionBackend == "builtin" || info.lipSyncBackend == "builtin") {
    if (!setup.face.found) {
      return Status::error(ErrorCode::NoFaceDetected, request.imagePath,
                           "the built-in talking head needs a face");
    }
    if (Status s = detail::makeBuiltinWarp(baseFrame, setup.face, &setup.sharedWarp); !s) {
      return Status::error(s.code(), request.imagePath, s.detail());
    }
  }
  std::vector<std::pair<BackendRole, std::string>> roles = {
      {BackendRole::Motion, info.motionBackend}, {BackendRole::Mouth, info.lipSyncBackend}};
  if (info.enhancer != "none") roles.push_back({BackendRole::Enhance, info.enhancer});
  std::vector<std::unique_ptr<detail::Stage>> stages;
  for (const auto& [role, id] : roles) {
    const detail::StageFactory make = detail::stageFactory(role, id);
    if (!make) {
      return Status::error(ErrorCode::InvalidArgument, backendRoleOption(role),
                           id + " (" + toString(role) + ") is not implemented in this build");
    }
    std::unique_ptr<detail::Stage> stage;
    if (Status s = make(setup, &stage); !s) return s;
    stages.push_back(std::move(stage));
  }
  chain = std::make_unique<detail::RenderChain>(std::move(stages), info.frameCount);
  return Status::ok();
}

}  // namespace avatar
