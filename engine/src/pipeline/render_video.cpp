// Session::renderVideo and the one-call renderVideo().
#include <chrono>

#include "avatar/log.h"
#include "media/input_checks.h"
#include "media/video_writer.h"
#include "pipeline/api_guard.h"
#include "pipeline/frame_pipeline.h"
#include "pipeline/session_impl.h"

namespace avatar {
namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

Status renderAll(Session::Impl& impl, ProgressMerger& progress, const StopToken* stop,
                 RenderResult* result) {
  const RenderRequest& req = impl.request;
  if (Status s = checkRenderOutput(req); !s) return s;
  progress.begin("render");
  const auto t0 = Clock::now();
  detail::VideoWriterConfig cfg;
  cfg.outputPath = req.outputPath;
  cfg.width = impl.info.width;
  cfg.height = impl.info.height;
  cfg.fps = impl.info.fps;
  cfg.encoder = req.options.encoder;
  cfg.crf = req.options.crf;
  cfg.preset = req.options.preset;
  cfg.audioPath = req.audioPath;
  cfg.maxAudioSec = impl.engine->config().maxAudioSec;
  cfg.audioBitrateKbps = req.options.audioBitrateKbps;
  detail::VideoWriter writer;
  if (Status s = writer.open(cfg); !s) return s;

  const int n = impl.info.frameCount;
  detail::FramePipeline frames(*impl.chain, n, stop);
  cv::Mat frame;
  for (int i = 0; i < n; ++i) {
    if (stop && stop->stopRequested()) {
      writer.abort();
      return Status::error(ErrorCode::Cancelled, req.outputPath,
                           "render cancelled; partial output removed");
    }
    if (!frames.next(frame)) {
      writer.abort();
      if (stop && stop->stopRequested()) {
        return Status::error(ErrorCode::Cancelled, req.outputPath,
                             "render cancelled; partial output removed");
      }
      Status s = frames.status();
      return s ? Status::error(ErrorCode::Internal, "renderer", "stopped before the last frame")
               : s;
    }
    if (Status s = writer.writeFrame(frame.data, int(frame.step)); !s) return s;
    progress.update(double(i + 1) / n);
  }
  if (Status s = writer.finish(); !s) return s;
  if (result) {
    result->outputPath = req.outputPath;
    result->frameCount = n;
    result->durationSec = double(n) / impl.info.fps;
    result->videoEncoder = writer.videoEncoderName();
    result->renderSec = secondsSince(t0);
    result->notes = impl.info.notes;
    for (const auto& note : writer.notes()) result->notes.push_back(note);
  }
  return Status::ok();
}

}  // namespace

Status checkRenderOutput(const RenderRequest& r) {
  return detail::checkOutputPath(r.outputPath,
                                 {r.imagePath, r.audioPath, r.driverVideoPath, r.visemeTrackPath});
}

Status Session::renderVideo(RenderResult* result, ProgressSink* progress, const StopToken* stop) {
  ProgressMerger merger(progress, {{"render", 1.0}});
  Status s = detail::guardCall("Session::renderVideo", "render",
                               [&] { return renderAll(*impl_, merger, stop, result); });
  if (s) merger.finish();
  return s;
}

Status renderVideo(std::shared_ptr<const Engine> engine, const RenderRequest& request,
                   RenderResult* result, ProgressSink* progress, const StopToken* stop) {
  // Refuse a bad output path before the analysis, not after it.
  if (Status s = checkRenderOutput(request); !s) return s;
  ProgressMerger merger(progress, detail::jobStages());
  const auto t0 = Clock::now();
  std::unique_ptr<Session::Impl> impl;
  if (Status s = detail::openSession(std::move(engine), request, merger, stop, &impl); !s) return s;
  const double analyseSec = secondsSince(t0);
  if (Status s = detail::guardCall("renderVideo", "render",
                                   [&] { return renderAll(*impl, merger, stop, result); });
      !s) {
    return s;
  }
  if (result) result->analyseSec = analyseSec;
  merger.finish();
  return Status::ok();
}

}  // namespace avatar
