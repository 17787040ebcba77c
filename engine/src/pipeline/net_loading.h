// Loading the neural backends for a session: device choice, NetStatus ->
// Status, and the Engine's own copy of each net: loaded lazily on first use,
// kept, and shared by every session and job (GFPGAN is ~350 MB).
#pragma once

#include <memory>
#include <string>

#include "avatar/engine.h"
#include "avatar/options.h"
#include "avatar/status.h"
#include "avatar_nets/diff2lip.h"
#include "avatar_nets/fomm.h"
#include "avatar_nets/nets.h"

namespace avatar::detail {

// CUDA when asked for or (Auto) when present; fp32 unless `half` (CUDA only).
nets::NetOptions netOptionsFor(const Engine& engine, ComputeDevice device, bool half = false);

// Maps a NetStatus onto the engine's error codes: a missing weights file is
// ModelMissing with `howToGet` (the converter command) in the detail; a file
// that is not valid weights is ModelInvalid.
Status toStatus(const nets::NetStatus& s, const std::string& howToGet = "");

// Loads (or reuses the Engine's copy of) the net for a weights
// file. `modelId` names the manifest entry ("wav2lip", "gfpgan") so errors can
// say how to get the file.
Status loadWav2LipNet(const Engine& engine, const std::string& modelId, const std::string& path,
                      const nets::NetOptions& options,
                      std::shared_ptr<const nets::Wav2LipNet>* out);
Status loadDiff2LipNet(const Engine& engine, const std::string& modelId, const std::string& path,
                       const nets::NetOptions& options,
                       std::shared_ptr<const nets::Diff2LipNet>* out);
Status loadFommNet(const Engine& engine, const std::string& modelId, const std::string& path,
                   const nets::NetOptions& options, std::shared_ptr<const nets::FommNet>* out);
Status loadGfpganNet(const Engine& engine, const std::string& modelId, const std::string& path,
                     const nets::NetOptions& options, std::shared_ptr<const nets::GfpganNet>* out);

}  // namespace avatar::detail
