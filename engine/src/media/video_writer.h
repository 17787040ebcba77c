// Streams RGB frames into an H.264 video (libx264, or h264_nvenc when asked
// for and usable) and muxes the speech as AAC, re-decoded from its file as the
// video advances, so memory does not grow with duration.
//
// Output goes to <out>.part and is renamed to <out> by finish(); abort() and
// the destructor of an unfinished writer remove the partial file.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "avatar/media.h"
#include "avatar/options.h"
#include "avatar/status.h"

namespace avatar::detail {

struct VideoWriterConfig {
  std::string outputPath;  // final path; .mp4/.m4v/.mov get faststart
  int width = 0;           // even, >= 16
  int height = 0;
  int fps = 25;
  VideoEncoder encoder = VideoEncoder::Auto;
  int crf = 20;
  std::string preset = "medium";
  int encoderThreads = 0;                    // 0 = encoder default (all cores)
  std::string audioPath;                     // speech to mux; empty = silent video
  double maxAudioSec = kDefaultMaxAudioSec;  // longer audio fails (InputTooLong)
  int audioBitrateKbps = 160;
};

class VideoWriter {
 public:
  VideoWriter();
  ~VideoWriter();
  VideoWriter(const VideoWriter&) = delete;
  VideoWriter& operator=(const VideoWriter&) = delete;

  Status open(const VideoWriterConfig& config);
  // One RGB24 frame of the configured size; rows `strideBytes` apart.
  Status writeFrame(const uint8_t* rgb, int strideBytes);
  // Writes the rest of the audio, flushes, finalises and renames.
  Status finish();
  // Stops and removes the partial file. Safe to call more than once.
  void abort();

  const std::string& videoEncoderName() const;
  const std::vector<std::string>& notes() const;  // e.g. NVENC fallback
  int framesWritten() const;

  struct State;

 private:
  std::unique_ptr<State> s_;
};

}  // namespace avatar::detail
