// Application-wide set-up shared by the studio, its tests, the screenshot
// tool and the benchmarks.
#pragma once

#include <QString>
#include <memory>

#include "avatar/engine.h"
#include "avatar/status.h"

namespace studio {

// Before the QApplication exists: high-DPI policy, resource registration.
void prepareApplication();
// After: names (QSettings location), window icon, the theme saved in
// QSettings (or `themeOverride`: "system", "light", "dark").
void configureApplication(const QString& themeOverride = QString());
// The engine with the default configuration (models from AVATAR_MODELS_DIR...).
avatar::Status createEngine(std::shared_ptr<const avatar::Engine>* engine);

}  // namespace studio
