// Session internals shared by the session's source files.
#pragma once

#include <memory>

#include <opencv2/core.hpp>

#include "audio/mel.h"
#include "avatar/driver.h"
#include "avatar/session.h"
#include "avatar/visemes.h"
#include "pipeline/output_geometry.h"
#include "pipeline/render_chain.h"

namespace avatar {

struct Session::Impl {
  std::shared_ptr<const Engine> engine;
  RenderRequest request;
  SessionInfo info;
  Image source;        // RGB photo, orientation applied
  AudioSamples audio;  // 16 kHz mono analysis track
  detail::OutputGeometry geometry;
  cv::Mat baseFrame;                           // the photo placed in the output frame
  std::unique_ptr<detail::RenderChain> chain;  // motion -> mouth -> enhance

  // Analysis cached across setOptions(): redone only when its inputs change.
  int analysedFaceIndex = -2;  // faceIndex info.face was found with
  Status faceStatus;
  SpeechAnalysis speech;  // envelope is per frame at speechFps
  int speechFps = 0;
  VisemeMethod speechMethod = VisemeMethod::Spectral;
  std::string speechTranscript;               // the transcript `speech` was analysed with
  detail::MelSpectrogram mel;                 // Wav2Lip's mel, computed on first use
  std::shared_ptr<const DriverTrack> driver;  // the tracked driver video, null without one
  int driverReference = 0;                    // its frame that matches the photo
  std::string stage;  // what runs now ("decode", "analyse", ...), for errors

  // Decodes the inputs (stage "decode").
  Status decodeInputs(ProgressMerger& progress, const StopToken* stop);
  // Everything that depends on options: geometry, backends, renderer (stage "analyse").
  Status prepare(ProgressMerger& progress, const StopToken* stop);
  // Face and speech analysis, reusing what is cached.
  Status analyseFaceCached();
  Status analyseSpeechCached();
  // Tracks the driver video (at the output fps), reusing the last track.
  Status analyseDriverCached(ProgressMerger& progress, const StopToken* stop);
  // Builds the chain from the chosen backends' factories.
  Status buildChain();
};

namespace detail {

constexpr int kAnalysisSampleRate = 16000;

// Stages of a whole job and their weights.
std::vector<ProgressStage> jobStages();

// Session::open with an external progress scale (used by renderVideo()).
Status openSession(std::shared_ptr<const Engine> engine, const RenderRequest& request,
                   ProgressMerger& progress, const StopToken* stop,
                   std::unique_ptr<Session::Impl>* out);

}  // namespace detail
}  // namespace avatar
