// Pull-based video decoding for driver videos: opens the best video stream of
// any file FFmpeg reads, turns it upright (display-matrix rotation), and hands
// out RGB frames at a fixed output rate, whatever the source's rate (variable
// frame rates included): output frame n shows the source frame on screen at
// (n + 0.5) / fps. Streamed: at most two decoded frames and one converted
// frame are held, so memory does not depend on the video's length.
#pragma once

#include <cstdint>
#include <string>

#include <opencv2/core.hpp>

#include "avatar/status.h"
#include "media/ffmpeg_util.h"

namespace avatar::detail {

struct VideoInfo {
  int codedWidth = 0, codedHeight = 0;  // as stored
  int rotation = 0;                     // clockwise degrees applied to stand upright: 0/90/180/270
  int width = 0, height = 0;            // upright, before any maxSide scaling
  double fps = 0;                       // the container's average rate; 0 when unknown
  double durationSec = 0;               // the container's estimate; 0 when unknown
  std::string codec, container;
};

struct VideoReadOptions {
  double fps = 25;  // output frame rate
  int maxSide = 0;  // scale down (keeping the aspect) so the longer side fits; 0 keeps the size
};

class VideoReader {
 public:
  VideoReader() = default;
  VideoReader(const VideoReader&) = delete;
  VideoReader& operator=(const VideoReader&) = delete;
  ~VideoReader();

  // Errors: UnsupportedMedia naming the file (not a media file, no video
  // stream, no decoder, absurd dimensions); InvalidArgument for options.
  Status open(const std::string& path, const VideoReadOptions& options);

  const VideoInfo& info() const { return info_; }
  int width() const { return outW_; }  // output frames, upright and scaled
  int height() const { return outH_; }

  // The next output frame, CV_8UC3 RGB of width() x height(); *got is false
  // at the end. Corrupt packets are skipped, as players do; a stream in which
  // no frame decodes is an error.
  Status read(cv::Mat* rgb, bool* got);

  int64_t framesRead() const { return framesOut_; }
  int64_t sourceFramesDecoded() const { return decoded_; }

 private:
  struct Decoded;
  Status decodeNext(Decoded* into, bool* got);
  Status convert(const AVFrame* f);

  std::string path_;
  VideoReadOptions options_;
  VideoInfo info_;
  InputFormatPtr fmt_;
  CodecContextPtr dec_;
  SwsContext* sws_ = nullptr;
  PacketPtr pkt_;
  int stream_ = -1;
  int outW_ = 0, outH_ = 0;
  bool eof_ = false, flushed_ = false;
  int badPackets_ = 0;
  int64_t decoded_ = 0, framesOut_ = 0;
  double firstPts_ = 0, lastGap_ = 0;
  bool started_ = false;
  struct Decoded {
    FramePtr frame;
    double t = 0;         // seconds from the first frame
    double duration = 0;  // seconds on screen (packet duration, else the last gap)
    bool valid = false;
  };
  Decoded cur_, next_;
  bool curConverted_ = false;
  cv::Mat rgb_;
};

}  // namespace avatar::detail
