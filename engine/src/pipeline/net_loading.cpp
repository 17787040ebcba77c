#include "pipeline/net_loading.h"

#include <filesystem>
#include <map>
#include <mutex>

#include "avatar/log.h"
#include "core/engine_impl.h"

namespace avatar::detail {
namespace {

std::string howToGetModel(const Engine& engine, const std::string& modelId) {
  for (const auto& m : engine.models()) {
    if (m.id == modelId) return m.howToGet;
  }
  return "";
}

// "<path>|<device>|<precision>|": one copy per file and device...
std::string slotKey(const std::string& path, const nets::NetOptions& o) {
  return path + "|" + (o.cuda ? "cuda" + std::to_string(o.cudaDevice) : "cpu") +
         (o.half ? "|fp16|" : "|fp32|");
}

// ... of the file's current version.
std::string mtimeOf(const std::string& path) {
  std::error_code ec;
  const auto mtime = std::filesystem::last_write_time(path, ec);
  return std::to_string(ec ? 0 : mtime.time_since_epoch().count());
}

template <typename Net>
Status loadCached(const Engine& engine, const std::string& modelId, const std::string& path,
                  const nets::NetOptions& options, std::shared_ptr<const Net>* out) {
  auto& nets = engine.impl().nets;
  std::lock_guard<std::mutex> lock(nets.mutex);
  const std::string slot = modelId + "|" + slotKey(path, options);
  const std::string key = slot + mtimeOf(path);
  if (auto it = nets.byKey.find(key); it != nets.byKey.end()) {
    *out = std::static_pointer_cast<const Net>(it->second);
    return Status::ok();
  }
  std::unique_ptr<Net> net;
  if (nets::NetStatus s = Net::load(path, options, &net); !s) {
    return toStatus(s, howToGetModel(engine, modelId));
  }
  std::shared_ptr<const Net> shared(std::move(net));
  // A changed file replaces the copy loaded from its old version.
  for (auto it = nets.byKey.begin(); it != nets.byKey.end();) {
    it = it->first.rfind(slot, 0) == 0 ? nets.byKey.erase(it) : ++it;
  }
  nets.byKey[key] = shared;
  const int count = ++nets.loads[modelId];
  log(LogLevel::Info, modelId + " loaded from " + path + " on " +
                          (options.cuda ? std::string("CUDA") : std::string("CPU")) +
                          (options.half ? " (fp16)" : " (fp32)") + "; net loads of " + modelId +
                          " in this process: " + std::to_string(count));
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

Status loadDiff2LipNet(const Engine& engine, const std::string& modelId, const std::string& path,
                       const nets::NetOptions& options,
                       std::shared_ptr<const nets::Diff2LipNet>* out) {
  return loadCached(engine, modelId, path, options, out);
}

Status loadFommNet(const Engine& engine, const std::string& modelId, const std::string& path,
                   const nets::NetOptions& options, std::shared_ptr<const nets::FommNet>* out) {
  return loadCached(engine, modelId, path, options, out);
}

Status loadGfpganNet(const Engine& engine, const std::string& modelId, const std::string& path,
                     const nets::NetOptions& options, std::shared_ptr<const nets::GfpganNet>* out) {
  return loadCached(engine, modelId, path, options, out);
}

}  // namespace avatar::detail

namespace avatar {

int Engine::netLoadCount(const std::string& modelId) const {
  std::lock_guard<std::mutex> lock(impl_->nets.mutex);
  const auto it = impl_->nets.loads.find(modelId);
  return it == impl_->nets.loads.end() ? 0 : it->second;
}

}  // namespace avatar
