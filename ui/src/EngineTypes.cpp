#include "EngineTypes.h"

#include <QFile>

namespace studio {

QImage toQImage(const avatar::Image& image) {
  if (image.empty()) return {};
  QImage view(image.rgb.data(), image.width, image.height, image.width * 3, QImage::Format_RGB888);
  return view.copy();
}

std::string toEnginePath(const QString& path) {
  return QFile::encodeName(path).toStdString();
}

QString fromEnginePath(const std::string& path) {
  return QFile::decodeName(QByteArray::fromStdString(path));
}

QString fromUtf8(const std::string& text) {
  return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

}  // namespace studio
