// Pull-based audio decoding: opens the best audio stream of any file FFmpeg
// reads and hands out interleaved float samples at a chosen rate and channel
// count. Memory stays bounded: a small FIFO, never the whole track, and
// buffers sized from what was decoded, never from what the header claims.
#pragma once

#include <string>
#include <vector>

#include "avatar/media.h"
#include "avatar/status.h"
#include "media/ffmpeg_util.h"

namespace avatar::detail {

class AudioReader {
 public:
  AudioReader() = default;
  AudioReader(const AudioReader&) = delete;
  AudioReader& operator=(const AudioReader&) = delete;

  // outRate 0 / outChannels 0 keep the source's (channels capped at 2).
  // Reading more than maxDurationSec of audio fails with InputTooLong.
  Status open(const std::string& path, int outRate, int outChannels,
              double maxDurationSec = kDefaultMaxAudioSec);

  int sampleRate() const { return outRate_; }
  int channels() const { return outChannels_; }
  // Source facts; durationSec is the container's estimate until the end.
  const AudioInfo& info() const { return info_; }

  // Appends up to `maxFrames` sample frames (interleaved) to *out; *got = 0 at
  // the end of the stream. Corrupt packets are skipped, as players do; a
  // stream in which nothing decodes is an error. NaN/Inf samples come out as
  // silence (counted in nonFiniteSamples(), warned about once).
  Status read(int maxFrames, std::vector<float>* out, int* got);

  int64_t framesRead() const { return framesRead_; }
  int64_t nonFiniteSamples() const { return nonFinite_; }

 private:
  Status fill(int wanted);
  Status convert(const AVFrame* in);

  std::string path_;
  InputFormatPtr fmt_;
  CodecContextPtr dec_;
  SwrPtr swr_;
  AudioFifoPtr fifo_;
  PacketPtr pkt_;
  FramePtr frame_;
  int stream_ = -1;
  int outRate_ = 0;
  int outChannels_ = 0;
  bool eof_ = false;
  bool flushed_ = false;
  int badPackets_ = 0;
  int64_t framesRead_ = 0;
  int64_t maxFrames_ = 0;
  double maxDurationSec_ = 0;
  int64_t nonFinite_ = 0;
  AudioInfo info_;
};

}  // namespace avatar::detail
