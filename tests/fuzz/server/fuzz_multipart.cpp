// Fuzz target: a multipart/form-data upload. The first line of the input is
// the Content-Type header, the rest the body. Every part must lie inside the
// body, and every error or part name must render as valid UTF-8 JSON.
#include <cstddef>
#include <cstdint>

#include "fuzz_check.h"
#include "http/multipart.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace avatar::server;
  const QByteArray input(reinterpret_cast<const char*>(data), qsizetype(size));
  const qsizetype newline = input.indexOf('\n');
  const QByteArray contentType = newline < 0 ? input : input.left(newline);
  const QByteArray body = newline < 0 ? QByteArray() : input.mid(newline + 1);
  std::vector<FormPart> parts;
  const auto err = parseMultipart(contentType, body, &parts);
  if (err) checkEmittedJson(err->toJson());
  if (parts.size() > 65) std::abort();
  for (const FormPart& p : parts) {
    if (p.data.size() > 0 && (p.data.constData() < body.constData() ||
                              p.data.constData() + p.data.size() > body.constData() + body.size()))
      std::abort();  // a part outside the body
    checkEmittedJson(ApiError::make("InvalidArgument", p.name, "part " + p.filename).toJson());
  }
  return 0;
}
