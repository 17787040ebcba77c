// Presets: RenderOptions saved as the same JSON the CLI (--preset), REST
// bodies and MCP arguments accept (avatar/options_json.h). Built-in presets
// ship in resources/presets/; the user's live in the app data folder.
#pragma once

#include <QList>
#include <QString>

#include "avatar/options.h"
#include "avatar/status.h"

namespace studio {

struct PresetEntry {
  QString name;  // shown in the menu
  QString path;  // ":/presets/x.json" or a file
  bool builtIn = false;
};

QString userPresetDir();
QList<PresetEntry> availablePresets();

// Applies the preset's fields onto *options (a preset may set only some).
avatar::Status loadPreset(const QString& path, avatar::RenderOptions* options);
// Writes every option (defaults included), camelCase, indented.
avatar::Status savePreset(const QString& path, const avatar::RenderOptions& options);

}  // namespace studio
