#include "pipeline/net_loading.h"

#include <filesystem>
#include <map>
#include <mutex>

#include "avatar/log.h"

namespace avatar::detail {
namespace {

std::string howToGetModel(const Engine& engine, const std::string& modelId) {
  for (const auto& m : engine.models()) {
    if (m.id == modelId) return m.howToGet;
  }
  return "";
}

// Key: path, modification time, device, precision.
std::string cacheKey(const std::string& path, const nets::NetOptions& o) {
  std::error_code ec;
  const auto mtime = std::filesystem::last_write_time(path, ec);
  return path + "|" + std::to_string(ec ? 0 : mtime.time_since_epoch().count()) + "|" +
         (o.cuda ? "cuda" + std::to_string(o.cudaDevice) : "cpu") + (o.half ? "|fp16" : "|fp32");
}

template <typename Net>
Status loadCached(const Engine& engine, const std::string& modelId, const std::string& path,
                  const nets::NetOptions& options, std::shared_ptr<const Net>* out) {
  static std::mutex mutex;
  static std::map<std::string, std::weak_ptr<const Net>> cache;
  std::lock_guard<std::mutex> lock(mutex);  // one load at a time: no double loads
  const std::string key = cacheKey(path, options);
  if (auto it = cache.find(key); it != cache.end()) {
    if (auto net = it->second.lock()) {
      *out = std::move(net);
      return Status::ok();
    }
  }
  std::unique_ptr<Net> net;
  if (nets::NetStatus s = Net::load(path, options, &net); !s) {
    return toStatus(s, howToGetModel(engine, modelId));
  }
  std::shared_ptr<const Net> shared(std::move(net));
  cache[key] = shared;
  log(LogLevel::Info, modelId + " loaded from " + path + " on " +
                          (options.cuda ? std::string("CUDA") : std::string("CPU")) +
                          (options.half ? " (fp16)" : " (fp32)"));
  *out = std::move(shared);
  return Status::ok();
}

}  // namespace

nets::NetOptions netOptionsFor(const Engine& engine, ComputeDevice device, bool half) {
  nets::NetOptions o;
  o.cuda =
      device == ComputeDevice::Cuda || (device == ComputeDevice::Auto && engine.cudaAvailable());
  o.half = o.cuda && half;
  return o;
}

Status toStatus(const nets::NetStatus& s, const std::string& howToGet) {
  using nets::NetError;
  ErrorCode code = ErrorCode::Internal;
  std::string detail = s.detail();
  switch (s.code()) {
    case NetError::Ok:
      return Status::ok();
    case NetError::InvalidArgument:
      code = ErrorCode::InvalidArgument;
      break;
    case NetError::FileNotFound:
      code = ErrorCode::ModelMissing;
      if (!howToGet.empty()) detail += " (get it with: " + howToGet + ")";
      break;
    case NetError::InvalidFile:
    case NetError::WeightsMismatch:
    case NetError::InvalidWeights:
      code = ErrorCode::ModelInvalid;
      if (!howToGet.empty()) detail += " (re-create it with: " + howToGet + ")";
      break;
    case NetError::DeviceUnavailable:
      code = ErrorCode::DeviceUnavailable;
      break;
    case NetError::OutOfMemory:
      code = ErrorCode::OutOfMemory;
      break;
    case NetError::Internal:
      code = ErrorCode::Internal;
      break;
  }
  return Status::error(code, s.subject(), detail);
}

Status loadWav2LipNet(const Engine& engine, const std::string& modelId, const std::string& path,
                      const nets::NetOptions& options,
                      std::shared_ptr<const nets::Wav2LipNet>* out) {
  return loadCached(engine, modelId, path, options, out);
}

Status loadGfpganNet(const Engine& engine, const std::string& modelId, const std::string& path,
                     const nets::NetOptions& options, std::shared_ptr<const nets::GfpganNet>* out) {
  return loadCached(engine, modelId, path, options, out);
}

}  // namespace avatar::detail
