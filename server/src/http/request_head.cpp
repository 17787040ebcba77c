#include "http/request_head.h"

#include <QList>
#include <algorithm>
#include <iterator>

#include "http/connection_guard.h"

namespace avatar::server {
namespace {

bool allDigits(const QByteArray& s) {
  if (s.isEmpty() || s.size() > 18) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

HeadDecision refused(HeadDecision d, const char* reason, std::string code, std::string detail,
                     qint64 drain) {
  d.refusal = HeadRefusal{reason, std::move(code), std::move(detail), drain};
  d.keepAlive = false;
  return d;
}

}  // namespace

bool bearerMatches(const QByteArray& authorization, const std::string& token) {
  const QByteArray a = authorization.trimmed();
  if (a.size() < 7 || a.left(7).toLower() != "bearer ") return false;
  const QByteArray given = a.mid(7).trimmed();
  // Constant time in the token's content (the length is not secret enough to hide).
  unsigned diff = unsigned(given.size() ^ qsizetype(token.size()));
  for (size_t i = 0; i < token.size(); ++i) {
    const char g = i < size_t(given.size()) ? given[qsizetype(i)] : 0;
    diff |= unsigned(g ^ token[i]);
  }
  return diff == 0;
}

qsizetype findHeadEnd(const QByteArray& buf) {
  const qsizetype crlf = buf.indexOf("\r\n\r\n");
  const qsizetype lf = buf.indexOf("\n\n");
  if (crlf >= 0 && (lf < 0 || crlf + 2 <= lf)) return crlf + 4;
  if (lf >= 0) return lf + 2;
  return -1;
}

HeadDecision decideHead(const QByteArray& head, const GuardPolicy& policy,
                        const AdmitContext& ctx) {
  HeadDecision d;
  const QList<QByteArray> lines = head.split('\n');
  const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
  if (requestLine.size() != 3 || !requestLine[2].startsWith("HTTP/1.")) {
    return refused(d, "malformed", "MalformedRequest", "malformed HTTP request line", 0);
  }
  static const QByteArray kMethods[] = {"GET",     "HEAD",  "POST",  "PUT",    "DELETE",
                                        "OPTIONS", "PATCH", "TRACE", "CONNECT"};
  if (std::find(std::begin(kMethods), std::end(kMethods), requestLine[0]) == std::end(kMethods)) {
    // QHttpServer 6.4 would drop the connection without an answer.
    return refused(d, "malformed", "MethodNotAllowed",
                   "unknown method \"" + requestLine[0].left(32).toStdString() + "\"", 0);
  }
  const bool http11 = requestLine[2] != "HTTP/1.0";
  const QByteArray target = requestLine[1];
  d.path = target.left(target.indexOf('?') < 0 ? target.size() : target.indexOf('?')).toStdString();
  QByteArray contentLength, transferEncoding, connection, expect, authorization;
  for (qsizetype i = 1; i < lines.size(); ++i) {
    const QByteArray line = lines[i].trimmed();
    const qsizetype colon = line.indexOf(':');
    if (line.isEmpty()) continue;
    if (colon <= 0) return refused(d, "malformed", "MalformedRequest", "malformed header line", 0);
    const QByteArray name = line.left(colon).trimmed().toLower();
    const QByteArray value = line.mid(colon + 1).trimmed();
    if (name == "content-length") {
      if (!allDigits(value) || (!contentLength.isEmpty() && contentLength != value)) {
        return refused(d, "malformed", "MalformedRequest", "invalid Content-Length", 0);
      }
      contentLength = value;
    } else if (name == "transfer-encoding") {
      transferEncoding = value.toLower();
    } else if (name == "connection") {
      connection = value.toLower();
    } else if (name == "expect") {
      expect = value.toLower();
    } else if (name == "authorization") {
      authorization = value;
    }
  }
  d.keepAlive = http11 ? !connection.contains("close") : connection.contains("keep-alive");
  d.contentLength = contentLength.isEmpty() ? 0 : contentLength.toLongLong();
  d.expectContinue = expect.contains("100-continue");
  // A client that waits for 100 Continue sends no body after a refusal.
  const qint64 toDrain = d.expectContinue ? 0 : d.contentLength;
  if (!transferEncoding.isEmpty() && transferEncoding != "identity") {
    return refused(d, "length_required", "LengthRequired",
                   "chunked request bodies are not accepted; send Content-Length", -1);
  }
  const bool isPublic = policy.isPublicPath && policy.isPublicPath(d.path);
  if (ctx.probeOnly && (!isPublic || d.contentLength > 0)) {
    return refused(d, "too_many_connections", "TooManyConnections",
                   "too many open connections; retry later (this one only serves /health probes)",
                   0);  // not drained: a probe connection is freed at once
  }
  if (!policy.token.empty() && !isPublic && !bearerMatches(authorization, policy.token)) {
    return refused(d, "unauthorized", "Unauthorized",
                   "missing or wrong bearer token (send Authorization: Bearer <token>)", toDrain);
  }
  const qint64 limit = d.path == policy.uploadPath ? policy.maxUploadBytes : policy.maxJsonBytes;
  if (d.contentLength > limit) {
    return refused(d, "body_too_large", "PayloadTooLarge",
                   "the request body (" + std::to_string(d.contentLength) +
                       " bytes) exceeds the limit of " + std::to_string(limit) + " bytes for " +
                       d.path,
                   toDrain);
  }
  if (d.contentLength > 0 && policy.maxInflightBodyBytes > 0 &&
      ctx.inflightBodyBytes + d.contentLength > policy.maxInflightBodyBytes) {
    return refused(d, "busy", "ServerBusy",
                   "the server is receiving too many request bodies at once (" +
                       std::to_string(policy.maxInflightBodyBytes >> 20) +
                       " MiB in flight at most); retry later",
                   toDrain);
  }
  return d;
}

}  // namespace avatar::server
