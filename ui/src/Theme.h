// Light and dark palettes on the Fusion style; "system" follows the desktop.
//
// Qt 6.4 has no colour-scheme API, so the system preference is read from the
// platform palette captured at start-up, GTK_THEME, and GNOME's color-scheme
// setting. Call captureSystemPalette() right after QApplication is created.
#pragma once

#include <QColor>
#include <QString>

namespace studio {

enum class ThemeMode { System, Light, Dark };

QString themeModeName(ThemeMode mode);  // "system", "light", "dark"
ThemeMode themeModeFromName(const QString& name);

void captureSystemPalette();
bool systemPrefersDark();
// Sets the Fusion style and the palette of `mode`; returns whether it is dark.
bool applyTheme(ThemeMode mode);
// The theme last applied.
bool isDarkTheme();

// Accent colours shared by custom-painted widgets.
QColor accentColor();
QColor waveformColor();
QColor overlayColor();  // face box and landmarks

}  // namespace studio
