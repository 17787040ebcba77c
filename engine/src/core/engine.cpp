#include <cstdlib>
#include <filesystem>
#include <thread>

#include "avatar/log.h"
#include "avatar_nets/runtime.h"
#include "core/engine_impl.h"
#include "media/ffmpeg_log.h"
#include "models/model_registry.h"

#ifndef AVATAR_SOURCE_MODELS_DIR
#define AVATAR_SOURCE_MODELS_DIR ""
#endif
#ifndef AVATAR_INSTALL_MODELS_DIR
#define AVATAR_INSTALL_MODELS_DIR ""
#endif

namespace avatar {
namespace fs = std::filesystem;

std::string defaultModelsDir() {
  if (const char* env = std::getenv("AVATAR_MODELS_DIR"); env && *env) return env;
  std::error_code ec;
  const std::string installed = AVATAR_INSTALL_MODELS_DIR;
  if (!installed.empty() && fs::is_directory(installed, ec)) return installed;
  return AVATAR_SOURCE_MODELS_DIR;
}

Engine::Engine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Engine::~Engine() = default;

Status Engine::create(const EngineConfig& config, std::shared_ptr<const Engine>* out) {
  auto impl = std::make_unique<Impl>();
  impl->config = config;
  std::error_code ec;
  const std::string dir = config.modelsDir.empty() ? defaultModelsDir() : config.modelsDir;
  impl->modelsDir = fs::absolute(dir, ec).lexically_normal().string();
  if (!config.modelsDir.empty() && !fs::is_directory(impl->modelsDir, ec)) {
    return Status::error(ErrorCode::InputNotFound, config.modelsDir,
                         "models directory does not exist");
  }
  if (config.cpuThreads < 0 || config.cpuThreads > kMaxCpuThreads) {
    return Status::error(ErrorCode::InvalidArgument, "cpuThreads",
                         "must be between 0 (all cores) and " + std::to_string(kMaxCpuThreads) +
                             ", got " + std::to_string(config.cpuThreads));
  }
  if (!(config.maxAudioSec > 0 && config.maxAudioSec <= kMaxAudioSecLimit)) {
    return Status::error(
        ErrorCode::InvalidArgument, "maxAudioSec",
        "must be more than 0 and at most " + std::to_string(int(kMaxAudioSecLimit)) + " seconds");
  }
  impl->cpuThreads = config.cpuThreads > 0 ? config.cpuThreads
                                           : int(std::max(1u, std::thread::hardware_concurrency()));
  nets::setCpuThreads(impl->cpuThreads);
  impl->cuda = nets::cudaAvailable();
  if (config.device == ComputeDevice::Cuda && !impl->cuda) {
    return Status::error(ErrorCode::DeviceUnavailable, "device",
                         "CUDA was requested but this build or machine has no usable CUDA device");
  }
  detail::installFfmpegLogBridge();
  out->reset(new Engine(std::move(impl)));
  return Status::ok();
}

const EngineConfig& Engine::config() const {
  return impl_->config;
}
const std::string& Engine::modelsDir() const {
  return impl_->modelsDir;
}
bool Engine::cudaAvailable() const {
  return impl_->cuda;
}

std::vector<ModelInfo> Engine::models() const {
  std::vector<ModelInfo> models;
  if (Status s =
          detail::loadModelRegistry(detail::builtinModelManifest(), impl_->modelsDir, &models);
      !s) {
    log(LogLevel::Error, s.message());
  }
  return models;
}

std::string Engine::Impl::modelFile(const std::string& id, size_t fileIndex,
                                    std::string* why) const {
  std::vector<ModelInfo> models;
  detail::loadModelRegistry(detail::builtinModelManifest(), modelsDir, &models);
  const ModelInfo* m = detail::findModel(models, id);
  if (!m || fileIndex >= m->files.size()) {
    if (why) *why = "unknown model " + id;
    return {};
  }
  const ModelFile& f = m->files[fileIndex];
  if (!f.present) {
    if (why) *why = f.path + " is missing (get it with: " + m->howToGet + ")";
    return {};
  }
  return f.path;
}

}  // namespace avatar
