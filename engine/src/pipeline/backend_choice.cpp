#include "pipeline/backend_choice.h"

#include "core/engine_impl.h"

namespace avatar::detail {
namespace {

// Which backends this build can run. Grows as backends land.
bool backendImplemented(const std::string& id) {
  return false;
}

Status requireModel(const Engine& engine, const std::string& id, const char* what) {
  std::string why;
  if (engine.impl().modelFile(id, 0, &why).empty()) {
    return Status::error(ErrorCode::ModelMissing, id, std::string(what) + " weights: " + why);
  }
  if (!backendImplemented(id)) {
    return Status::error(ErrorCode::InvalidArgument, id,
                         std::string(what) + " backend is not available in this build yet");
  }
  return Status::ok();
}

}  // namespace

Status chooseBackends(const Engine& engine, const RenderOptions& o, BackendChoice* out) {
  BackendChoice c;
  switch (o.lipSync) {
    case LipSyncBackend::Wav2Lip:
      if (Status s = requireModel(engine, "wav2lip", "Wav2Lip lip-sync"); !s) return s;
      c.lipSync = "wav2lip";
      break;
    case LipSyncBackend::Diff2Lip:
      if (Status s = requireModel(engine, "diff2lip", "Diff2Lip lip-sync"); !s) return s;
      c.lipSync = "diff2lip";
      break;
    case LipSyncBackend::Auto:
    case LipSyncBackend::Builtin:
      c.lipSync = "builtin";
      break;
  }
  if (o.enhancer == Enhancer::Gfpgan) {
    if (o.qualityMode == QualityMode::RealTime) {
      c.notes.push_back("enhancer gfpgan ignored: quality mode real_time never enhances");
    } else {
      if (Status s = requireModel(engine, "gfpgan", "GFPGAN enhancer"); !s) return s;
      c.enhancer = "gfpgan";
    }
  }
  *out = std::move(c);
  return Status::ok();
}

}  // namespace avatar::detail
