// HTTP Range requests (RFC 9110 section 14) for the video routes.
#pragma once

#include <QByteArray>

namespace avatar::server {

struct ByteRange {
  enum Kind { Whole, Part, Unsatisfiable } kind = Whole;
  qint64 first = 0;  // inclusive, for Part
  qint64 last = 0;   // inclusive, for Part
};

// One range is honoured (bytes=first-last, first-, -suffix; last is clamped
// to the file). A malformed header, another unit or several ranges give
// Whole (a server may ignore Range); a range starting past the end, or an
// empty suffix, gives Unsatisfiable (416).
ByteRange parseByteRange(const QByteArray& header, qint64 size);

}  // namespace avatar::server
