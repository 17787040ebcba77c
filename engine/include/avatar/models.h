// The model files the engine knows: where they go, whether they are present,
// their licences. The list comes from models/manifest.json, built into the engine.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace avatar {

struct ModelFile {
  std::string relativePath;  // under the models directory
  std::string path;          // resolved absolute path
  std::string sha256;        // expected digest (may be empty for converted files)
  bool present = false;
  int64_t sizeBytes = 0;  // on disk, when present
};

struct ModelInfo {
  std::string id;       // "face-api-tiny-face-detector", "wav2lip", ...
  std::string name;     // human-readable
  std::string role;     // "face-detector", "landmarks", "lip-sync", "enhancer", "motion"
  std::string licence;  // SPDX id or short text
  bool commercialUse = false;
  std::string source;    // where the official files come from
  std::string howToGet;  // command that installs or converts the files
  std::vector<ModelFile> files;
  bool available() const;  // every file present
};

}  // namespace avatar
