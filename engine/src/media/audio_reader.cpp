#include "media/audio_reader.h"
#include "media/ffmpeg_input.h"
#include "media/ffmpeg_log.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "avatar/log.h"

extern "C" {
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
}

namespace avatar::detail {
namespace {

std::string secondsText(double sec) {
  char buf[64];
  if (sec >= 3600 && std::fmod(sec, 3600) == 0) {
    std::snprintf(buf, sizeof buf, "%.0f s (%.0f h)", sec, sec / 3600);
  } else {
    std::snprintf(buf, sizeof buf, "%.0f s", sec);
  }
  return buf;
}

// Replaces NaN and +-Inf by silence; returns how many there were. The AAC
// encoder and the analysis both fail on them, and they carry no sound.
int64_t zeroNonFinite(float* data, size_t n) {
  int64_t bad = 0;
  for (size_t i = 0; i < n; ++i) {
    if (!std::isfinite(data[i])) {
      data[i] = 0.0f;
      ++bad;
    }
  }
  return bad;
}

}  // namespace

Status AudioReader::open(const std::string& path, int outRate, int outChannels,
                         double maxDurationSec) {
  installFfmpegLogBridge();
  path_ = path;
  maxDurationSec_ = maxDurationSec;
  DecoderInput input;
  if (Status s = openDecoderInput(path, AVMEDIA_TYPE_AUDIO, "an audio or video file",
                                  ErrorCode::NoAudioStream, 1, &input);
      !s)
    return s;
  fmt_ = std::move(input.fmt);
  dec_ = std::move(input.dec);
  stream_ = input.stream;
  AVStream* st = fmt_->streams[stream_];
  if (dec_->sample_rate <= 0 || dec_->ch_layout.nb_channels <= 0) {
    return Status::error(ErrorCode::UnsupportedMedia, path,
                         "audio stream has no valid sample rate or channel count");
  }
  if (dec_->sample_rate < kMinAudioSampleRate || dec_->sample_rate > kMaxAudioSampleRate) {
    return Status::error(ErrorCode::UnsupportedMedia, path,
                         "audio sample rate " + std::to_string(dec_->sample_rate) +
                             " Hz is outside " + std::to_string(kMinAudioSampleRate) + ".." +
                             std::to_string(kMaxAudioSampleRate) + " Hz: not speech audio");
  }
  if (dec_->ch_layout.nb_channels > kMaxAudioChannels) {
    return Status::error(ErrorCode::UnsupportedMedia, path,
                         "audio has " + std::to_string(dec_->ch_layout.nb_channels) +
                             " channels; at most " + std::to_string(kMaxAudioChannels) +
                             " are supported");
  }
  info_.sampleRate = dec_->sample_rate;
  info_.channels = dec_->ch_layout.nb_channels;
  info_.codec = dec_->codec->name;
  info_.container = fmt_->iformat->name;
  if (st->duration != AV_NOPTS_VALUE) {
    info_.durationSec = double(st->duration) * av_q2d(st->time_base);
  } else if (fmt_->duration != AV_NOPTS_VALUE) {
    info_.durationSec = double(fmt_->duration) / AV_TIME_BASE;
  }

  outRate_ = outRate > 0 ? outRate : dec_->sample_rate;
  outChannels_ = outChannels > 0 ? outChannels : std::min(2, dec_->ch_layout.nb_channels);
  maxFrames_ = int64_t(std::ceil(maxDurationSec * outRate_));
  AVChannelLayout outLayout;
  av_channel_layout_default(&outLayout, outChannels_);
  AVChannelLayout inLayout;
  if (dec_->ch_layout.order == AV_CHANNEL_ORDER_UNSPEC) {
    av_channel_layout_default(&inLayout, dec_->ch_layout.nb_channels);
  } else {
    av_channel_layout_copy(&inLayout, &dec_->ch_layout);
  }
  SwrContext* swr = nullptr;
  int err = swr_alloc_set_opts2(&swr, &outLayout, AV_SAMPLE_FMT_FLT, outRate_, &inLayout,
                                dec_->sample_fmt, dec_->sample_rate, 0, nullptr);
  av_channel_layout_uninit(&inLayout);
  av_channel_layout_uninit(&outLayout);
  if (err < 0 || !swr) {
    return Status::error(ErrorCode::UnsupportedMedia, path, "cannot convert this audio format");
  }
  swr_.reset(swr);
  if ((err = swr_init(swr_.get())) < 0) {
    return Status::error(ErrorCode::UnsupportedMedia, path,
                         "cannot convert this audio format (" + avErrorText(err) + ")");
  }
  fifo_.reset(av_audio_fifo_alloc(AV_SAMPLE_FMT_FLT, outChannels_, 4096));
  pkt_.reset(av_packet_alloc());
  frame_.reset(av_frame_alloc());
  if (!fifo_ || !pkt_ || !frame_) {
    return Status::error(ErrorCode::OutOfMemory, path, "cannot allocate audio buffers");
  }
  return Status::ok();
}

Status AudioReader::convert(const AVFrame* in) {
  const int maxOut = swr_get_out_samples(swr_.get(), in ? in->nb_samples : 0);
  if (maxOut <= 0) return Status::ok();
  std::vector<float> buf(size_t(maxOut) * outChannels_);
  uint8_t* outPlanes[1] = {reinterpret_cast<uint8_t*>(buf.data())};
  const int n = swr_convert(swr_.get(), outPlanes, maxOut,
                            in ? const_cast<const uint8_t**>(in->extended_data) : nullptr,
                            in ? in->nb_samples : 0);
  if (n < 0) {
    return Status::error(ErrorCode::UnsupportedMedia, path_,
                         "audio conversion failed (" + avErrorText(n) + ")");
  }
  if (int64_t bad = zeroNonFinite(buf.data(), size_t(n) * outChannels_); bad > 0) {
    if (nonFinite_ == 0) {
      log(LogLevel::Warning, path_ +
                                 ": audio holds NaN or infinite samples; they are played as "
                                 "silence");
    }
    nonFinite_ += bad;
  }
  void* planes[1] = {buf.data()};
  if (n > 0 && av_audio_fifo_write(fifo_.get(), planes, n) < n) {
    return Status::error(ErrorCode::OutOfMemory, path_, "cannot grow the audio buffer");
  }
  return Status::ok();
}

Status AudioReader::fill(int wanted) {
  while (av_audio_fifo_size(fifo_.get()) < wanted && !flushed_) {
    // Drain frames the decoder already has.
    int r = avcodec_receive_frame(dec_.get(), frame_.get());
    if (r == 0) {
      Status s = convert(frame_.get());
      av_frame_unref(frame_.get());
      if (!s) return s;
      continue;
    }
    if (r == AVERROR_EOF) {
      if (Status s = convert(nullptr); !s) return s;  // resampler tail
      flushed_ = true;
      break;
    }
    if (r != AVERROR(EAGAIN) && ++badPackets_ > 1000) {
      return Status::error(ErrorCode::UnsupportedMedia, path_,
                           "audio data is corrupt (" + avErrorText(r) + ")");
    }
    if (eof_) {
      avcodec_send_packet(dec_.get(), nullptr);
      continue;
    }
    r = av_read_frame(fmt_.get(), pkt_.get());
    if (r == AVERROR_EOF || r == AVERROR(EIO) || (r < 0 && avio_feof(fmt_->pb))) {
      eof_ = true;
      avcodec_send_packet(dec_.get(), nullptr);
      continue;
    }
    if (r < 0) {
      ++badPackets_;
      if (badPackets_ > 1000) {
        return Status::error(ErrorCode::UnsupportedMedia, path_,
                             "audio data is corrupt (" + avErrorText(r) + ")");
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

Status AudioReader::read(int maxFrames, std::vector<float>* out, int* got) {
  *got = 0;
  if (Status s = fill(maxFrames); !s) return s;
  const int n = std::min(maxFrames, av_audio_fifo_size(fifo_.get()));
  if (n <= 0) {
    if (framesRead_ == 0) {
      if (badPackets_ > 0) {
        return Status::error(ErrorCode::UnsupportedMedia, path_,
                             "audio data is corrupt: no frame could be decoded");
      }
      return Status::error(ErrorCode::AudioEmpty, path_, "audio stream contains no samples");
    }
    return Status::ok();
  }
  if (framesRead_ + n > maxFrames_) {
    return Status::error(
        ErrorCode::InputTooLong, path_,
        "audio is longer than the limit of " + secondsText(maxDurationSec_) + " (maxAudioSec)");
  }
  const size_t base = out->size();
  out->resize(base + size_t(n) * outChannels_);
  void* planes[1] = {out->data() + base};
  av_audio_fifo_read(fifo_.get(), planes, n);
  framesRead_ += n;
  *got = n;
  return Status::ok();
}

}  // namespace avatar::detail
