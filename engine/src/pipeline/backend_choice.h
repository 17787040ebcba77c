// Chooses lip-sync and enhancement backends from the quality mode, the
// explicit choices and the weights that are installed; records why.
#pragma once

#include <string>
#include <vector>

#include "avatar/engine.h"
#include "avatar/options.h"
#include "avatar/status.h"

namespace avatar::detail {

struct BackendChoice {
  std::string lipSync = "still";   // "still", "builtin", "wav2lip", "diff2lip"
  std::string enhancer = "none";   // "none", "gfpgan"
  std::vector<std::string> notes;  // fallbacks, for the job record
};

// Fails with ModelMissing (naming the file and how to get it) when an
// explicitly requested backend's weights are absent.
Status chooseBackends(const Engine& engine, const RenderOptions& options, BackendChoice* out);

}  // namespace avatar::detail
