// Conversions between engine types (avatar/*.h) and Qt types.
#pragma once

#include <QImage>
#include <QMetaType>
#include <QString>
#include <string>

#include "avatar/image.h"
#include "avatar/options.h"
#include "avatar/status.h"

namespace studio {

// Deep copy of an 8-bit RGB engine image.
QImage toQImage(const avatar::Image& image);
// A path as the engine expects it (local 8-bit encoding) and back.
std::string toEnginePath(const QString& path);
QString fromEnginePath(const std::string& path);
QString fromUtf8(const std::string& text);

}  // namespace studio

Q_DECLARE_METATYPE(avatar::Status)
Q_DECLARE_METATYPE(avatar::RenderOptions)
