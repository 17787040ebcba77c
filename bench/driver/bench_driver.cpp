// Driver-video tracking speed: trackDriverVideo (landmarks in the box the
// last frame predicts, detectors only when the face is lost) against the
// baseline of running the face detectors on every frame, in the same run on
// the same frames. The driver is rendered first by the built-in renderer
// (people_0.png or demo/astronaut.png talking with large head motion).
//
//   bench_driver [--size 640] [--models DIR]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include <unistd.h>

#include "avatar/driver.h"
#include "avatar/engine.h"
#include "avatar/face.h"
#include "avatar/session.h"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

double since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

std::string firstExisting(std::initializer_list<fs::path> paths) {
  for (const fs::path& p : paths) {
    if (fs::exists(p)) return p.string();
  }
  return "";
}

}  // namespace

int main(int argc, char** argv) {
  int size = 640;
  std::string modelsDir;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--size") size = std::atoi(argv[i + 1]);
    if (a == "--models") modelsDir = argv[i + 1];
  }
  const char* td = std::getenv("AVATAR_TESTDATA");
  const fs::path testdata = td ? td : "../shared/testdata";
  const std::string photo = firstExisting({testdata / "faces/people_0.png", "demo/astronaut.png"});
  const std::string speech =
      firstExisting({testdata / "audio/RD_Radio31_000.wav", "demo/speech.wav"});
  if (photo.empty() || speech.empty()) {
    std::fprintf(stderr, "bench_driver: no photo/speech (../shared/testdata or demo/)\n");
    return 1;
  }
  avatar::EngineConfig config;
  if (!modelsDir.empty()) config.modelsDir = modelsDir;
  std::shared_ptr<const avatar::Engine> engine;
  if (avatar::Status s = avatar::Engine::create(config, &engine); !s) {
    std::fprintf(stderr, "bench_driver: %s\n", s.message().c_str());
    return 1;
  }
  const fs::path dir = fs::temp_directory_path() / ("bench_driver_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  avatar::RenderRequest r;
  r.imagePath = photo;
  r.audioPath = speech;
  r.outputPath = (dir / "driver.mp4").string();
  r.options.width = r.options.height = size;
  r.options.motionScale = 3;
  r.options.blinksPerMinute = 30;
  avatar::RenderResult result;
  if (avatar::Status s = avatar::renderVideo(engine, r, &result); !s) {
    std::fprintf(stderr, "bench_driver: rendering the driver: %s\n", s.message().c_str());
    return 1;
  }
  // Tracking.
  avatar::DriverTrackOptions o;
  o.fps = 25;
  avatar::DriverTrack track;
  auto t0 = Clock::now();
  if (avatar::Status s = avatar::trackDriverVideo(*engine, r.outputPath, o, &track); !s) {
    std::fprintf(stderr, "bench_driver: %s\n", s.message().c_str());
    return 1;
  }
  const double trackSec = since(t0);
  const int n = int(track.frames.size());
  // Baseline: the detectors (and landmarks) on every frame.
  int detected = 0;
  double detectSec = 0;
  o.onFrame = [&](int, const avatar::Image& frame, const avatar::DriverFrame&) {
    const auto t = Clock::now();
    std::vector<avatar::FaceInfo> faces;
    if (avatar::detectFaces(*engine, frame, &faces) && !faces.empty()) ++detected;
    detectSec += since(t);
  };
  avatar::DriverTrack again;
  avatar::trackDriverVideo(*engine, r.outputPath, o, &again);
  std::printf("driver %dx%d, %d frames (%.1f s of video at 25 fps)\n", track.width, track.height, n,
              n / 25.0);
  std::printf("tracking (trackDriverVideo):        %7.1f frames/s  (%.2f s)\n", n / trackSec,
              trackSec);
  std::printf("baseline (detectors on every frame): %7.1f frames/s  (%.2f s, face on %d)\n",
              n / detectSec, detectSec, detected);
  std::printf("tracking vs detecting every frame: %.2fx\n", detectSec / trackSec);
  std::printf("frames without a face: %d\n", track.facelessFrames);
  fs::remove_all(dir);
  return 0;
}
