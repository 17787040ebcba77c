// Media helpers for front-ends: probing, loading stills, decoding audio.
// All functions are thread-safe and report errors as Status naming the path.
#pragma once

#include <string>

#include "avatar/image.h"
#include "avatar/status.h"

namespace avatar {

struct AudioInfo {
  double durationSec = 0;  // from the decoded samples, not the container header
  int sampleRate = 0;      // of the source stream
  int channels = 0;
  std::string codec;      // FFmpeg codec name, e.g. "pcm_s16le", "mp3"
  std::string container;  // e.g. "wav", "mov,mp4,m4a,3gp,3g2,mj2"
};

struct ImageInfo {
  int width = 0;  // after EXIF orientation
  int height = 0;
  int channels = 0;         // 1 gray, 3 colour, 4 with alpha
  int bitsPerChannel = 8;   // 8 or 16
  int exifOrientation = 1;  // 1..8 as stored; already applied to width/height
  std::string format;       // "png", "jpeg", "webp", "bmp", "tiff"
};

// Largest image we decode (each side, and in total pixels).
constexpr int kMaxImageSidePx = 16384;
constexpr long long kMaxImagePixels = 100LL * 1000 * 1000;

// Loads a still photo as 8-bit RGB: EXIF orientation applied, 16-bit scaled,
// grayscale expanded, alpha composited over `backgroundRgb`.
Status loadImage(const std::string& path, Image* out, ImageInfo* info = nullptr,
                 uint32_t backgroundRgb = 0xFFFFFF);

// Reads only the header: format, size, orientation. Cheap; no pixel decoding.
Status probeImage(const std::string& path, ImageInfo* info);

// Longest audio a render accepts by default (EngineConfig::maxAudioSec), and
// the most that limit may be raised to. 4 hours of 16 kHz mono float is
// 0.9 GB. A source sample rate outside kMin..kMaxAudioSampleRate is not
// speech: a 1 Hz WAV is days of "audio" in a megabyte, and a resampler for
// 268 MHz takes minutes to set up. Such files are refused.
constexpr double kDefaultMaxAudioSec = 4 * 3600.0;
constexpr double kMaxAudioSecLimit = 24 * 3600.0;
constexpr int kMinAudioSampleRate = 2000;
constexpr int kMaxAudioSampleRate = 768000;
constexpr int kMaxAudioChannels = 64;

// Decodes the best audio stream of any FFmpeg-readable file (a video's audio
// track included) to mono float at `sampleRate`. Memory grows with what is
// decoded, never with what the container claims; more than `maxDurationSec`
// of audio fails with InputTooLong. NaN/Inf samples are replaced by silence
// (with a warning in the log).
Status decodeAudio(const std::string& path, int sampleRate, AudioSamples* out,
                   AudioInfo* info = nullptr, double maxDurationSec = kDefaultMaxAudioSec);

}  // namespace avatar
