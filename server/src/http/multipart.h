// A multipart/form-data parser (RFC 7578) for POST /render-upload.
#pragma once

#include <QByteArray>
#include <optional>
#include <string>
#include <vector>

#include "core/api_error.h"

namespace avatar::server {

struct FormPart {
  std::string name;
  std::string filename;  // empty for plain fields
  bool isFile = false;   // a filename parameter was present
  QByteArray contentType;
  QByteArray data;  // points into the body (QByteArray::fromRawData): no copy
};

// `contentType` is the request's Content-Type header (with the boundary).
// The parts' data share `body`'s bytes: `body` must outlive them unchanged.
// Errors: UnsupportedMedia when it is not multipart/form-data, MalformedRequest
// when the body does not follow the format.
std::optional<ApiError> parseMultipart(const QByteArray& contentType, const QByteArray& body,
                                       std::vector<FormPart>* parts);

}  // namespace avatar::server
