// Icons from resources/icons/*.svg, drawn in the current theme's text colour
// ("currentColor" in the SVG) at every size, so they stay sharp on high-DPI
// screens and readable in both themes.
#pragma once

#include <QIcon>
#include <QString>

namespace studio {

QIcon themedIcon(const QString& name);
// The coloured application icon.
QIcon appIcon();
// Call after a theme change: icons are re-coloured on next use.
void clearIconCache();

}  // namespace studio
