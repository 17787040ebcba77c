#include "media/video_reader.h"

#include <algorithm>
#include <cmath>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "media/ffmpeg_input.h"
#include "media/ffmpeg_log.h"

extern "C" {
#include <libavutil/display.h>
#include <libavutil/imgutils.h>
}

namespace avatar::detail {
namespace {

constexpr int kMaxDimension = 16384;
constexpr int kMaxBadPackets = 1000;

// Clockwise rotation that makes the picture upright, as the ffmpeg CLI applies it.
int rotationOf(const AVStream* st) {
  const uint8_t* m = av_stream_get_side_data(st, AV_PKT_DATA_DISPLAYMATRIX, nullptr);
  if (!m) return 0;
  const double theta = -av_display_rotation_get(reinterpret_cast<const int32_t*>(m));
  if (!std::isfinite(theta)) return 0;
  int r = int(std::lround(theta / 90.0)) * 90 % 360;
  return r < 0 ? r + 360 : r;
}

}  // namespace

VideoReader::~VideoReader() {
  sws_freeContext(sws_);
}

Status VideoReader::open(const std::string& path, const VideoReadOptions& options) {
  installFfmpegLogBridge();
  path_ = path;
  options_ = options;
  if (!(options.fps > 0 && options.fps <= 1000)) {
    return Status::error(ErrorCode::InvalidArgument, "fps",
                         "must be in (0, 1000], got " + std::to_string(options.fps));
  }
  if (options.maxSide < 0) {
    return Status::error(ErrorCode::InvalidArgument, "maxSide", "must not be negative");
  }
  DecoderInput input;
  if (Status s = openDecoderInput(path, AVMEDIA_TYPE_VIDEO, "a video file",
                                  ErrorCode::UnsupportedMedia, 0, &input);
      !s)
    return s;
  fmt_ = std::move(input.fmt);
  dec_ = std::move(input.dec);
  stream_ = input.stream;
  AVStream* st = fmt_->streams[stream_];
  const int w = dec_->width, h = dec_->height;
  if (w <= 0 || h <= 0 || w > kMaxDimension || h > kMaxDimension) {
    return Status::error(ErrorCode::UnsupportedMedia, path,
                         "video stream has invalid dimensions " + std::to_string(w) + "x" +
                             std::to_string(h) + " (at most " + std::to_string(kMaxDimension) +
                             " a side)");
  }
  info_.codedWidth = w;
  info_.codedHeight = h;
  info_.rotation = rotationOf(st);
  const bool sideways = info_.rotation == 90 || info_.rotation == 270;
  info_.width = sideways ? h : w;
  info_.height = sideways ? w : h;
  info_.codec = dec_->codec->name;
  info_.container = fmt_->iformat->name;
  if (st->avg_frame_rate.num > 0 && st->avg_frame_rate.den > 0)
    info_.fps = av_q2d(st->avg_frame_rate);
  if (st->duration != AV_NOPTS_VALUE && st->duration > 0) {
    info_.durationSec = double(st->duration) * av_q2d(st->time_base);
  } else if (fmt_->duration != AV_NOPTS_VALUE && fmt_->duration > 0) {
    info_.durationSec = double(fmt_->duration) / AV_TIME_BASE;
  }
  double scale = 1;
  const int longSide = std::max(info_.width, info_.height);
  if (options.maxSide > 0 && longSide > options.maxSide) scale = double(options.maxSide) / longSide;
  outW_ = std::max(1, int(std::lround(info_.width * scale)));
  outH_ = std::max(1, int(std::lround(info_.height * scale)));
  pkt_.reset(av_packet_alloc());
  cur_.frame.reset(av_frame_alloc());
  next_.frame.reset(av_frame_alloc());
  if (!pkt_ || !cur_.frame || !next_.frame) {
    return Status::error(ErrorCode::OutOfMemory, path, "cannot allocate video buffers");
  }
  return Status::ok();
}

Status VideoReader::decodeNext(Decoded* into, bool* got) {
  *got = false;
  into->valid = false;
  av_frame_unref(into->frame.get());
  while (!flushed_) {
    int r = avcodec_receive_frame(dec_.get(), into->frame.get());
    if (r == 0) {
      const AVStream* st = fmt_->streams[stream_];
      const double tb = av_q2d(st->time_base);
      const int64_t pts = into->frame->best_effort_timestamp;
      double t = 0;
      if (pts != AV_NOPTS_VALUE) {
        if (decoded_ == 0) firstPts_ = double(pts) * tb;
        t = double(pts) * tb - firstPts_;
      }
      const double prev = decoded_ > 0 ? cur_.t : 0;
      if (pts == AV_NOPTS_VALUE && decoded_ > 0) {
        t = prev + (lastGap_ > 0 ? lastGap_ : 1.0 / (info_.fps > 0 ? info_.fps : options_.fps));
      }
      if (decoded_ > 0) {
        t = std::max(t, prev);  // never back in time (hostile or broken timestamps)
        if (t > prev) lastGap_ = t - prev;
      }
#if LIBAVUTIL_VERSION_INT >= AV_VERSION_INT(57, 30, 100)
      const int64_t d = into->frame->duration;
#else
      const int64_t d = into->frame->pkt_duration;
#endif
      into->duration = d > 0          ? double(d) * tb
                       : lastGap_ > 0 ? lastGap_
                                      : 1.0 / (info_.fps > 0 ? info_.fps : options_.fps);
      into->t = t;
      into->valid = true;
      ++decoded_;
      *got = true;
      return Status::ok();
    }
    if (r == AVERROR_EOF) {
      flushed_ = true;
      break;
    }
    if (r != AVERROR(EAGAIN) && ++badPackets_ > kMaxBadPackets) {
      return Status::error(ErrorCode::UnsupportedMedia, path_,
                           "video data is corrupt (" + avErrorText(r) + ")");
    }
    if (eof_) {
      avcodec_send_packet(dec_.get(), nullptr);
      continue;
    }
    r = av_read_frame(fmt_.get(), pkt_.get());
    if (r == AVERROR_EOF || r == AVERROR(EIO) || (r < 0 && fmt_->pb && avio_feof(fmt_->pb))) {
      eof_ = true;
      avcodec_send_packet(dec_.get(), nullptr);
      continue;
    }
    if (r < 0) {
      if (++badPackets_ > kMaxBadPackets) {
        return Status::error(ErrorCode::UnsupportedMedia, path_,
                             "video data is corrupt (" + avErrorText(r) + ")");
      }
      continue;
    }
    if (pkt_->stream_index == stream_) {
      r = avcodec_send_packet(dec_.get(), pkt_.get());
      if (r < 0 && r != AVERROR(EAGAIN)) ++badPackets_;
    }
    av_packet_unref(pkt_.get());
  }
  return Status::ok();
}

Status VideoReader::convert(const AVFrame* f) {
  if (f->width <= 0 || f->height <= 0 || f->width > kMaxDimension || f->height > kMaxDimension) {
    return Status::error(ErrorCode::UnsupportedMedia, path_,
                         "a video frame has invalid dimensions");
  }
  // Scale in the stored orientation, then rotate upright.
  const bool sideways = info_.rotation == 90 || info_.rotation == 270;
  const int sw = sideways ? outH_ : outW_, sh = sideways ? outW_ : outH_;
  sws_ = sws_getCachedContext(sws_, f->width, f->height, AVPixelFormat(f->format), sw, sh,
                              AV_PIX_FMT_RGB24, SWS_BICUBIC | SWS_ACCURATE_RND, nullptr, nullptr,
                              nullptr);
  if (!sws_) {
    return Status::error(ErrorCode::UnsupportedMedia, path_,
                         std::string("cannot convert video frames of pixel format ") +
                             (av_get_pix_fmt_name(AVPixelFormat(f->format))
                                  ? av_get_pix_fmt_name(AVPixelFormat(f->format))
                                  : "unknown"));
  }
  cv::Mat scaled(sh, sw, CV_8UC3);
  uint8_t* dst[4] = {scaled.data, nullptr, nullptr, nullptr};
  int dstStride[4] = {int(scaled.step), 0, 0, 0};
  sws_scale(sws_, f->data, f->linesize, 0, f->height, dst, dstStride);
  switch (info_.rotation) {
    case 90:
      cv::rotate(scaled, rgb_, cv::ROTATE_90_CLOCKWISE);
      break;
    case 180:
      cv::rotate(scaled, rgb_, cv::ROTATE_180);
      break;
    case 270:
      cv::rotate(scaled, rgb_, cv::ROTATE_90_COUNTERCLOCKWISE);
      break;
    default:
      rgb_ = scaled;
  }
  return Status::ok();
}

Status VideoReader::read(cv::Mat* rgb, bool* got) {
  *got = false;
  if (!fmt_) return Status::error(ErrorCode::Internal, path_, "video reader is not open");
  if (!started_) {
    started_ = true;
    bool have = false;
    if (Status s = decodeNext(&cur_, &have); !s) return s;
    if (!have) {
      return Status::error(ErrorCode::UnsupportedMedia, path_,
                           badPackets_ > 0 ? "video data is corrupt: no frame could be decoded"
                                           : "video stream contains no frames");
    }
    curConverted_ = false;
    if (Status s = decodeNext(&next_, &have); !s) return s;
  }
  // Timestamps are rounded to the container's time base (milliseconds in
  // Matroska): a frame due within a microsecond of the target counts as due.
  const double target = (double(framesOut_) + 0.5) / options_.fps;
  while (next_.valid && next_.t <= target + 1e-6) {
    std::swap(cur_, next_);
    curConverted_ = false;
    bool have = false;
    if (Status s = decodeNext(&next_, &have); !s) return s;
  }
  if (!next_.valid && framesOut_ > 0 && target >= cur_.t + cur_.duration) return Status::ok();
  if (!curConverted_) {
    if (Status s = convert(cur_.frame.get()); !s) return s;
    curConverted_ = true;
  }
  rgb_.copyTo(*rgb);
  ++framesOut_;
  *got = true;
  return Status::ok();
}

}  // namespace avatar::detail
