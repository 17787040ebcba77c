#include <chrono>
#include <cmath>

#include "avatar/log.h"
#include "avatar/options_json.h"
#include "media/image_ops.h"
#include "media/input_checks.h"
#include "pipeline/api_guard.h"
#include "pipeline/backend_choice.h"
#include "pipeline/session_impl.h"

namespace avatar {
namespace detail {

std::vector<ProgressStage> jobStages() {
  return {{"decode", 0.04}, {"analyse", 0.06}, {"render", 0.90}};
}

Status openSession(std::shared_ptr<const Engine> engine, const RenderRequest& request,
                   ProgressMerger& progress, const StopToken* stop,
                   std::unique_ptr<Session::Impl>* out) {
  if (!engine) return Status::error(ErrorCode::InvalidArgument, "engine", "no engine given");
  if (Status s = validateRenderOptions(request.options); !s) return s;
  auto impl = std::make_unique<Session::Impl>();
  Session::Impl& i = *impl;
  Status s = guardCall("Session::open", "", [&] {
    i.engine = std::move(engine);
    i.request = request;
    return Status::ok();
  });
  if (!s) return s;
  s = guardCall("Session::open", i.stage, [&] {
    if (Status d = i.decodeInputs(progress, stop); !d) return d;
    return i.prepare(progress, stop);
  });
  if (!s) {
    if (s.code() != ErrorCode::Cancelled && !i.stage.empty() &&
        s.subject().find(i.stage) == std::string::npos) {
      s.addContext("while " + i.stage);
    }
    return s;
  }
  *out = std::move(impl);
  return Status::ok();
}

}  // namespace detail

Status Session::Impl::decodeInputs(ProgressMerger& progress, const StopToken* stop) {
  stage = "decode";
  progress.begin("decode");
  if (Status s = detail::checkInputFile(request.imagePath, "photo"); !s) return s;
  if (Status s = detail::checkInputFile(request.audioPath, "audio"); !s) return s;
  if (!request.driverVideoPath.empty()) {
    if (Status s = detail::checkInputFile(request.driverVideoPath, "driver video"); !s) return s;
  }
  if (!request.visemeTrackPath.empty()) {
    if (Status s = detail::checkInputFile(request.visemeTrackPath, "viseme track"); !s) return s;
  }
  if (Status s = loadImage(request.imagePath, &source, &info.image, request.options.backgroundRgb);
      !s) {
    return s;
  }
  progress.update(0.3);
  if (stop && stop->stopRequested()) return Status::error(ErrorCode::Cancelled, "job", "cancelled");
  if (Status s = decodeAudio(request.audioPath, detail::kAnalysisSampleRate, &audio, &info.audio,
                             engine->config().maxAudioSec);
      !s) {
    return s;
  }
  info.audioDurationSec = audio.durationSec();
  progress.update(1.0);
  return Status::ok();
}

Status Session::Impl::prepare(ProgressMerger& progress, const StopToken* stop) {
  stage = "analyse";
  progress.begin("analyse");
  const RenderOptions& o = request.options;
  info.notes.clear();
  info.fps = o.fps;
  info.frameCount = std::max(1, int(std::ceil(info.audioDurationSec * o.fps - 1e-6)));

  detail::BackendChoice choice;
  if (Status s = detail::chooseBackends(*engine, request, &choice); !s) return s;
  if (Status s = analyseFaceCached(); !s) return s;
  progress.update(0.5);
  if (stop && stop->stopRequested()) return Status::error(ErrorCode::Cancelled, "job", "cancelled");
  if (Status s = analyseSpeechCached(); !s) return s;
  progress.update(0.8);

  const cv::Point2d focus = info.face.found
                                ? cv::Point2d(info.face.box.x + info.face.box.width / 2,
                                              info.face.box.y + info.face.box.height / 2)
                                : cv::Point2d(source.width / 2.0, source.height / 2.0);
  geometry = detail::computeOutputGeometry(source.width, source.height, o, focus);
  info.width = geometry.width;
  info.height = geometry.height;
  for (const auto& n : geometry.notes) info.notes.push_back(n);
  baseFrame = detail::composeFrame(detail::imageView(source), geometry, o.backgroundRgb);
  for (const auto& n : choice.notes) info.notes.push_back(n);
  for (const auto& n : speech.notes) info.notes.push_back(n);
  if (Status s = analyseDriverCached(progress, stop); !s) return s;
  if (choice.mouth == "diff2lip") {
    info.notes.push_back("diff2lip: " + std::to_string(o.diffusionSteps) + " DDIM steps, seed " +
                         std::to_string(o.seed));
  }
  info.motionBackend = choice.motion;
  info.lipSyncBackend = choice.mouth;
  info.enhancer = choice.enhancer;
  stage = "building the render chain";
  if (Status s = buildChain(); !s) return s;
  stage.clear();
  for (const auto& n : info.notes) log(LogLevel::Debug, n);  // also in RenderResult::notes
  if (stop && stop->stopRequested()) return Status::error(ErrorCode::Cancelled, "job", "cancelled");
  progress.update(1.0);
  return Status::ok();
}

Session::Session(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Session::~Session() = default;

Status Session::open(std::shared_ptr<const Engine> engine, const RenderRequest& request,
                     std::unique_ptr<Session>* out, ProgressSink* progress, const StopToken* stop) {
  ProgressMerger merger(progress, {{"decode", 0.4}, {"analyse", 0.6}});
  std::unique_ptr<Impl> impl;
  if (Status s = detail::openSession(std::move(engine), request, merger, stop, &impl); !s) {
    return s;
  }
  merger.finish();
  out->reset(new Session(std::move(impl)));
  return Status::ok();
}

const SessionInfo& Session::info() const {
  return impl_->info;
}
const RenderRequest& Session::request() const {
  return impl_->request;
}
const Image& Session::sourceImage() const {
  return impl_->source;
}
const AudioSamples& Session::analysisAudio() const {
  return impl_->audio;
}
const VisemeTrack& Session::visemes() const {
  return impl_->speech.visemes;
}
const std::vector<float>& Session::loudness() const {
  return impl_->speech.envelope;
}
const DriverTrack* Session::driverTrack() const {
  return impl_->driver.get();
}
int Session::driverReferenceFrame() const {
  return impl_->driverReference;
}

Status Session::setOptions(const RenderOptions& options) {
  if (Status s = validateRenderOptions(options); !s) return s;
  Impl& impl = *impl_;
  const RenderOptions previous = impl.request.options;
  Status s = detail::guardCall("Session::setOptions", "", [&] {
    impl.request.options = options;
    // Only a photo with alpha (4 channels) is composited over the background:
    // reload it. An opaque photo is unchanged and keeps its face analysis.
    if (options.backgroundRgb != previous.backgroundRgb && impl.info.image.channels == 4) {
      if (Status l = loadImage(impl.request.imagePath, &impl.source, &impl.info.image,
                               options.backgroundRgb);
          !l) {
        return l;
      }
      impl.analysedFaceIndex = -2;
    }
    ProgressMerger merger(nullptr, detail::jobStages());
    return impl.prepare(merger, nullptr);
  });
  if (!s) {
    if (!impl.stage.empty()) s.addContext("while " + impl.stage);
    // Back to the previous options (which worked); keep this error.
    impl.request.options = previous;
    detail::guardCall("Session::setOptions", "restore", [&] {
      ProgressMerger merger(nullptr, detail::jobStages());
      return impl.prepare(merger, nullptr);
    });
    return s;
  }
  return Status::ok();
}

Status Session::renderFrame(int index, Image* out) {
  if (index < 0 || index >= impl_->info.frameCount) {
    return Status::error(
        ErrorCode::InvalidArgument, "frame index",
        std::to_string(index) + " is outside 0.." + std::to_string(impl_->info.frameCount - 1));
  }
  return detail::guardCall("Session::renderFrame", "render", [&] {
    cv::Mat frame;
    if (Status s = impl_->chain->render(index, frame); !s) return s;
    *out = detail::toImage(frame);
    return Status::ok();
  });
}

Status Session::prefetch(int first, int count) {
  if (first < 0 || count < 0 || first >= impl_->info.frameCount) {
    return Status::error(ErrorCode::InvalidArgument, "frame range",
                         std::to_string(first) + " + " + std::to_string(count) + " is outside 0.." +
                             std::to_string(impl_->info.frameCount - 1));
  }
  return detail::guardCall("Session::prefetch", "render",
                           [&] { return impl_->chain->prefetch(first, count); });
}

}  // namespace avatar
