// Chooses one backend per stage from the backend table (avatar/backends.h):
// the explicit choices, the quality mode, the licence policy and what is
// installed. Records why in notes, and notes every changed option that no
// chosen backend honours.
#pragma once

#include <string>
#include <vector>

#include "avatar/engine.h"
#include "avatar/options.h"
#include "avatar/status.h"

namespace avatar::detail {

struct BackendChoice {
  std::string motion = "builtin";  // motion row id
  std::string mouth = "builtin";   // mouth row id: "builtin", "wav2lip", ...
  std::string enhancer = "none";   // "none" or an enhance row id ("gfpgan")
  std::vector<std::string> notes;  // fallbacks and ignored options, for the job record
};

// An explicit choice that cannot run fails, checked in this order: not
// implemented in this build (InvalidArgument naming the option), excluded by
// the licence policy (InvalidArgument, "licence"), weights missing
// (ModelMissing naming the file and how to get it). Motion auto is FOMM for a
// driver video when FOMM can run, else the built-in rig.
Status chooseBackends(const Engine& engine, const RenderRequest& request, BackendChoice* out);

}  // namespace avatar::detail
