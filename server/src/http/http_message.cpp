#include "http/http_message.h"

#include <QDateTime>
#include <QHttpServerRequest>
#include <QLocale>

#include "avatar/version.h"

namespace avatar::server {

QByteArray HttpRequest::header(const QByteArray& lowerCaseName) const {
  if (!raw) return {};
  for (const auto& [name, value] : raw->headers()) {
    if (name.compare(lowerCaseName, Qt::CaseInsensitive) == 0) return value;
  }
  return {};
}

QByteArray HttpRequest::body() const {
  return raw ? raw->body() : QByteArray();
}

HttpResponse HttpResponse::json(int status, const Json& value) {
  HttpResponse r;
  r.status = status;
  r.body = QByteArray::fromStdString(dumpJson(value, 2));
  r.body.append('\n');
  return r;
}

HttpResponse HttpResponse::error(const ApiError& error) {
  HttpResponse r = json(error.httpStatus(), error.toJson());
  if (error.code == "Unauthorized") r.withHeader("WWW-Authenticate", "Bearer");
  if (r.status == 503) r.withHeader("Retry-After", "5");
  return r;
}

HttpResponse HttpResponse::text(int status, QByteArray contentType, QByteArray body) {
  HttpResponse r;
  r.status = status;
  r.contentType = std::move(contentType);
  r.body = std::move(body);
  return r;
}

HttpResponse& HttpResponse::withHeader(QByteArray name, QByteArray value) {
  headers.emplace_back(std::move(name), std::move(value));
  return *this;
}

QByteArray reasonPhrase(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 200:
      return "OK";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 206:
      return "Partial Content";
    case 302:
      return "Found";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 411:
      return "Length Required";
    case 413:
      return "Content Too Large";
    case 415:
      return "Unsupported Media Type";
    case 416:
      return "Range Not Satisfiable";
    case 422:
      return "Unprocessable Content";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    default:
      return status < 400 ? "OK" : status < 500 ? "Client Error" : "Server Error";
  }
}

namespace {

// IMF-fixdate (RFC 9110), recomputed at most once per second.
QByteArray httpDate() {
  static qint64 cachedSecond = -1;
  static QByteArray cached;
  const QDateTime now = QDateTime::currentDateTimeUtc();
  if (now.toSecsSinceEpoch() != cachedSecond) {
    cachedSecond = now.toSecsSinceEpoch();
    cached =
        QLocale::c().toString(now, QStringLiteral("ddd, dd MMM yyyy hh:mm:ss 'GMT'")).toLatin1();
  }
  return cached;
}

}  // namespace

QByteArray responseHead(const HttpResponse& r, qint64 contentLength, bool keepAlive) {
  static const QByteArray server =
      QByteArrayLiteral("avatar-renderer/") + QByteArray(avatar::versionString());
  QByteArray head;
  head.reserve(256);
  head += "HTTP/1.1 " + QByteArray::number(r.status) + ' ' + reasonPhrase(r.status) + "\r\n";
  head += "Server: " + server + "\r\n";
  head += "Date: " + httpDate() + "\r\n";
  if (!r.contentType.isEmpty()) head += "Content-Type: " + r.contentType + "\r\n";
  head += "Content-Length: " + QByteArray::number(contentLength) + "\r\n";
  head += keepAlive ? "Connection: keep-alive\r\n" : "Connection: close\r\n";
  head += "X-Content-Type-Options: nosniff\r\n";
  bool cacheControl = false;
  for (const auto& [name, value] : r.headers) {
    head += name + ": " + value + "\r\n";
    cacheControl = cacheControl || name.compare("Cache-Control", Qt::CaseInsensitive) == 0;
  }
  if (!cacheControl) head += "Cache-Control: no-store\r\n";
  head += "\r\n";
  return head;
}

QByteArray errorResponseBytes(const ApiError& error, bool keepAlive,
                              std::vector<std::pair<QByteArray, QByteArray>> extra) {
  HttpResponse r = HttpResponse::error(error);
  for (auto& h : extra) r.headers.push_back(std::move(h));
  return responseHead(r, r.body.size(), keepAlive) + r.body;
}

}  // namespace avatar::server
