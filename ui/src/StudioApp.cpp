#include "StudioApp.h"

#include <QApplication>
#include <QSettings>

#include "Icons.h"
#include "Theme.h"
#include "avatar/log.h"

static void initStudioResources() {
  Q_INIT_RESOURCE(avatar_studio);  // resources of a static library must be registered
}

namespace studio {

void prepareApplication() {
  QGuiApplication::setHighDpiScaleFactorRoundingPolicy(
      Qt::HighDpiScaleFactorRoundingPolicy::PassThrough);
  initStudioResources();
}

void configureApplication(const QString& themeOverride) {
  QCoreApplication::setOrganizationName(QStringLiteral("avatar-renderer"));
  QCoreApplication::setOrganizationDomain(QStringLiteral("avatar-renderer.local"));
  QCoreApplication::setApplicationName(QStringLiteral("Avatar Studio"));
  QCoreApplication::setApplicationVersion(QStringLiteral(AVATAR_STUDIO_VERSION));
  QGuiApplication::setApplicationDisplayName(QStringLiteral("Avatar Studio"));
  QGuiApplication::setDesktopFileName(QStringLiteral("avatar-renderer"));
  initStudioResources();
  captureSystemPalette();
  const QString name = themeOverride.isEmpty()
                           ? QSettings().value(QStringLiteral("view/theme")).toString()
                           : themeOverride;
  applyTheme(themeModeFromName(name));
  QApplication::setWindowIcon(appIcon());
}

avatar::Status createEngine(std::shared_ptr<const avatar::Engine>* engine) {
  return avatar::Engine::create(avatar::EngineConfig{}, engine);
}

}  // namespace studio
