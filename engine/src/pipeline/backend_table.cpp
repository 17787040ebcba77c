// The backend table (avatar/backends.h). Adding a backend = one row here (and
// its stage factory in backend_factories.cpp once it is implemented).
#include <nlohmann/json.hpp>

#include "avatar/backends.h"
#include "avatar/engine.h"
#include "models/model_registry.h"
#include "pipeline/stage.h"

namespace avatar {
namespace {

const char* kProjectLicence = "Apache-2.0 (this project)";

std::vector<BackendInfo> buildTable() {
  using R = BackendRole;
  std::vector<BackendInfo> t;
  auto row = [&](std::string id, R role, std::string name, std::vector<std::string> models,
                 std::vector<std::string> honours) -> BackendInfo& {
    BackendInfo b;
    b.id = std::move(id);
    b.role = role;
    b.name = std::move(name);
    b.modelIds = std::move(models);
    b.honours = std::move(honours);
    b.licence = kProjectLicence;
    b.commercialUse = true;
    t.push_back(std::move(b));
    return t.back();
  };
  // Motion: both follow a driver video when one is given; FOMM without one
  // moves its keypoints by the built-in motion plan.
  row("fomm", R::Motion, "First-Order Motion Model (driver video or audio-driven keypoints)",
      {"fomm"},
      {"driverVideo", "driverLoop", "driverReference", "fommMovement", "fommScale", "headMotion",
       "motionScale", "blinksPerMinute", "seed"})
      .takesDriverVideo = true;
  row("builtin", R::Motion, "Built-in head motion and blinks (or a driver video's, tracked)", {},
      {"headMotion", "motionScale", "blinksPerMinute", "seed", "driverVideo", "driverLoop",
       "driverReference"})
      .takesDriverVideo = true;
  // Mouth, in the order auto prefers them.
  row("diff2lip", R::Mouth, "Diff2Lip (diffusion lip sync)", {"diff2lip"},
      {"diffusionSteps", "diffusionBatch", "mouthPaste", "seed"});
  row("wav2lip", R::Mouth, "Wav2Lip lip sync", {"wav2lip"}, {"mouthPaste"});
  row("builtin", R::Mouth, "Built-in lips, jaw and mouth interior", {},
      {"mouthGain", "smoothingMs", "visemeMethod", "visemeJson", "driverMouth"});
  // Enhancement (optional: the enhancer option asks for it).
  row("gfpgan", R::Enhance, "GFPGAN v1.4 face restoration", {"gfpgan"}, {"enhancerStrength"});

  // Implemented = this build has its stage factory (backend_factories.cpp).
  for (BackendInfo& b : t) b.implemented = detail::stageFactory(b.role, b.id) != nullptr;
  // Licences of model-backed rows come from the manifest (one place).
  std::vector<ModelInfo> models;
  detail::loadModelRegistry(detail::builtinModelManifest(), "", &models);
  for (BackendInfo& b : t) {
    if (b.modelIds.empty()) continue;
    b.cuda = true;
    b.licence.clear();
    b.commercialUse = true;
    for (const std::string& id : b.modelIds) {
      const ModelInfo* m = detail::findModel(models, id);
      if (!m) {
        b.commercialUse = false;
        continue;
      }
      b.licence += (b.licence.empty() ? "" : "; ") + m->licence;
      b.commercialUse = b.commercialUse && m->commercialUse;
    }
  }
  // diff2lip is a diffusion model: minutes per second of video on a CPU.
  for (BackendInfo& b : t) {
    if (b.role == R::Mouth && b.id == "diff2lip") b.slow = true;
  }
  return t;
}

}  // namespace

const char* toString(BackendRole role) {
  switch (role) {
    case BackendRole::Motion:
      return "motion";
    case BackendRole::Mouth:
      return "mouth";
    case BackendRole::Enhance:
      return "enhance";
  }
  return "mouth";
}

const char* backendRoleOption(BackendRole role) {
  switch (role) {
    case BackendRole::Motion:
      return "motionBackend";
    case BackendRole::Mouth:
      return "lipSync";
    case BackendRole::Enhance:
      return "enhancer";
  }
  return "lipSync";
}

const std::vector<BackendInfo>& backendTable() {
  static const std::vector<BackendInfo> table = buildTable();
  return table;
}

const BackendInfo* findBackend(BackendRole role, const std::string& id) {
  for (const BackendInfo& b : backendTable()) {
    if (b.role == role && b.id == id) return &b;
  }
  return nullptr;
}

std::vector<BackendAvailability> Engine::backends() const {
  const std::vector<ModelInfo> installed = models();
  std::vector<BackendAvailability> out;
  for (const BackendInfo& b : backendTable()) {
    BackendAvailability a;
    a.backend = b;
    std::string missing;
    for (const std::string& id : b.modelIds) {
      const ModelInfo* m = detail::findModel(installed, id);
      if (!m) {
        missing += (missing.empty() ? "" : "; ") + ("model " + id + " is unknown to this build");
        continue;
      }
      if (!a.howToGet.empty() && !m->howToGet.empty()) a.howToGet += "; ";
      a.howToGet += m->howToGet;
      for (const ModelFile& f : m->files) {
        if (f.present) continue;
        a.missingFiles.push_back(f.path);
        a.missingRelativeFiles.push_back(f.relativePath);
        missing += (missing.empty() ? "" : "; ") + f.path + " is missing";
      }
    }
    // Not implemented is said first: no point in fetching weights for it.
    if (!b.implemented) {
      a.reason = b.id + " (" + toString(b.role) + ") is not implemented in this build";
    } else if (!missing.empty()) {
      a.reason = missing + (a.howToGet.empty() ? "" : " (get it with: " + a.howToGet + ")");
    }
    a.usable = a.reason.empty();
    out.push_back(std::move(a));
  }
  return out;
}

std::string backendsToJson(const std::vector<BackendAvailability>& list, int indent) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const BackendAvailability& a : list) {
    const BackendInfo& b = a.backend;
    out.push_back({{"id", b.id},
                   {"role", toString(b.role)},
                   {"name", b.name},
                   {"implemented", b.implemented},
                   {"usable", a.usable},
                   {"reason", a.reason},
                   {"licence", b.licence},
                   {"commercialUse", b.commercialUse},
                   {"cpu", b.cpu},
                   {"cuda", b.cuda},
                   {"takesDriverVideo", b.takesDriverVideo},
                   {"models", b.modelIds},
                   {"honours", b.honours},
                   {"missingFiles", a.missingRelativeFiles},
                   {"howToGet", a.howToGet}});
  }
  return out.dump(indent);
}

std::string backendJsonSchema() {
  using J = nlohmann::ordered_json;
  const J str = {{"type", "string"}};
  const J boolean = {{"type", "boolean"}};
  const J strings = {{"type", "array"}, {"items", str}};
  const J schema = {
      {"type", "object"},
      {"required", {"id", "role", "implemented", "usable"}},
      {"properties",
       {{"id", str},
        {"role", {{"type", "string"}, {"enum", {"motion", "mouth", "enhance"}}}},
        {"name", str},
        {"implemented", {{"type", "boolean"}, {"description", "Part of this build."}}},
        {"usable",
         {{"type", "boolean"}, {"description", "Implemented and every model file installed."}}},
        {"reason", {{"type", "string"}, {"description", "Why not usable (empty when usable)."}}},
        {"licence", str},
        {"commercialUse", boolean},
        {"cpu", boolean},
        {"cuda", boolean},
        {"takesDriverVideo", boolean},
        {"models", strings},
        {"honours", strings},
        {"missingFiles", strings},
        {"howToGet", str}}}};
  return schema.dump();
}

}  // namespace avatar
