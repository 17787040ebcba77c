#include "torch_util.h"

#include <cmath>
#include <cstring>

namespace avatar::nets::detail {

NetStatus resolveDevice(const NetOptions& o, torch::Device* device, torch::ScalarType* dtype) {
  if (o.cuda) {
    if (!torch::cuda::is_available()) {
      return NetStatus::error(
          NetError::DeviceUnavailable, "cuda",
          "CUDA was asked for but this LibTorch build or machine has no CUDA device");
    }
    if (o.cudaDevice < 0 || o.cudaDevice >= int(torch::cuda::device_count())) {
      return NetStatus::error(NetError::DeviceUnavailable, "cuda",
                              "CUDA device " + std::to_string(o.cudaDevice) + " does not exist (" +
                                  std::to_string(torch::cuda::device_count()) + " present)");
    }
    *device = torch::Device(torch::kCUDA, c10::DeviceIndex(o.cudaDevice));
  } else {
    *device = torch::Device(torch::kCPU);
  }
  if (o.half && !o.cuda) {
    return NetStatus::error(NetError::DeviceUnavailable, "half",
                            "fp16 inference runs on CUDA only; use float32 on the CPU");
  }
  *dtype = o.half ? torch::kHalf : torch::kFloat;
  return NetStatus::ok();
}

NetStatus checkInput(const char* name, const float* data, size_t count) {
  if (!data) return NetStatus::error(NetError::InvalidArgument, name, "no data given");
  for (size_t i = 0; i < count; ++i) {
    if (!std::isfinite(data[i])) {
      return NetStatus::error(NetError::InvalidArgument, name,
                              "holds NaN or infinite values (element " + std::to_string(i) + ")");
    }
  }
  return NetStatus::ok();
}

torch::Tensor toDevice(const float* data, torch::IntArrayRef shape, torch::Device device,
                       torch::ScalarType dtype) {
  torch::Tensor host = torch::empty(shape, torch::kFloat);
  std::memcpy(host.data_ptr<float>(), data, size_t(host.numel()) * sizeof(float));
  return host.to(device, dtype);
}

void toHost(const torch::Tensor& t, float* out) {
  torch::Tensor host = t.to(torch::kCPU, torch::kFloat).contiguous();
  std::memcpy(out, host.data_ptr<float>(), size_t(host.numel()) * sizeof(float));
}

torch::Tensor resize2x(const torch::Tensor& x, bool up) {
  const int64_t h = up ? x.size(2) * 2 : x.size(2) / 2;
  const int64_t w = up ? x.size(3) * 2 : x.size(3) / 2;
  const double s = up ? 2.0 : 0.5;
  return torch::upsample_bilinear2d(x, {h, w}, false, s, s);
}

}  // namespace avatar::nets::detail
