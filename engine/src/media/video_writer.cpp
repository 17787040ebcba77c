#include "media/video_writer.h"
#include "media/ffmpeg_log.h"

#include <filesystem>

#include "avatar/log.h"
#include "media/input_checks.h"
#include "media/video_writer_state.h"

extern "C" {
#include <libavutil/opt.h>
}

namespace avatar::detail {
namespace {

const char* muxerFor(const std::string& path) {
  const std::string ext = std::filesystem::path(path).extension().string();
  if (ext == ".mkv" || ext == ".MKV") return "matroska";
  if (ext == ".mov" || ext == ".MOV") return "mov";
  return "mp4";
}

}  // namespace

VideoWriter::VideoWriter() : s_(std::make_unique<State>()) {}

VideoWriter::~VideoWriter() {
  if (!s_->finished) abort();
}

const std::string& VideoWriter::videoEncoderName() const {
  return s_->encoderName;
}
const std::vector<std::string>& VideoWriter::notes() const {
  return s_->notes;
}
int VideoWriter::framesWritten() const {
  return int(s_->nextVideoPts);
}

Status VideoWriter::State::encode(AVCodecContext* enc, AVStream* st, AVFrame* frame) {
  int r = avcodec_send_frame(enc, frame);
  if (r < 0 && r != AVERROR_EOF) {
    return fail(ErrorCode::EncoderFailed,
                std::string(enc->codec->name) + " rejected a frame (" + avErrorText(r) + ")");
  }
  for (;;) {
    r = avcodec_receive_packet(enc, pkt.get());
    if (r == AVERROR(EAGAIN) || r == AVERROR_EOF) return Status::ok();
    if (r < 0) {
      return fail(ErrorCode::EncoderFailed,
                  std::string(enc->codec->name) + " failed (" + avErrorText(r) + ")");
    }
    av_packet_rescale_ts(pkt.get(), enc->time_base, st->time_base);
    pkt->stream_index = st->index;
    r = av_interleaved_write_frame(oc.get(), pkt.get());
    if (r < 0) {
      return fail(ErrorCode::EncoderFailed,
                  "writing " + partPath + " failed (" + avErrorText(r) + ")");
    }
  }
}

Status VideoWriter::open(const VideoWriterConfig& config) {
  installFfmpegLogBridge();
  State& s = *s_;
  s.cfg = config;
  if (config.width < 16 || config.height < 16 || config.width % 2 || config.height % 2) {
    return Status::error(ErrorCode::InvalidArgument, "size",
                         "video size must be even and at least 16x16, got " +
                             std::to_string(config.width) + "x" + std::to_string(config.height));
  }
  if (config.fps < 1 || config.fps > 120) {
    return Status::error(ErrorCode::InvalidArgument, "fps", "must be between 1 and 120");
  }
  if (Status st = createPartialFile(config.outputPath, &s.partPath); !st) return st;
  AVFormatContext* raw = nullptr;
  avformat_alloc_output_context2(&raw, nullptr, muxerFor(config.outputPath), s.partPath.c_str());
  if (!raw) return s.fail(ErrorCode::Internal, "cannot create the output container");
  s.oc.reset(raw);
  s.pkt.reset(av_packet_alloc());
  if (Status st = s.openVideo(); !st) return st;
  if (!config.audioPath.empty()) {
    if (Status st = s.openAudio(); !st) return st;
  }
  if (int r = avio_open(&s.oc->pb, s.partPath.c_str(), AVIO_FLAG_WRITE); r < 0) {
    return s.fail(ErrorCode::OutputNotWritable,
                  "cannot create " + s.partPath + " (" + avErrorText(r) + ")");
  }
  AVDictionary* opts = nullptr;
  if (std::string(s.oc->oformat->name) != "matroska")
    av_dict_set(&opts, "movflags", "+faststart", 0);
  const int r = avformat_write_header(s.oc.get(), &opts);
  av_dict_free(&opts);
  if (r < 0) {
    abort();
    return s.fail(ErrorCode::EncoderFailed,
                  "cannot write the container header (" + avErrorText(r) + ")");
  }
  s.headerWritten = true;
  return Status::ok();
}

Status VideoWriter::writeFrame(const uint8_t* rgb, int strideBytes) {
  State& s = *s_;
  if (!s.headerWritten || s.finished) {
    return Status::error(ErrorCode::Internal, "VideoWriter", "writeFrame on a closed writer");
  }
  if (int r = av_frame_make_writable(s.vframe.get()); r < 0) {
    return s.fail(ErrorCode::OutOfMemory, "cannot allocate a video frame");
  }
  const uint8_t* src[1] = {rgb};
  const int srcStride[1] = {strideBytes};
  sws_scale(s.sws.get(), src, srcStride, 0, s.cfg.height, s.vframe->data, s.vframe->linesize);
  s.vframe->pts = s.nextVideoPts++;
  if (Status st = s.encode(s.venc.get(), s.vstream, s.vframe.get()); !st) {
    abort();
    return st;
  }
  if (Status st = s.pumpAudio(double(s.nextVideoPts) / s.cfg.fps); !st) {
    abort();
    return st;
  }
  return Status::ok();
}

Status VideoWriter::finish() {
  State& s = *s_;
  if (!s.headerWritten || s.finished) {
    return Status::error(ErrorCode::Internal, "VideoWriter", "finish on a closed writer");
  }
  Status st = s.pumpAudio(1e18);
  if (st && s.aenc) st = s.encode(s.aenc.get(), s.astream, nullptr);
  if (st) st = s.encode(s.venc.get(), s.vstream, nullptr);
  if (st) {
    if (int r = av_write_trailer(s.oc.get()); r < 0) {
      st = s.fail(ErrorCode::EncoderFailed,
                  "cannot finalise " + s.partPath + " (" + avErrorText(r) + ")");
    }
  }
  if (st && s.oc->pb) {
    if (int r = avio_closep(&s.oc->pb); r < 0) {
      st = s.fail(ErrorCode::EncoderFailed,
                  "cannot close " + s.partPath + " (" + avErrorText(r) + ")");
    }
  }
  if (!st) {
    abort();
    return st;
  }
  std::error_code ec;
  std::filesystem::rename(s.partPath, s.cfg.outputPath, ec);
  if (ec) {
    abort();
    return s.fail(ErrorCode::OutputNotWritable,
                  "cannot rename " + s.partPath + ": " + ec.message());
  }
  s.finished = true;
  return Status::ok();
}

void VideoWriter::abort() {
  State& s = *s_;
  if (s.finished) return;
  s.finished = true;
  s.oc.reset();  // closes the file
  if (!s.partPath.empty()) {
    std::error_code ec;
    std::filesystem::remove(s.partPath, ec);
  }
}

}  // namespace avatar::detail
