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

Status Session::Impl::buildChain() {
  detail::StageSetup setup;
  setup.engine = engine.get();
  setup.options = request.options;
  setup.baseFrame = baseFrame;
  setup.face = detail::mapFaceToFrame(info.face, geometry);
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
