#include "media/ffmpeg_input.h"

namespace avatar::detail {

std::string streamSummary(const AVFormatContext* fmt) {
  std::string s;
  for (unsigned i = 0; i < fmt->nb_streams; ++i) {
    const AVCodecParameters* p = fmt->streams[i]->codecpar;
    if (!s.empty()) s += ", ";
    const char* type = av_get_media_type_string(p->codec_type);
    s += type ? type : "data";
    s += " ";
    s += avcodec_get_name(p->codec_id);
    if (fmt->streams[i]->disposition & AV_DISPOSITION_ATTACHED_PIC) s += " (cover art)";
  }
  return s.empty() ? "none" : s;
}

Status openDecoderInput(const std::string& path, AVMediaType type, const std::string& fileKind,
                        ErrorCode noStreamCode, int threads, DecoderInput* out) {
  const std::string kind = av_get_media_type_string(type);
  AVFormatContext* raw = nullptr;
  if (int err = avformat_open_input(&raw, path.c_str(), nullptr, nullptr); err < 0) {
    return Status::error(ErrorCode::UnsupportedMedia, path,
                         "not " + fileKind + " that can be decoded (" + avErrorText(err) + ")");
  }
  out->fmt.reset(raw);
  AVFormatContext* fmt = out->fmt.get();
  if (int err = avformat_find_stream_info(fmt, nullptr); err < 0) {
    return Status::error(ErrorCode::UnsupportedMedia, path,
                         "cannot read stream information (" + avErrorText(err) + ")");
  }
  const AVCodec* codec = nullptr;
  int stream = av_find_best_stream(fmt, type, -1, -1, &codec, 0);
  if (stream >= 0 && (fmt->streams[stream]->disposition & AV_DISPOSITION_ATTACHED_PIC))
    stream = AVERROR_STREAM_NOT_FOUND;
  if (stream == AVERROR_STREAM_NOT_FOUND) {
    return Status::error(noStreamCode, path,
                         "contains no " + kind + " stream (streams: " + streamSummary(fmt) + ")");
  }
  if (stream < 0 || !codec) {
    return Status::error(ErrorCode::UnsupportedMedia, path,
                         "no decoder for its " + kind + " stream");
  }
  for (unsigned i = 0; i < fmt->nb_streams; ++i) {
    if (int(i) != stream) fmt->streams[i]->discard = AVDISCARD_ALL;
  }
  out->stream = stream;
  out->dec.reset(avcodec_alloc_context3(codec));
  if (!out->dec ||
      avcodec_parameters_to_context(out->dec.get(), fmt->streams[stream]->codecpar) < 0) {
    return Status::error(ErrorCode::OutOfMemory, path,
                         "cannot allocate " +
                             std::string(type == AVMEDIA_TYPE_AUDIO ? "an " : "a ") + kind +
                             " decoder");
  }
  out->dec->thread_count = threads;
  if (int err = avcodec_open2(out->dec.get(), codec, nullptr); err < 0) {
    return Status::error(ErrorCode::UnsupportedMedia, path,
                         "cannot open the " + kind + " decoder (" + avErrorText(err) + ")");
  }
  return Status::ok();
}

}  // namespace avatar::detail
