#include "Presets.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QStandardPaths>

#include "EngineTypes.h"
#include "avatar/options_json.h"

namespace studio {
namespace {

QString prettyName(const QString& baseName) {
  QString name = baseName;
  name.replace(QLatin1Char('-'), QLatin1Char(' ')).replace(QLatin1Char('_'), QLatin1Char(' '));
  if (!name.isEmpty()) name[0] = name[0].toUpper();
  return name;
}

}  // namespace

QString userPresetDir() {
  return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
         QStringLiteral("/presets");
}

QList<PresetEntry> availablePresets() {
  QList<PresetEntry> out;
  for (const QFileInfo& f :
       QDir(QStringLiteral(":/presets"))
           .entryInfoList({QStringLiteral("*.json")}, QDir::Files, QDir::Name)) {
    out.append({prettyName(f.completeBaseName()), f.filePath(), true});
  }
  for (const QFileInfo& f :
       QDir(userPresetDir()).entryInfoList({QStringLiteral("*.json")}, QDir::Files, QDir::Name)) {
    out.append({prettyName(f.completeBaseName()), f.absoluteFilePath(), false});
  }
  return out;
}

avatar::Status loadPreset(const QString& path, avatar::RenderOptions* options) {
  QFile file(path);
  if (!file.exists()) {
    return avatar::Status::error(avatar::ErrorCode::InputNotFound, toEnginePath(path),
                                 "no such preset file");
  }
  if (!file.open(QIODevice::ReadOnly)) {
    return avatar::Status::error(avatar::ErrorCode::InputNotReadable, toEnginePath(path),
                                 file.errorString().toStdString());
  }
  const QByteArray json = file.readAll();
  avatar::RenderOptions next = *options;
  avatar::Status s =
      avatar::mergeRenderOptions(std::string_view(json.constData(), size_t(json.size())), &next);
  if (!s) return s.addContext("preset " + toEnginePath(QFileInfo(path).fileName()));
  *options = next;
  return s;
}

avatar::Status savePreset(const QString& path, const avatar::RenderOptions& options) {
  QDir().mkpath(QFileInfo(path).absolutePath());
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly)) {
    return avatar::Status::error(avatar::ErrorCode::OutputNotWritable, toEnginePath(path),
                                 file.errorString().toStdString());
  }
  const std::string json = avatar::renderOptionsToJson(options) + "\n";
  file.write(json.data(), qint64(json.size()));
  if (!file.commit()) {
    return avatar::Status::error(avatar::ErrorCode::OutputNotWritable, toEnginePath(path),
                                 file.errorString().toStdString());
  }
  return avatar::Status::ok();
}

}  // namespace studio
