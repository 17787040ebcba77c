#include "avatar_nets/runtime.h"

#include <torch/torch.h>
#include <torch/version.h>

namespace avatar::nets {

void setCpuThreads(int threads) {
  if (threads > 0 && torch::get_num_threads() != threads) torch::set_num_threads(threads);
}

int cpuThreads() {
  return torch::get_num_threads();
}

bool cudaAvailable() {
  return torch::cuda::is_available();
}

std::string torchVersion() {
  return TORCH_VERSION;
}

}  // namespace avatar::nets
