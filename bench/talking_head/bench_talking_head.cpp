// Built-in talking head benchmarks (issue 3):
//  (a) 60 s of speech -> 512x512 25 fps MP4: wall time of the whole render as
//      a ratio against encoding the same number of frames alone (goal <= 1.3);
//  (b) single-frame render time p50/p95 at 512 by random access (goal p95 < 20 ms);
//  (c) peak memory of a full render of 60 minutes of speech (goal < 600 MB),
//      run with --memory-minutes 60 in its own process.
//
//   bench_talking_head [--photo demo/astronaut.png] [--speech demo/speech.wav]
//                      [--seconds 60] [--memory-minutes 0]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "avatar/engine.h"
#include "avatar/session.h"
#include "media/video_writer.h"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

double since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

long peakRssMb() {
  std::ifstream in("/proc/self/status");
  std::string key;
  while (in >> key) {
    if (key == "VmHWM:") {
      long kb = 0;
      in >> kb;
      return kb / 1024;
    }
  }
  return 0;
}

// Repeats `speech` to at least `seconds` with sox (16 kHz mono keeps it small).
std::string longSpeech(const std::string& speech, double seconds, const fs::path& dir) {
  const std::string out = (dir / ("speech_" + std::to_string(int(seconds)) + ".wav")).string();
  const std::string cmd = "sox " + speech + " -r 16000 -c 1 " + out + " repeat " +
                          std::to_string(int(seconds / 2.0)) + " trim 0 " +
                          std::to_string(seconds) + " 2>/dev/null";
  if (std::system(cmd.c_str()) != 0) return {};
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::string photo = "demo/astronaut.png", speech = "demo/speech.wav";
  int seconds = 60, memoryMinutes = 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--photo") photo = v;
    if (k == "--speech") speech = v;
    if (k == "--seconds") seconds = std::stoi(v);
    if (k == "--memory-minutes") memoryMinutes = std::stoi(v);
  }
  const fs::path dir = fs::temp_directory_path() / "avatar-bench-talking-head";
  fs::create_directories(dir);
  avatar::EngineConfig config;
  std::shared_ptr<const avatar::Engine> engine;
  if (avatar::Status s = avatar::Engine::create(config, &engine); !s) {
    std::fprintf(stderr, "%s\n", s.message().c_str());
    return 1;
  }
  avatar::RenderRequest r;
  r.imagePath = photo;
  r.options.width = r.options.height = 512;

  if (memoryMinutes > 0) {
    r.audioPath = longSpeech(speech, memoryMinutes * 60.0, dir);
    r.outputPath = (dir / "memory.mp4").string();
    const auto t0 = Clock::now();
    avatar::RenderResult result;
    if (avatar::Status s = avatar::renderVideo(engine, r, &result); !s) {
      std::fprintf(stderr, "%s\n", s.message().c_str());
      return 1;
    }
    std::printf(
        "(c) %d min of speech -> %d frames 512x512 in %.1f s: peak RSS %ld MB (goal < 600)\n",
        memoryMinutes, result.frameCount, since(t0), peakRssMb());
    fs::remove_all(dir);
    return 0;
  }

  r.audioPath = longSpeech(speech, seconds, dir);
  r.outputPath = (dir / "talking.mp4").string();
  if (r.audioPath.empty()) {
    std::fprintf(stderr, "sox failed to make %d s of speech from %s\n", seconds, speech.c_str());
    return 1;
  }
  // (a) the whole render, then the encoder alone on as many frames.
  auto t0 = Clock::now();
  avatar::RenderResult result;
  if (avatar::Status s = avatar::renderVideo(engine, r, &result); !s) {
    std::fprintf(stderr, "%s\n", s.message().c_str());
    return 1;
  }
  const double renderSec = since(t0);
  std::unique_ptr<avatar::Session> session;
  avatar::Session::open(engine, r, &session);
  avatar::Image still;
  session->renderFrame(0, &still);
  avatar::detail::VideoWriterConfig cfg;
  cfg.outputPath = (dir / "encode_only.mp4").string();
  cfg.width = cfg.height = 512;
  cfg.fps = 25;
  cfg.crf = r.options.crf;
  cfg.preset = r.options.preset;
  cfg.audioPath = r.audioPath;
  cfg.encoder = avatar::VideoEncoder::Libx264;
  // Encode alone: the same frames the render produced, pre-rendered, so only
  // encoding is timed.
  std::vector<avatar::Image> frames(64);
  for (int i = 0; i < 64; ++i) session->renderFrame(i * 7 % result.frameCount, &frames[i]);
  t0 = Clock::now();
  avatar::detail::VideoWriter writer;
  writer.open(cfg);
  for (int i = 0; i < result.frameCount; ++i) writer.writeFrame(frames[i % 64].rgb.data(), 512 * 3);
  writer.finish();
  const double encodeSec = since(t0);
  std::printf("(a) %d s of speech, %d frames 512x512 @ 25 fps (%s, crf %d)\n", seconds,
              result.frameCount, r.options.preset.c_str(), r.options.crf);
  std::printf(
      "    full render %.2f s (analysis %.2f s), encode alone %.2f s, ratio %.3f (goal <= 1.3)\n",
      renderSec, result.analyseSec, encodeSec, renderSec / encodeSec);

  // (b) random-access single frames.
  std::mt19937 rng(1);
  std::vector<double> ms;
  avatar::Image frame;
  for (int k = 0; k < 300; ++k) {
    const int i = int(rng() % uint32_t(result.frameCount));
    const auto f0 = Clock::now();
    session->renderFrame(i, &frame);
    ms.push_back(since(f0) * 1000);
  }
  std::sort(ms.begin(), ms.end());
  std::printf(
      "(b) single frame at 512: p50 %.2f ms, p95 %.2f ms, max %.2f ms over %zu frames (goal p95 < "
      "20)\n",
      ms[ms.size() / 2], ms[ms.size() * 95 / 100], ms.back(), ms.size());
  std::printf("    peak RSS so far %ld MB\n", peakRssMb());
  fs::remove_all(dir);
  return 0;
}
