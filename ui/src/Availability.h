// Which settings choices this installation can run, from the engine's
// backend table (Engine::backends()): a lip-sync backend or enhancer that is
// not in this build, or whose weights are missing, is shown disabled, with
// the reason and the place the files go.
#pragma once

#include <QString>
#include <QStringList>
#include <vector>

#include "avatar/engine.h"

namespace studio {

struct ChoiceAvailability {
  QString field;   // "lipSync", "enhancer", "device"
  QString choice;  // "wav2lip", "gfpgan", "cuda"
  bool available = true;
  bool implemented = true;  // false: declared by the engine, not in this build
  bool commercialUse = true;
  QString licence;
  QString reason;       // why not, and where the weights go
  QString label;        // "Wav2Lip"
  QStringList missing;  // missing files, relative to the models directory
  QString modelsDir;
};

std::vector<ChoiceAvailability> choiceAvailability(const avatar::Engine& engine);

}  // namespace studio
