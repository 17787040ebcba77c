// The models the engine knows, read from models/manifest.json (built in).
#pragma once

#include <string>
#include <vector>

#include "avatar/models.h"
#include "avatar/status.h"

namespace avatar::detail {

// The manifest text compiled into the engine.
const char* builtinModelManifest();

// Parses the manifest and resolves files against `modelsDir` (absolute paths
// in the manifest stay as they are). Checks presence and size on disk; does
// not hash (see verifyModelFiles).
Status loadModelRegistry(const std::string& manifestJson, const std::string& modelsDir,
                         std::vector<ModelInfo>* out);

// Finds a model by id; nullptr when unknown.
const ModelInfo* findModel(const std::vector<ModelInfo>& models, const std::string& id);

}  // namespace avatar::detail
