#include "Icons.h"

#include <QAbstractButton>
#include <QApplication>
#include <QBuffer>
#include <QFile>
#include <QHash>
#include <QImageReader>
#include <QPalette>
#include <QPixmap>
#include <QTabWidget>

namespace studio {
namespace {

QHash<QString, QIcon>& cache() {
  static QHash<QString, QIcon> icons;
  return icons;
}

QPixmap renderSvg(const QByteArray& svg, int size) {
  QByteArray data = svg;
  QBuffer buffer(&data);
  buffer.open(QIODevice::ReadOnly);
  QImageReader reader(&buffer, "svg");
  reader.setScaledSize(QSize(size, size));
  return QPixmap::fromImage(reader.read());
}

QIcon buildIcon(const QString& name, bool coloured) {
  QFile file(QStringLiteral(":/icons/%1.svg").arg(name));
  if (!file.open(QIODevice::ReadOnly)) return {};
  const QByteArray svg = file.readAll();
  const QPalette palette = QApplication::palette();
  const QByteArray normal = palette.color(QPalette::Active, QPalette::WindowText).name().toLatin1();
  const QByteArray disabled =
      palette.color(QPalette::Disabled, QPalette::WindowText).name().toLatin1();
  QIcon icon;
  const auto sizes =
      coloured ? QList<int>{16, 24, 32, 48, 64, 128, 256} : QList<int>{16, 24, 32, 48, 64};
  for (int size : sizes) {
    if (coloured) {
      icon.addPixmap(renderSvg(svg, size));
      continue;
    }
    QByteArray on = svg, off = svg;
    on.replace("currentColor", normal);
    off.replace("currentColor", disabled);
    icon.addPixmap(renderSvg(on, size), QIcon::Normal);
    icon.addPixmap(renderSvg(off, size), QIcon::Disabled);
  }
  return icon;
}

}  // namespace

QIcon themedIcon(const QString& name) {
  auto it = cache().find(name);
  if (it != cache().end()) return *it;
  QIcon icon = buildIcon(name, false);
  cache().insert(name, icon);
  return icon;
}

QIcon appIcon() {
  static const QIcon icon = buildIcon(QStringLiteral("avatar-renderer"), true);
  return icon;
}

void clearIconCache() {
  cache().clear();
}

void setThemedIcon(QAbstractButton* button, const QString& name) {
  button->setProperty("studioIcon", name);
  button->setIcon(themedIcon(name));
}

void setThemedTabIcon(QTabWidget* tabs, int index, const QString& name) {
  QStringList names = tabs->property("studioTabIcons").toStringList();
  while (names.size() <= index) names << QString();
  names[index] = name;
  tabs->setProperty("studioTabIcons", names);
  tabs->setTabIcon(index, themedIcon(name));
}

void refreshThemedIcons() {
  for (QWidget* w : QApplication::allWidgets()) {
    if (auto* button = qobject_cast<QAbstractButton*>(w)) {
      const QString name = button->property("studioIcon").toString();
      if (!name.isEmpty()) button->setIcon(themedIcon(name));
    } else if (auto* tabs = qobject_cast<QTabWidget*>(w)) {
      const QStringList names = tabs->property("studioTabIcons").toStringList();
      for (int i = 0; i < names.size() && i < tabs->count(); ++i) {
        if (!names[i].isEmpty()) tabs->setTabIcon(i, themedIcon(names[i]));
      }
    }
  }
}

}  // namespace studio
