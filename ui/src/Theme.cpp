#include "Theme.h"

#include "Icons.h"

#include <QApplication>
#include <QPalette>
#include <QProcess>
#include <QStyle>
#include <QStyleFactory>

namespace studio {
namespace {

QPalette g_systemPalette;
bool g_captured = false;
bool g_dark = false;

QPalette darkPalette() {
  QPalette p;
  const QColor window(0x1e, 0x20, 0x24), base(0x16, 0x17, 0x1a), text(0xe6, 0xe7, 0xea);
  const QColor button(0x2a, 0x2d, 0x33), mid(0x3a, 0x3d, 0x44), disabled(0x7a, 0x7e, 0x86);
  p.setColor(QPalette::Window, window);
  p.setColor(QPalette::WindowText, text);
  p.setColor(QPalette::Base, base);
  p.setColor(QPalette::AlternateBase, QColor(0x23, 0x25, 0x2a));
  p.setColor(QPalette::ToolTipBase, QColor(0x2f, 0x32, 0x38));
  p.setColor(QPalette::ToolTipText, text);
  p.setColor(QPalette::PlaceholderText, disabled);
  p.setColor(QPalette::Text, text);
  p.setColor(QPalette::Button, button);
  p.setColor(QPalette::ButtonText, text);
  p.setColor(QPalette::BrightText, Qt::white);
  p.setColor(QPalette::Light, QColor(0x45, 0x49, 0x50));
  p.setColor(QPalette::Midlight, mid);
  p.setColor(QPalette::Mid, QColor(0x30, 0x33, 0x39));
  p.setColor(QPalette::Dark, QColor(0x12, 0x13, 0x15));
  p.setColor(QPalette::Shadow, Qt::black);
  p.setColor(QPalette::Highlight, accentColor());
  p.setColor(QPalette::HighlightedText, Qt::white);
  p.setColor(QPalette::Link, QColor(0x8a, 0xb4, 0xf8));
  for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText}) {
    p.setColor(QPalette::Disabled, role, disabled);
  }
  p.setColor(QPalette::Disabled, QPalette::Highlight, mid);
  return p;
}

QPalette lightPalette() {
  QPalette p = QApplication::style() ? QApplication::style()->standardPalette() : QPalette();
  p.setColor(QPalette::Window, QColor(0xf3, 0xf4, 0xf6));
  p.setColor(QPalette::Base, Qt::white);
  p.setColor(QPalette::AlternateBase, QColor(0xf7, 0xf7, 0xf9));
  p.setColor(QPalette::Button, QColor(0xfb, 0xfb, 0xfc));
  p.setColor(QPalette::Highlight, accentColor());
  p.setColor(QPalette::HighlightedText, Qt::white);
  return p;
}

bool gnomePrefersDark() {
  const QString desktop = qEnvironmentVariable("XDG_CURRENT_DESKTOP");
  if (!desktop.contains(QLatin1String("GNOME"), Qt::CaseInsensitive)) return false;
  QProcess gsettings;
  gsettings.start(QStringLiteral("gsettings"),
                  {QStringLiteral("get"), QStringLiteral("org.gnome.desktop.interface"),
                   QStringLiteral("color-scheme")});
  if (!gsettings.waitForFinished(300)) {
    gsettings.kill();
    gsettings.waitForFinished(100);
    return false;
  }
  return QString::fromUtf8(gsettings.readAllStandardOutput()).contains(QLatin1String("dark"));
}

}  // namespace

QString themeModeName(ThemeMode mode) {
  switch (mode) {
    case ThemeMode::Light:
      return QStringLiteral("light");
    case ThemeMode::Dark:
      return QStringLiteral("dark");
    case ThemeMode::System:
      break;
  }
  return QStringLiteral("system");
}

ThemeMode themeModeFromName(const QString& name) {
  if (name == QLatin1String("light")) return ThemeMode::Light;
  if (name == QLatin1String("dark")) return ThemeMode::Dark;
  return ThemeMode::System;
}

void captureSystemPalette() {
  if (g_captured) return;
  g_systemPalette = QGuiApplication::palette();
  g_captured = true;
}

bool systemPrefersDark() {
  const QString gtk = qEnvironmentVariable("GTK_THEME");
  if (gtk.contains(QLatin1String("dark"), Qt::CaseInsensitive)) return true;
  if (g_captured) {
    const QColor window = g_systemPalette.color(QPalette::Window);
    const QColor text = g_systemPalette.color(QPalette::WindowText);
    if (window.lightness() < text.lightness()) return true;
  }
  return gnomePrefersDark();
}

bool applyTheme(ThemeMode mode) {
  captureSystemPalette();
  const bool dark = mode == ThemeMode::Dark || (mode == ThemeMode::System && systemPrefersDark());
  // Re-creating the style re-polishes (and re-lays out) every widget: only once.
  const QStyle* current = QApplication::style();
  if (!current || current->name().compare(QLatin1String("fusion"), Qt::CaseInsensitive) != 0) {
    if (QStyle* fusion = QStyleFactory::create(QStringLiteral("Fusion"))) {
      QApplication::setStyle(fusion);
    }
  }
  g_dark = dark;
  clearIconCache();  // icons are drawn in the palette's text colour
  QApplication::setPalette(dark ? darkPalette() : lightPalette());
  refreshThemedIcons();
  return dark;
}

bool isDarkTheme() {
  return g_dark;
}

QColor accentColor() {
  return QColor(0x5b, 0x6c, 0xf0);
}

QColor waveformColor() {
  return g_dark ? QColor(0x7f, 0x9c, 0xff) : QColor(0x3f, 0x5b, 0xd8);
}

QColor overlayColor() {
  return QColor(0x2e, 0xe6, 0xa6);
}

}  // namespace studio
