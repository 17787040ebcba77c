// Opening the video and audio encoders of VideoWriter, and the audio pump.
#include <algorithm>

#include "avatar/log.h"
#include "media/video_writer_state.h"

extern "C" {
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
}

namespace avatar::detail {
namespace {

CodecContextPtr tryOpenVideoEncoder(const char* name, const VideoWriterConfig& cfg,
                                    bool globalHeader, std::string* error) {
  const AVCodec* codec = avcodec_find_encoder_by_name(name);
  if (!codec) {
    *error = std::string(name) + " is not available in this FFmpeg build";
    return nullptr;
  }
  CodecContextPtr c(avcodec_alloc_context3(codec));
  c->width = cfg.width;
  c->height = cfg.height;
  c->time_base = AVRational{1, cfg.fps};
  c->framerate = AVRational{cfg.fps, 1};
  c->pix_fmt = AV_PIX_FMT_YUV420P;
  c->thread_count = cfg.encoderThreads;
  c->colorspace = AVCOL_SPC_BT709;
  c->color_primaries = AVCOL_PRI_BT709;
  c->color_trc = AVCOL_TRC_BT709;
  c->color_range = AVCOL_RANGE_MPEG;
  if (globalHeader) c->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  AVDictionary* opts = nullptr;
  if (std::string(name) == "libx264") {
    av_dict_set(&opts, "preset", cfg.preset.c_str(), 0);
    av_dict_set_int(&opts, "crf", cfg.crf, 0);
  } else {
    av_dict_set(&opts, "preset", "p4", 0);
    av_dict_set(&opts, "rc", "vbr", 0);
    av_dict_set_int(&opts, "cq", std::max(1, cfg.crf), 0);
    c->bit_rate = 0;
  }
  const int r = avcodec_open2(c.get(), codec, &opts);
  av_dict_free(&opts);
  if (r < 0) {
    *error = std::string(name) + " could not be opened (" + avErrorText(r) + ")";
    return nullptr;
  }
  return c;
}

bool aacSupportsRate(int rate) {
  static const int kRates[] = {96000, 88200, 64000, 48000, 44100, 32000,
                               24000, 22050, 16000, 12000, 11025, 8000};
  return std::find(std::begin(kRates), std::end(kRates), rate) != std::end(kRates);
}

}  // namespace

Status VideoWriter::State::openVideo() {
  const bool globalHeader = oc->oformat->flags & AVFMT_GLOBALHEADER;
  std::string error;
  if (cfg.encoder != VideoEncoder::Libx264) {
    venc = tryOpenVideoEncoder("h264_nvenc", cfg, globalHeader, &error);
    if (!venc) {
      const std::string note = "NVENC unavailable, using libx264: " + error;
      log(cfg.encoder == VideoEncoder::Nvenc ? LogLevel::Warning : LogLevel::Debug, note);
      if (cfg.encoder == VideoEncoder::Nvenc) notes.push_back(note);
    }
  }
  if (!venc) venc = tryOpenVideoEncoder("libx264", cfg, globalHeader, &error);
  if (!venc) return fail(ErrorCode::EncoderFailed, error);
  encoderName = venc->codec->name;

  vstream = avformat_new_stream(oc.get(), nullptr);
  if (!vstream) return fail(ErrorCode::OutOfMemory, "cannot add a video stream");
  vstream->time_base = venc->time_base;
  vstream->avg_frame_rate = venc->framerate;
  avcodec_parameters_from_context(vstream->codecpar, venc.get());

  vframe.reset(av_frame_alloc());
  vframe->format = AV_PIX_FMT_YUV420P;
  vframe->width = cfg.width;
  vframe->height = cfg.height;
  if (av_frame_get_buffer(vframe.get(), 0) < 0) {
    return fail(ErrorCode::OutOfMemory, "cannot allocate a video frame");
  }
  sws.reset(sws_getContext(cfg.width, cfg.height, AV_PIX_FMT_RGB24, cfg.width, cfg.height,
                           AV_PIX_FMT_YUV420P, SWS_BICUBIC, nullptr, nullptr, nullptr));
  if (!sws) return fail(ErrorCode::Internal, "cannot create the colour converter");
  // RGB -> BT.709 limited range, matching the colour tags above.
  const int* coeffs = sws_getCoefficients(SWS_CS_ITU709);
  sws_setColorspaceDetails(sws.get(), coeffs, 1, coeffs, 0, 0, 1 << 16, 1 << 16);
  return Status::ok();
}

Status VideoWriter::State::openAudio() {
  audio = std::make_unique<AudioReader>();
  if (Status s = audio->open(cfg.audioPath, 0, 0, cfg.maxAudioSec); !s) return s;
  if (!aacSupportsRate(audio->sampleRate())) {
    const int channels = audio->channels();
    audio = std::make_unique<AudioReader>();
    if (Status s = audio->open(cfg.audioPath, 48000, channels, cfg.maxAudioSec); !s) return s;
  }
  const AVCodec* codec = avcodec_find_encoder(AV_CODEC_ID_AAC);
  if (!codec) return fail(ErrorCode::EncoderFailed, "no AAC encoder in this FFmpeg build");
  aenc.reset(avcodec_alloc_context3(codec));
  aenc->sample_fmt = AV_SAMPLE_FMT_FLTP;
  aenc->sample_rate = audio->sampleRate();
  av_channel_layout_default(&aenc->ch_layout, audio->channels());
  aenc->bit_rate = int64_t(cfg.audioBitrateKbps) * 1000;
  aenc->time_base = AVRational{1, aenc->sample_rate};
  if (oc->oformat->flags & AVFMT_GLOBALHEADER) aenc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  if (int r = avcodec_open2(aenc.get(), codec, nullptr); r < 0) {
    return fail(ErrorCode::EncoderFailed, "cannot open the AAC encoder (" + avErrorText(r) + ")");
  }
  astream = avformat_new_stream(oc.get(), nullptr);
  if (!astream) return fail(ErrorCode::OutOfMemory, "cannot add an audio stream");
  astream->time_base = aenc->time_base;
  avcodec_parameters_from_context(astream->codecpar, aenc.get());
  aframe.reset(av_frame_alloc());
  aframe->format = AV_SAMPLE_FMT_FLTP;
  aframe->sample_rate = aenc->sample_rate;
  av_channel_layout_copy(&aframe->ch_layout, &aenc->ch_layout);
  aframe->nb_samples = aenc->frame_size > 0 ? aenc->frame_size : 1024;
  if (av_frame_get_buffer(aframe.get(), 0) < 0) {
    return fail(ErrorCode::OutOfMemory, "cannot allocate an audio frame");
  }
  audioDone = false;
  return Status::ok();
}

Status VideoWriter::State::pumpAudio(double untilSec) {
  if (!aenc) return Status::ok();
  const int frameSize = aenc->frame_size > 0 ? aenc->frame_size : 1024;
  const int channels = aenc->ch_layout.nb_channels;
  while (!audioDone && double(nextAudioPts) / aenc->sample_rate < untilSec) {
    interleaved.clear();
    int got = 0;
    if (Status s = audio->read(frameSize, &interleaved, &got); !s) return s;
    if (got == 0) {
      audioDone = true;
      break;
    }
    aframe->nb_samples = frameSize;
    if (av_frame_make_writable(aframe.get()) < 0) {
      return fail(ErrorCode::OutOfMemory, "cannot allocate an audio frame");
    }
    aframe->nb_samples = got;
    for (int c = 0; c < channels; ++c) {
      float* dst = reinterpret_cast<float*>(aframe->data[c]);
      for (int i = 0; i < got; ++i) dst[i] = interleaved[size_t(i) * channels + c];
    }
    aframe->pts = nextAudioPts;
    nextAudioPts += got;
    if (Status s = encode(aenc.get(), astream, aframe.get()); !s) return s;
    if (got < frameSize) {
      audioDone = true;  // only the last frame may be short
      break;
    }
  }
  return Status::ok();
}

}  // namespace avatar::detail
