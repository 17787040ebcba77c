// Encoder throughput: our VideoWriter (libx264 + AAC mux, MP4 faststart)
// against the ffmpeg command line encoding the same raw RGB frames and audio
// with the same settings, in the same run. Goal: ratio <= 1.1.
//
//   bench_encoder [--seconds 60] [--size 512] [--fps 25] [--preset medium] [--crf 20]
//                 [--photo demo/astronaut.png] [--keep DIR]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "media/video_writer.h"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

struct Args {
  int seconds = 60, size = 512, fps = 25, crf = 20;
  std::string preset = "medium", photo = "demo/astronaut.png", keep;
};

Args parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--seconds")
      a.seconds = std::stoi(v);
    else if (k == "--size")
      a.size = std::stoi(v);
    else if (k == "--fps")
      a.fps = std::stoi(v);
    else if (k == "--crf")
      a.crf = std::stoi(v);
    else if (k == "--preset")
      a.preset = v;
    else if (k == "--photo")
      a.photo = v;
    else if (k == "--keep")
      a.keep = v;
  }
  return a;
}

// A talking-head-like sequence: a still photo with a small region changing
// every frame (a mouth-sized patch moving), so the encoder does real work.
cv::Mat frameAt(const cv::Mat& base, int i) {
  cv::Mat f = base.clone();
  const int s = base.cols;
  const int h = int(s * (0.04 + 0.03 * (1 + std::sin(i * 0.7))));
  cv::ellipse(f, cv::Point(s / 2, int(s * 0.62)), cv::Size(s / 10, h / 2), 0, 0, 360,
              cv::Scalar(60, 20, 30), cv::FILLED, cv::LINE_AA);
  cv::GaussianBlur(f(cv::Rect(s / 3, s / 2, s / 3, s / 4)), f(cv::Rect(s / 3, s / 2, s / 3, s / 4)),
                   cv::Size(3, 3), 0.5 + (i % 5) * 0.1);
  return f;
}

double seconds(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
  const Args a = parse(argc, argv);
  const fs::path dir =
      a.keep.empty() ? fs::temp_directory_path() / "avatar-bench-encoder" : fs::path(a.keep);
  fs::create_directories(dir);
  const int frames = a.seconds * a.fps;
  cv::Mat photo = cv::imread(a.photo, cv::IMREAD_COLOR);
  if (photo.empty()) {
    std::fprintf(stderr, "photo %s not found; using a synthetic gradient\n", a.photo.c_str());
    photo = cv::Mat(a.size, a.size, CV_8UC3);
    cv::randu(photo, 0, 255);
    cv::GaussianBlur(photo, photo, cv::Size(0, 0), 8);
  }
  cv::resize(photo, photo, cv::Size(a.size, a.size), 0, 0, cv::INTER_AREA);
  cv::cvtColor(photo, photo, cv::COLOR_BGR2RGB);

  const std::string raw = (dir / "frames.rgb").string();
  const std::string wav = (dir / "speech.wav").string();
  {
    std::ofstream out(raw, std::ios::binary);
    for (int i = 0; i < frames; ++i) {
      const cv::Mat f = frameAt(photo, i);
      out.write(reinterpret_cast<const char*>(f.data), std::streamsize(f.total() * 3));
    }
  }
  std::system(("ffmpeg -y -v error -f lavfi -i sine=frequency=220:sample_rate=44100:duration=" +
               std::to_string(a.seconds) + " " + wav)
                  .c_str());

  // ffmpeg command line: same raw frames, same audio, same settings.
  const std::string cliOut = (dir / "ffmpeg_cli.mp4").string();
  const std::string cmd =
      "ffmpeg -y -v error -f rawvideo -pix_fmt rgb24 -s " + std::to_string(a.size) + "x" +
      std::to_string(a.size) + " -r " + std::to_string(a.fps) + " -i " + raw + " -i " + wav +
      " -c:v libx264 -preset " + a.preset + " -crf " + std::to_string(a.crf) +
      " -pix_fmt yuv420p -c:a aac -b:a 160k " + "-movflags +faststart " + cliOut;
  auto t0 = Clock::now();
  if (std::system(cmd.c_str()) != 0) {
    std::fprintf(stderr, "ffmpeg CLI failed: %s\n", cmd.c_str());
    return 1;
  }
  const double cliSec = seconds(t0);

  // Ours: read the same raw frames, encode through VideoWriter.
  avatar::detail::VideoWriterConfig cfg;
  cfg.outputPath = (dir / "ours.mp4").string();
  cfg.width = cfg.height = a.size;
  cfg.fps = a.fps;
  cfg.encoder = avatar::VideoEncoder::Libx264;
  cfg.crf = a.crf;
  cfg.preset = a.preset;
  cfg.audioPath = wav;
  t0 = Clock::now();
  avatar::detail::VideoWriter writer;
  if (avatar::Status s = writer.open(cfg); !s) {
    std::fprintf(stderr, "open: %s\n", s.message().c_str());
    return 1;
  }
  std::ifstream in(raw, std::ios::binary);
  std::vector<uint8_t> buf(size_t(a.size) * a.size * 3);
  for (int i = 0; i < frames; ++i) {
    in.read(reinterpret_cast<char*>(buf.data()), std::streamsize(buf.size()));
    if (avatar::Status s = writer.writeFrame(buf.data(), a.size * 3); !s) {
      std::fprintf(stderr, "frame %d: %s\n", i, s.message().c_str());
      return 1;
    }
  }
  if (avatar::Status s = writer.finish(); !s) {
    std::fprintf(stderr, "finish: %s\n", s.message().c_str());
    return 1;
  }
  const double oursSec = seconds(t0);

  std::printf(
      "encoder benchmark: %d frames %dx%d @ %d fps (%d s), libx264 preset %s crf %d + AAC\n",
      frames, a.size, a.size, a.fps, a.seconds, a.preset.c_str(), a.crf);
  std::printf("  ffmpeg CLI : %7.2f s  %7.1f frames/s  %8.1f kB\n", cliSec, frames / cliSec,
              fs::file_size(cliOut) / 1024.0);
  std::printf("  ours       : %7.2f s  %7.1f frames/s  %8.1f kB\n", oursSec, frames / oursSec,
              fs::file_size(cfg.outputPath) / 1024.0);
  std::printf("  ratio ours/ffmpeg = %.3f (goal <= 1.1)\n", oursSec / cliSec);
  if (a.keep.empty()) fs::remove_all(dir);
  return 0;
}
