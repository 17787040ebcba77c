// Opening a media file for decoding one stream: the part the audio and the
// video reader share (container, best stream, decoder), with clear errors.
#pragma once

#include <string>

#include "avatar/status.h"
#include "media/ffmpeg_util.h"

namespace avatar::detail {

struct DecoderInput {
  InputFormatPtr fmt;
  CodecContextPtr dec;
  int stream = -1;  // index in fmt->streams; every other stream is discarded
};

// Opens `path`, picks the best stream of `type` (never cover art), discards
// the others and opens its decoder with `threads` (0 = FFmpeg picks).
// `fileKind` words the error for a file FFmpeg cannot open ("an audio or video
// file"); a file without such a stream fails with `noStreamCode`.
Status openDecoderInput(const std::string& path, AVMediaType type, const std::string& fileKind,
                        ErrorCode noStreamCode, int threads, DecoderInput* out);

// "audio aac, video h264 (cover art)": the streams of a file, for messages.
std::string streamSummary(const AVFormatContext* fmt);

}  // namespace avatar::detail
