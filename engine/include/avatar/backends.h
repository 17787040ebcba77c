// The backend table: every stage implementation the engine knows, in one
// place (engine/src/pipeline/backend_table.cpp). A frame goes through three
// stages, each filled by one backend:
//
//   motion  (builtin head motion and blinks; fomm; both follow a driver video)
//   mouth   (builtin lips and jaw; wav2lip; diff2lip)
//   enhance (gfpgan; optional)
//
// Every consumer reads this table: the CLI's `models`, the `auto` choice,
// the studio's availability and Model Manager, REST /health/ready and
// /models, MCP list_models. Nothing else says which backend needs which file.
#pragma once

#include <string>
#include <vector>

namespace avatar {

enum class BackendRole { Motion, Mouth, Enhance };
const char* toString(BackendRole role);  // "motion", "mouth", "enhance"
// The request field that selects a role's backend: "motionBackend",
// "lipSync", "enhancer".
const char* backendRoleOption(BackendRole role);

struct BackendInfo {
  std::string id;  // unique within its role: "builtin", "wav2lip", "gfpgan", "fomm"
  BackendRole role = BackendRole::Mouth;
  std::string name;                   // human-readable
  std::vector<std::string> modelIds;  // manifest entries it needs (models.h)
  bool implemented = false;           // false: declared, not in this build yet
  std::string licence;                // of the weights (or of this project for built-ins)
  bool commercialUse = false;
  bool cpu = true;                // runs on the CPU
  bool cuda = false;              // runs on CUDA
  bool takesDriverVideo = false;  // follows a driver video when one is given
  bool slow = false;              // auto picks it only in high_quality mode
  // Option fields (renderFieldInfo() names) this backend honours; a changed
  // option that no chosen backend honours gives a note in the result.
  std::vector<std::string> honours;
};

// The table, in preference order within each role (auto tries them in order).
const std::vector<BackendInfo>& backendTable();
// nullptr when unknown.
const BackendInfo* findBackend(BackendRole role, const std::string& id);

// A backend as this installation sees it (Engine::backends()).
struct BackendAvailability {
  BackendInfo backend;
  bool usable = false;                            // implemented and every model file present
  std::string reason;                             // why not usable; empty when usable
  std::vector<std::string> missingFiles;          // absolute paths
  std::vector<std::string> missingRelativeFiles;  // relative to the models directory
  std::string howToGet;                           // the command that installs or converts the files
};

// The one JSON form of a backend list (CLI `models --json`, REST, MCP): an
// array of {id, role, name, implemented, usable, reason, licence,
// commercialUse, cpu, cuda, takesDriverVideo, models, honours, missingFiles,
// howToGet}. `indent` < 0: compact.
std::string backendsToJson(const std::vector<BackendAvailability>& list, int indent = -1);
// The JSON Schema of one element of that array.
std::string backendJsonSchema();

}  // namespace avatar
