// Session analysis that the renderers need: the face on the photo and the
// speech (loudness, voice activity, visemes), cached across setOptions().
#include "avatar/face.h"
#include "avatar/log.h"
#include "motion/motion_plan.h"
#include "pipeline/session_impl.h"
#include "pipeline/talking_head_renderer.h"
#include "render/face_rig.h"

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
  if (speechFps == fps) return Status::ok();
  SpeechAnalysis analysis;
  if (Status s = analyzeSpeech(audio, fps, VisemeOptions{}, &analysis); !s) return s;
  if (!request.visemeTrackPath.empty()) {
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
  return Status::ok();
}

Status Session::Impl::buildRenderer(const std::string& backend) {
  if (backend != "builtin") {
    renderer = std::make_unique<detail::StillRenderer>(baseFrame);
    return Status::ok();
  }
  std::vector<cv::Point2f> landmarks;
  for (const PointF& p : info.face.landmarks68) {
    landmarks.emplace_back(float(p.x * geometry.scale + geometry.offset.x),
                           float(p.y * geometry.scale + geometry.offset.y));
  }
  detail::FaceRig rig;
  if (!detail::buildFaceRig(landmarks, &rig)) {
    return Status::error(ErrorCode::NoFaceDetected, request.imagePath,
                         "the face's landmarks are degenerate at the output size");
  }
  detail::MotionInputs in;
  in.visemes = speech.visemes;
  in.loudness = speech.envelope;
  for (const TimeSpan& t : speech.activity.silences) in.silences.push_back({t.startSec, t.endSec});
  in.fps = info.fps;
  in.frameCount = info.frameCount;
  in.loudness.resize(size_t(info.frameCount), in.loudness.empty() ? 0.0f : in.loudness.back());
  const RenderOptions& o = request.options;
  detail::MotionSettings ms;
  ms.mouthGain = o.mouthGain;
  ms.smoothingMs = o.smoothingMs;
  ms.motionScale = o.motionScale;
  ms.blinksPerMinute = o.blinksPerMinute;
  ms.still = o.headMotion == HeadMotion::Still;
  ms.seed = o.seed;
  renderer = std::make_unique<detail::TalkingHeadRenderer>(baseFrame, std::move(rig),
                                                           detail::planMotion(in, ms));
  return Status::ok();
}

}  // namespace avatar
