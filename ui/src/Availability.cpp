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

ChoiceAvailability modelChoice(const avatar::Engine& engine,
                               const std::vector<avatar::ModelInfo>& models, const char* field,
                               const char* choice, const char* modelId) {
  ChoiceAvailability a;
  a.field = QString::fromLatin1(field);
  a.choice = QString::fromLatin1(choice);
  a.available = false;
  for (const auto& m : models) {
    if (m.id != modelId) continue;
    if (m.available()) {
      a.available = true;
      return a;
    }
    QStringList missing;
    for (const auto& f : m.files) {
      if (f.present) continue;
      missing << QDir::toNativeSeparators(fromEnginePath(f.path));
      a.missing << QDir::toNativeSeparators(fromEnginePath(f.relativePath));
    }
    a.label = fromUtf8(m.name);
    a.modelsDir = QDir::toNativeSeparators(fromEnginePath(engine.modelsDir()));
    a.reason = tr("%1 weights are not installed. Put %2 there (%3).")
                   .arg(fromUtf8(m.name), missing.join(QStringLiteral(", ")), fromUtf8(m.howToGet));
    return a;
  }
  a.reason = tr("This build does not know the model \"%1\" (models directory: %2).")
                 .arg(QString::fromLatin1(modelId), fromEnginePath(engine.modelsDir()));
  return a;
}

}  // namespace

std::vector<ChoiceAvailability> choiceAvailability(const avatar::Engine& engine) {
  const auto models = engine.models();
  std::vector<ChoiceAvailability> out;
  out.push_back(modelChoice(engine, models, "lipSync", "wav2lip", "wav2lip"));
  out.push_back(modelChoice(engine, models, "lipSync", "diff2lip", "diff2lip"));
  out.push_back(modelChoice(engine, models, "enhancer", "gfpgan", "gfpgan"));
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
