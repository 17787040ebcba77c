// Face analysis speed: detection + landmarks per photo, each face-api net
// alone, and landmarks-only calls on a 112 px box (the per-frame cost of
// measuring mouth opening on rendered output). Prints p50 and min; CPU.
//
//   bench_face [--runs 20] [--threads 0] [--models DIR] [photo ...]
// Default photos: demo/astronaut.png and $AVATAR_TESTDATA/faces/*.png.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "avatar/engine.h"
#include "avatar/face.h"
#include "avatar/media.h"
#include "avatar_nets/face_api.h"
#include "avatar_nets/runtime.h"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

struct Stats {
  double p50 = 0, min = 0;
};

Stats timeIt(int runs, const std::function<void()>& body) {
  body();  // warm-up (lazy model loading, allocator)
  std::vector<double> ms;
  for (int i = 0; i < runs; ++i) {
    const auto t0 = Clock::now();
    body();
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  }
  std::sort(ms.begin(), ms.end());
  return {ms[ms.size() / 2], ms.front()};
}

std::vector<std::string> defaultPhotos() {
  std::vector<std::string> photos;
  if (fs::exists("demo/astronaut.png")) photos.push_back("demo/astronaut.png");
  const char* testdata = std::getenv("AVATAR_TESTDATA");
  const fs::path faces = fs::path(testdata ? testdata : "../shared/testdata") / "faces";
  for (const char* name : {"alice.png", "people_0.png", "happy.png"}) {
    if (fs::exists(faces / name)) photos.push_back((faces / name).string());
  }
  return photos;
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 20, threads = 0;
  std::string modelsDir;
  std::vector<std::string> photos;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--runs" && i + 1 < argc) {
      runs = std::max(1, std::atoi(argv[++i]));
    } else if (a == "--threads" && i + 1 < argc) {
      threads = std::atoi(argv[++i]);
    } else if (a == "--models" && i + 1 < argc) {
      modelsDir = argv[++i];
    } else {
      photos.push_back(a);
    }
  }
  if (photos.empty()) photos = defaultPhotos();
  if (photos.empty()) {
    std::fprintf(stderr, "no photos: pass some, or run from the source root with demo/\n");
    return 2;
  }
  avatar::EngineConfig config;
  config.modelsDir = modelsDir;
  config.cpuThreads = threads;
  config.device = avatar::ComputeDevice::Cpu;
  std::shared_ptr<const avatar::Engine> engine;
  if (avatar::Status s = avatar::Engine::create(config, &engine); !s) {
    std::fprintf(stderr, "%s\n", s.message().c_str());
    return 1;
  }
  std::printf("face bench: CPU, %d torch threads, libtorch %s, %d runs each (p50 / min ms)\n",
              avatar::nets::cpuThreads(), avatar::nets::torchVersion().c_str(), runs);
  {
    // First call: loads the face nets (once per Engine), then detects.
    avatar::Image first;
    std::vector<avatar::FaceInfo> faces;
    if (avatar::loadImage(photos.front(), &first)) {
      const auto t0 = Clock::now();
      avatar::detectFaces(*engine, first, &faces);
      std::printf("first detectFaces incl. loading the nets: %.1f ms\n",
                  std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    }
  }

  const std::string faceApi = engine->modelsDir() + "/face-api/";
  std::string error;
  auto tiny = avatar::nets::loadTinyFaceDetector(
      faceApi + "tiny_face_detector_model-weights_manifest.json", &error);
  auto ssd = avatar::nets::loadSsdMobilenetV1(
      faceApi + "ssd_mobilenetv1_model-weights_manifest.json", &error);
  auto landmarks = avatar::nets::loadLandmarkNet(
      faceApi + "face_landmark_68_model-weights_manifest.json", &error);
  auto tinyLandmarks = avatar::nets::loadLandmarkNet(
      faceApi + "face_landmark_68_tiny_model-weights_manifest.json", &error);
  if (!tiny || !ssd || !landmarks || !tinyLandmarks) {
    std::fprintf(stderr, "face-api models missing: %s\n", error.c_str());
    return 1;
  }

  std::printf("%-28s %9s %16s %16s %16s %16s\n", "photo", "size", "detectFaces", "analyseFace",
              "tiny det 416", "ssd det 512");
  avatar::RectF lastBox;
  avatar::Image lastPhoto;
  for (const std::string& path : photos) {
    avatar::Image photo;
    if (avatar::Status s = avatar::loadImage(path, &photo); !s) {
      std::fprintf(stderr, "%s\n", s.message().c_str());
      continue;
    }
    std::vector<avatar::FaceInfo> faces;
    avatar::FaceInfo face;
    const Stats detect = timeIt(runs, [&] { avatar::detectFaces(*engine, photo, &faces); });
    const Stats analyse =
        timeIt(runs, [&] { avatar::analyseFace(*engine, photo, path, -1, &face); });
    const avatar::nets::RgbView view{photo.rgb.data(), photo.width, photo.height, 0};
    std::vector<avatar::nets::FaceDetection> found;
    const Stats tinyStats = timeIt(runs, [&] { tiny->detect(view, {}, &found, &error); });
    const Stats ssdStats = timeIt(runs, [&] { ssd->detect(view, {}, &found, &error); });
    const std::string size = std::to_string(photo.width) + "x" + std::to_string(photo.height);
    std::printf("%-28s %9s %7.1f / %6.1f %7.1f / %6.1f %7.1f / %6.1f %7.1f / %6.1f  (%zu face%s)\n",
                fs::path(path).filename().c_str(), size.c_str(), detect.p50, detect.min,
                analyse.p50, analyse.min, tinyStats.p50, tinyStats.min, ssdStats.p50, ssdStats.min,
                faces.size(), faces.size() == 1 ? "" : "s");
    if (face.found) {
      lastBox = face.box;
      lastPhoto = photo;
    }
  }
  if (lastPhoto.empty()) return 0;

  // Landmarks only, on a 112 x 112 box (no resize: the net's own input size).
  const float cx = lastBox.x + lastBox.width / 2, cy = lastBox.y + lastBox.height / 2;
  const avatar::RectF box{cx - 56, cy - 56, 112, 112};
  const avatar::nets::RgbView view{lastPhoto.rgb.data(), lastPhoto.width, lastPhoto.height, 0};
  const avatar::nets::BoxF netBox{box.x, box.y, box.width, box.height};
  std::vector<avatar::PointF> points;
  std::vector<avatar::nets::Point2F> netPoints;
  const int calls = runs * 10;
  const Stats api =
      timeIt(calls, [&] { avatar::landmarksInBox(*engine, lastPhoto, box, &points); });
  const Stats full = timeIt(calls, [&] { landmarks->landmarks(view, netBox, &netPoints, &error); });
  const Stats small =
      timeIt(calls, [&] { tinyLandmarks->landmarks(view, netBox, &netPoints, &error); });
  std::printf(
      "landmarks only, 112 px box, %d calls: landmarksInBox %.2f / %.2f ms, "
      "face_landmark_68 net %.2f / %.2f ms, tiny net %.2f / %.2f ms\n",
      calls, api.p50, api.min, full.p50, full.min, small.p50, small.min);
  return 0;
}
