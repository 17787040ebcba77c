// Icons from resources/icons/*.svg, drawn in the current theme's text colour
// ("currentColor" in the SVG) at every size, so they stay sharp on high-DPI
// screens and readable in both themes.
#pragma once

#include <QIcon>
#include <QString>

class QAbstractButton;
class QTabWidget;

namespace studio {

QIcon themedIcon(const QString& name);
// The coloured application icon.
QIcon appIcon();
// Call after a theme change: icons are re-coloured on next use.
void clearIconCache();

// Sets a themed icon and remembers its name, so refreshThemedIcons() can
// redraw it in the colours of a new theme.
void setThemedIcon(QAbstractButton* button, const QString& name);
void setThemedTabIcon(QTabWidget* tabs, int index, const QString& name);
// Re-colours every icon set through the two functions above.
void refreshThemedIcons();

}  // namespace studio
