// Engine: the shared, immutable part (configuration, loaded models).
//
// Thread-safety contract:
// - An Engine is created once and shared (std::shared_ptr<const Engine>);
//   every const method may be called from any thread at once.
// - Per-job state lives in a Session (session.h). A Session is used by one
//   thread at a time; different Sessions run in parallel on one Engine.
// - Models are loaded lazily on first use, once, under an internal lock.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "avatar/backends.h"
#include "avatar/media.h"
#include "avatar/models.h"
#include "avatar/options.h"
#include "avatar/status.h"

namespace avatar {

constexpr int kMaxCpuThreads = 256;

struct EngineConfig {
  // Where model files live. Empty: $AVATAR_MODELS_DIR, then the install's
  // share/avatar-renderer/models, then the source tree's models/.
  std::string modelsDir;
  int cpuThreads = 0;  // intra-op threads for CPU inference; 0 = all cores; at most kMaxCpuThreads
  // Longer speech fails with InputTooLong; (0, kMaxAudioSecLimit].
  double maxAudioSec = kDefaultMaxAudioSec;
  ComputeDevice device = ComputeDevice::Auto;
};

class Engine {
 public:
  static Status create(const EngineConfig& config, std::shared_ptr<const Engine>* out);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  const EngineConfig& config() const;
  const std::string& modelsDir() const;   // resolved
  std::vector<ModelInfo> models() const;  // re-checks the files on disk
  // The backend table (backends.h) with what this installation can run:
  // not implemented first, then missing files. Re-checks the files on disk.
  std::vector<BackendAvailability> backends() const;
  bool cudaAvailable() const;
  // How often this Engine has loaded a backend's net from disk ("wav2lip",
  // "gfpgan"): once per process unless the file changed. Nets are loaded on
  // first use and shared by every session.
  int netLoadCount(const std::string& modelId) const;

  struct Impl;
  const Impl& impl() const { return *impl_; }

 private:
  explicit Engine(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Where the models directory is when nothing is configured.
std::string defaultModelsDir();

}  // namespace avatar
