// Engine internals shared by the pipeline (not a public header).
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "avatar/engine.h"

namespace avatar {

struct Engine::Impl {
  EngineConfig config;
  std::string modelsDir;  // resolved, absolute
  int cpuThreads = 1;     // resolved
  bool cuda = false;

  // Path of a model's first file, or empty with *why set when not installed.
  std::string modelFile(const std::string& id, size_t fileIndex, std::string* why) const;
};

}  // namespace avatar
