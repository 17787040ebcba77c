// LibTorch helpers shared by the nets (internal; includes torch).
#pragma once

#include <map>
#include <string>
#include <unordered_map>

#include <torch/torch.h>

#include "avatar_nets/nets.h"
#include "avatar_nets/weights.h"

namespace avatar::nets::detail {

using TensorMap = std::unordered_map<std::string, torch::Tensor>;

// CUDA present when asked for, fp16 only on CUDA.
NetStatus resolveDevice(const NetOptions& o, torch::Device* device, torch::ScalarType* dtype);

// Reads `path` and checks it against weightSpecs(kind): every key present,
// none unexpected, shapes and dtypes right, values finite. Returns float32
// (and int64) CPU tensors by official key.
NetStatus loadWeights(const std::string& path, NetKind kind, TensorMap* out);

// Runs f, turning LibTorch exceptions into NetStatus (OutOfMemory when the
// allocator says so).
template <typename F>
NetStatus guarded(const std::string& what, F&& f) {
  try {
    return f();
  } catch (const std::exception& e) {
    const std::string msg = e.what();
    const bool oom = msg.find("out of memory") != std::string::npos ||
                     msg.find("CUDA error: out of memory") != std::string::npos ||
                     msg.find("DefaultCPUAllocator: can't allocate") != std::string::npos;
    return NetStatus::error(oom ? NetError::OutOfMemory : NetError::Internal, what,
                            msg.substr(0, msg.find('\n')));
  }
}

// Checks a host input buffer: non-null, finite.
NetStatus checkInput(const char* name, const float* data, size_t count);

// Host floats -> tensor on device/dtype (copies), and back.
torch::Tensor toDevice(const float* data, torch::IntArrayRef shape, torch::Device device,
                       torch::ScalarType dtype);
void toHost(const torch::Tensor& t, float* out);

inline torch::Tensor leaky(const torch::Tensor& x) {
  return torch::leaky_relu(x, 0.2);
}

// Bilinear resize by a factor of 2 (up) or 1/2 (down), align_corners=False.
torch::Tensor resize2x(const torch::Tensor& x, bool up);

}  // namespace avatar::nets::detail
