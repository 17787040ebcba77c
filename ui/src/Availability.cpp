#include "Availability.h"

#include <QCoreApplication>
#include <QDir>
#include <QStringList>

#include "EngineTypes.h"

namespace studio {
namespace {

QString tr(const char* text) {
  return QCoreApplication::translate("studio::Availability", text);
}

}  // namespace

std::vector<ChoiceAvailability> choiceAvailability(const avatar::Engine& engine) {
  std::vector<ChoiceAvailability> out;
  // The engine's backend table: every choice of a settings field that
  // selects a backend (lipSync, enhancer). The built-in ones need nothing.
  for (const auto& b : engine.backends()) {
    if (b.backend.role == avatar::BackendRole::Motion || b.backend.modelIds.empty()) continue;
    ChoiceAvailability a;
    a.field = QString::fromLatin1(avatar::backendRoleOption(b.backend.role));
    a.choice = fromUtf8(b.backend.id);
    a.label = fromUtf8(b.backend.name);
    a.implemented = b.backend.implemented;
    a.available = b.usable;
    a.commercialUse = b.backend.commercialUse;
    a.licence = fromUtf8(b.backend.licence);
    a.modelsDir = QDir::toNativeSeparators(fromEnginePath(engine.modelsDir()));
    for (const auto& f : b.missingRelativeFiles) {
      a.missing << QDir::toNativeSeparators(fromEnginePath(f));
    }
    if (!a.implemented) {
      a.reason = tr("%1 is not part of this build yet.").arg(a.label);
    } else if (!a.available) {
      QStringList missing;
      for (const auto& f : b.missingFiles) missing << QDir::toNativeSeparators(fromEnginePath(f));
      a.reason = tr("%1 weights are not installed. Put %2 there (%3).")
                     .arg(a.label, missing.join(QStringLiteral(", ")), fromUtf8(b.howToGet));
    }
    out.push_back(a);
  }
  ChoiceAvailability cuda;
  cuda.field = QStringLiteral("device");
  cuda.choice = QStringLiteral("cuda");
  cuda.label = QStringLiteral("CUDA");
  cuda.available = engine.cudaAvailable();
  if (!cuda.available) cuda.reason = tr("No CUDA device is available on this computer.");
  out.push_back(cuda);
  return out;
}

}  // namespace studio
