// HttpRequest / HttpResponse: what route handlers see and return.
// Handlers run on the server's event-loop thread and must answer at once;
// long work goes to the job queue.
#pragma once

#include <QByteArray>
#include <QUrlQuery>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/api_error.h"
#include "core/json.h"

class QHttpServerRequest;

namespace avatar::server {

struct HttpRequest {
  std::string method;  // "GET", "HEAD", "POST", "DELETE", ...
  std::string path;    // decoded, without the query
  QUrlQuery query;
  std::map<std::string, std::string> pathParams;  // {jobId} -> value
  const QHttpServerRequest* raw = nullptr;

  QByteArray header(const QByteArray& lowerCaseName) const;
  QByteArray body() const;
  bool headOnly() const { return method == "HEAD"; }
};

// A file sent as the body (streamed in chunks, never read whole).
struct FileBody {
  std::string path;
  qint64 offset = 0;
  qint64 length = 0;
};

struct HttpResponse {
  int status = 200;
  QByteArray contentType = "application/json";
  QByteArray body;
  std::vector<std::pair<QByteArray, QByteArray>> headers;
  std::optional<FileBody> file;

  static HttpResponse json(int status, const Json& value);
  static HttpResponse error(const ApiError& error);
  static HttpResponse text(int status, QByteArray contentType, QByteArray body);
  HttpResponse& withHeader(QByteArray name, QByteArray value);
};

QByteArray reasonPhrase(int status);
// Status line and headers, ending with the blank line.
QByteArray responseHead(const HttpResponse& response, qint64 contentLength, bool keepAlive);
// A complete error response for use before a request reaches the router.
QByteArray errorResponseBytes(const ApiError& error, bool keepAlive,
                              std::vector<std::pair<QByteArray, QByteArray>> extra = {});

}  // namespace avatar::server
