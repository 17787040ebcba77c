#include "http/multipart.h"

#include <QList>

namespace avatar::server {
namespace {

ApiError malformed(const std::string& why) {
  return ApiError::make("MalformedRequest", "body", "malformed multipart/form-data: " + why);
}

// Value of `key` in a header like: form-data; name="avatar"; filename="a.png"
std::optional<QByteArray> headerParam(const QByteArray& header, const QByteArray& key) {
  qsizetype pos = 0;
  while (pos < header.size()) {
    const qsizetype semi = header.indexOf(';', pos);
    const QByteArray item = header.mid(pos, semi < 0 ? -1 : semi - pos).trimmed();
    pos = semi < 0 ? header.size() : semi + 1;
    const qsizetype eq = item.indexOf('=');
    if (eq < 0 || item.left(eq).trimmed().toLower() != key) continue;
    QByteArray value = item.mid(eq + 1).trimmed();
    if (value.size() >= 2 && value.startsWith('"') && value.endsWith('"')) {
      value = value.mid(1, value.size() - 2);
      value.replace("\\\"", "\"");
    }
    return value;
  }
  return std::nullopt;
}

}  // namespace

std::optional<ApiError> parseMultipart(const QByteArray& contentType, const QByteArray& body,
                                       std::vector<FormPart>* parts) {
  const qsizetype semicolon = contentType.indexOf(';');
  const QByteArray mediaType =
      (semicolon < 0 ? contentType : contentType.left(semicolon)).trimmed().toLower();
  if (mediaType != "multipart/form-data") {
    return ApiError::make(
        "UnsupportedMedia", "Content-Type",
        "expected multipart/form-data, got \"" + contentType.toStdString() + "\"");
  }
  const auto boundaryParam = headerParam(contentType, "boundary");
  if (!boundaryParam || boundaryParam->isEmpty() || boundaryParam->size() > 200) {
    return ApiError::make("MalformedRequest", "Content-Type", "multipart boundary missing");
  }
  const QByteArray delimiter = "--" + *boundaryParam;
  qsizetype pos = body.indexOf(delimiter);
  if (pos < 0) return malformed("no boundary in the body");
  for (;;) {
    pos += delimiter.size();
    if (body.mid(pos, 2) == "--") return std::nullopt;  // closing delimiter
    if (body.mid(pos, 2) != "\r\n") return malformed("boundary not followed by CRLF");
    pos += 2;
    const qsizetype headEnd = body.indexOf("\r\n\r\n", pos);
    if (headEnd < 0) return malformed("part without a header block");
    FormPart part;
    bool disposition = false;
    for (const QByteArray& line : body.mid(pos, headEnd - pos).split('\n')) {
      const QByteArray l = line.trimmed();
      const qsizetype colon = l.indexOf(':');
      if (colon <= 0) continue;
      const QByteArray name = l.left(colon).trimmed().toLower();
      const QByteArray value = l.mid(colon + 1).trimmed();
      if (name == "content-disposition") {
        if (!value.toLower().startsWith("form-data")) return malformed("part is not form-data");
        const auto n = headerParam(value, "name");
        if (!n) return malformed("part without a name");
        part.name = n->toStdString();  // any bytes: errors quote it as valid UTF-8
        if (const auto f = headerParam(value, "filename")) {
          part.isFile = true;
          part.filename = f->toStdString();
        }
        disposition = true;
      } else if (name == "content-type") {
        part.contentType = value;
      }
    }
    if (!disposition) return malformed("part without Content-Disposition");
    const qsizetype dataStart = headEnd + 4;
    const qsizetype next = body.indexOf("\r\n" + delimiter, dataStart);
    if (next < 0) return malformed("part \"" + part.name + "\" is not terminated");
    // A view, not a copy: a 60 MB upload is not held twice while it is stored.
    part.data = QByteArray::fromRawData(body.constData() + dataStart, next - dataStart);
    parts->push_back(std::move(part));
    pos = next + 2;
    if (parts->size() > 64) return malformed("more than 64 parts");
  }
}

}  // namespace avatar::server
