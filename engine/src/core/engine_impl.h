// Engine internals shared by the pipeline (not a public header).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "avatar/engine.h"

namespace avatar {
namespace detail {
struct FaceModels;  // face/face_models.h
}
struct DriverTrack;  // avatar/driver.h

struct Engine::Impl {
  EngineConfig config;
  std::string modelsDir;  // resolved, absolute
  int cpuThreads = 1;     // resolved
  bool cuda = false;

  // Path of a model's first file, or empty with *why set when not installed.
  std::string modelFile(const std::string& id, size_t fileIndex, std::string* why) const;

  // Face detection/landmark nets, loaded once on first use; safe to call from
  // any thread. Defined in face/face_models.cpp.
  const detail::FaceModels& faceModels() const;
  mutable std::once_flag faceModelsOnce;
  mutable std::shared_ptr<const detail::FaceModels> faceModelsLoaded;

  // Neural backends' nets (Wav2Lip, GFPGAN, ...), loaded on first use and
  // kept for the Engine's life: every session and job shares one copy.
  // Keyed by file, modification time, device and precision; see
  // pipeline/net_loading.cpp.
  struct LoadedNets {
    std::mutex mutex;  // one load at a time: no double loads
    std::map<std::string, std::shared_ptr<const void>> byKey;
    std::map<std::string, int> loads;  // per model id
  };
  mutable LoadedNets nets;

  // The last few driver tracks (driver/driver_track.cpp), keyed by file
  // (size, modification time), fps and size, so that a studio's track (made
  // for its thumbnails) and its preview session's are one piece of work.
  struct DriverTracks {
    std::mutex mutex;
    std::vector<std::pair<std::string, std::shared_ptr<const DriverTrack>>> recent;
  };
  mutable DriverTracks driverTracks;
};

}  // namespace avatar
