#include "pipeline/backend_choice.h"

#include <map>
#include <set>

#include "options/option_fields.h"

namespace avatar::detail {
namespace {

const BackendAvailability* find(const std::vector<BackendAvailability>& all, BackendRole role,
                                const std::string& id) {
  for (const auto& a : all) {
    if (a.backend.role == role && a.backend.id == id) return &a;
  }
  return nullptr;
}

bool licenceAllows(const RenderOptions& o, const BackendInfo& b) {
  return o.licence != LicencePolicy::Commercial || b.commercialUse;
}

// Why an automatic choice skips `a`, or empty when it can use it.
std::string skipReason(const RenderOptions& o, const BackendAvailability& a) {
  if (!a.backend.implemented) return "not implemented in this build";
  if (!licenceAllows(o, a.backend)) {
    return "licence policy commercial excludes it (" + a.backend.licence + ")";
  }
  if (!a.usable) return a.reason;
  return "";
}

// An explicit choice: the first reason it cannot run is the error.
Status require(const RenderOptions& o, const BackendAvailability* a, const std::string& option,
               const std::string& id) {
  if (!a) return Status::error(ErrorCode::InvalidArgument, option, "unknown backend " + id);
  const BackendInfo& b = a->backend;
  const std::string what = b.name + " (" + toString(b.role) + " backend " + b.id + ")";
  if (!b.implemented) {
    return Status::error(ErrorCode::InvalidArgument, option,
                         what + " is not implemented in this build");
  }
  if (!licenceAllows(o, b)) {
    return Status::error(ErrorCode::InvalidArgument, "licence",
                         "licence policy commercial excludes " + what + ": " + b.licence);
  }
  if (!a->usable) {
    return Status::error(ErrorCode::ModelMissing, b.id, what + " weights: " + a->reason);
  }
  return Status::ok();
}

// Stage options that mean something only with a driver video, and those a
// driver video replaces, whichever backends are chosen.
const std::set<std::string> kNeedDriverVideo = {"driverLoop", "driverMouth", "driverReference",
                                                "fommMovement", "fommScale"};
const std::map<std::string, std::string> kReplacedByDriverVideo = {
    {"blinksPerMinute", "the blinks follow the driver video"}};

// Notes for changed options that no chosen backend honours (table-driven).
void noteIgnoredOptions(const RenderRequest& req, const std::vector<const BackendInfo*>& chosen,
                        std::vector<std::string>* notes) {
  std::set<std::string> honoured, stageOptions;
  for (const BackendInfo& b : backendTable()) {
    for (const auto& f : b.honours) stageOptions.insert(f);
  }
  for (const BackendInfo* b : chosen) {
    for (const auto& f : b->honours) honoured.insert(f);
  }
  const bool driver = !req.driverVideoPath.empty();
  const RenderRequest defaults;
  for (const FieldSpec& f : fieldSpecs()) {
    if (!stageOptions.count(f.name) || f.write(req) == f.write(defaults)) continue;
    if (!driver && kNeedDriverVideo.count(f.name)) {
      notes->push_back(f.name + " ignored: no driver video");
      continue;
    }
    if (auto it = kReplacedByDriverVideo.find(f.name);
        driver && it != kReplacedByDriverVideo.end()) {
      notes->push_back(f.name + " ignored: " + it->second);
      continue;
    }
    if (honoured.count(f.name)) continue;
    std::string by;
    for (const BackendInfo* b : chosen) {
      by += (by.empty() ? "" : ", ") + std::string(toString(b->role)) + " " + b->id;
    }
    notes->push_back(f.name + " ignored: none of the chosen backends (" + by + ") uses it");
  }
}

}  // namespace

Status chooseBackends(const Engine& engine, const RenderRequest& req, BackendChoice* out) {
  const RenderOptions& o = req.options;
  const std::vector<BackendAvailability> all = engine.backends();
  BackendChoice c;

  // Motion: explicit, or auto: FOMM for a driver video when it can run,
  // else the built-in rig (which follows a driver video by tracking).
  if (o.motionBackend == MotionBackend::Fomm) {
    if (Status s = require(o, find(all, BackendRole::Motion, "fomm"), "motionBackend", "fomm");
        !s) {
      return s;
    }
    c.motion = "fomm";
  } else if (o.motionBackend == MotionBackend::Auto && !req.driverVideoPath.empty()) {
    const BackendAvailability* fomm = find(all, BackendRole::Motion, "fomm");
    const std::string why = fomm ? skipReason(o, *fomm) : "not in the backend table";
    if (why.empty()) {
      c.motion = "fomm";
    } else {
      c.notes.push_back("motion fomm not used: " + why +
                        "; the built-in rig follows the driver video");
    }
    c.notes.push_back("motion: " + c.motion + " (auto choice)");
  }

  // Mouth.
  if (o.lipSync != LipSyncBackend::Auto) {
    const std::string id = toString(o.lipSync);
    if (Status s = require(o, find(all, BackendRole::Mouth, id), "lipSync", id); !s) return s;
    c.mouth = id;
  } else {
    for (const auto& a : all) {
      if (a.backend.role != BackendRole::Mouth) continue;
      if (a.backend.slow && o.qualityMode != QualityMode::HighQuality) continue;
      const std::string why = skipReason(o, a);
      if (why.empty()) {
        c.mouth = a.backend.id;
        break;
      }
      c.notes.push_back("mouth " + a.backend.id + " not used: " + why);
    }
    c.notes.push_back("mouth: " + c.mouth + " (auto choice)");
  }

  // Enhancement.
  if (o.enhancer != Enhancer::None) {
    const std::string id = toString(o.enhancer);
    if (o.qualityMode == QualityMode::RealTime) {
      c.notes.push_back("enhancer " + id + " ignored: quality mode real_time never enhances");
    } else {
      if (Status s = require(o, find(all, BackendRole::Enhance, id), "enhancer", id); !s) return s;
      c.enhancer = id;
    }
  }

  std::vector<const BackendInfo*> chosen = {findBackend(BackendRole::Motion, c.motion),
                                            findBackend(BackendRole::Mouth, c.mouth)};
  if (c.enhancer != "none") chosen.push_back(findBackend(BackendRole::Enhance, c.enhancer));
  noteIgnoredOptions(req, chosen, &c.notes);
  *out = std::move(c);
  return Status::ok();
}

}  // namespace avatar::detail
