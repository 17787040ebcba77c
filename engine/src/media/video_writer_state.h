// Internal state of VideoWriter, shared by its video and audio halves.
#pragma once

#include "media/audio_reader.h"
#include "media/ffmpeg_util.h"
#include "media/video_writer.h"

namespace avatar::detail {

struct OutputFormatDeleter {
  void operator()(AVFormatContext* c) const {
    if (c && c->pb && !(c->oformat->flags & AVFMT_NOFILE)) avio_closep(&c->pb);
    avformat_free_context(c);
  }
};

struct VideoWriter::State {
  VideoWriterConfig cfg;
  std::string partPath;
  std::unique_ptr<AVFormatContext, OutputFormatDeleter> oc;
  bool headerWritten = false;
  bool finished = false;

  // Video.
  CodecContextPtr venc;
  AVStream* vstream = nullptr;
  SwsPtr sws;
  FramePtr vframe;
  PacketPtr pkt;
  int64_t nextVideoPts = 0;
  std::string encoderName;
  std::vector<std::string> notes;

  // Audio.
  std::unique_ptr<AudioReader> audio;
  CodecContextPtr aenc;
  AVStream* astream = nullptr;
  FramePtr aframe;
  std::vector<float> interleaved;
  int64_t nextAudioPts = 0;
  bool audioDone = true;

  Status fail(ErrorCode code, const std::string& detail) const {
    return Status::error(code, cfg.outputPath, detail);
  }
  // Sends one frame (null = flush) and writes every packet that comes out.
  Status encode(AVCodecContext* enc, AVStream* st, AVFrame* frame);
  Status openVideo();
  Status openAudio();
  // Encodes audio until its clock reaches `untilSec` (or the end).
  Status pumpAudio(double untilSec);
};

}  // namespace avatar::detail
