// LibTorch runtime settings for avatar_nets. No torch headers here: this
// header is included by the engine's non-net code.
#pragma once

#include <string>

namespace avatar::nets {

// Debian's libtorch starts with one intra-op thread; the engine sets it.
void setCpuThreads(int threads);
int cpuThreads();
bool cudaAvailable();
std::string torchVersion();

}  // namespace avatar::nets
