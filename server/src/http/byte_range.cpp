#include "http/byte_range.h"

namespace avatar::server {
namespace {

bool parseNumber(const QByteArray& s, qint64* out) {
  if (s.isEmpty() || s.size() > 18) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  *out = s.toLongLong();
  return true;
}

}  // namespace

ByteRange parseByteRange(const QByteArray& header, qint64 size) {
  const ByteRange whole;
  const QByteArray h = header.trimmed();
  if (!h.toLower().startsWith("bytes=") || h.contains(',')) return whole;
  const QByteArray spec = h.mid(6).trimmed();
  const qsizetype dash = spec.indexOf('-');
  if (dash < 0) return whole;
  const QByteArray a = spec.left(dash).trimmed(), b = spec.mid(dash + 1).trimmed();
  qint64 first = 0, last = 0;
  if (a.isEmpty()) {  // suffix: the last N bytes
    if (!parseNumber(b, &last)) return whole;
    if (last == 0 || size == 0) return {ByteRange::Unsatisfiable};
    return {ByteRange::Part, qMax<qint64>(0, size - last), size - 1};
  }
  if (!parseNumber(a, &first)) return whole;
  if (b.isEmpty()) {
    last = size - 1;
  } else if (!parseNumber(b, &last) || last < first) {
    return whole;
  }
  if (first >= size) return {ByteRange::Unsatisfiable};
  return {ByteRange::Part, first, qMin(last, size - 1)};
}

}  // namespace avatar::server
