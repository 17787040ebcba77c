#include "http/connection_guard.h"

#include <QTcpSocket>
#include <algorithm>
#include <cctype>
#include <iterator>

#include "http/http_message.h"
#include "http/metrics.h"

namespace avatar::server {
namespace {

constexpr int kDrainDeadlineMs = 5000;  // how long a refused body may keep arriving

qsizetype findHeadEnd(const QByteArray& buf) {
  const qsizetype crlf = buf.indexOf("\r\n\r\n");
  const qsizetype lf = buf.indexOf("\n\n");
  if (crlf >= 0 && (lf < 0 || crlf + 2 <= lf)) return crlf + 4;
  if (lf >= 0) return lf + 2;
  return -1;
}

bool allDigits(const QByteArray& s) {
  if (s.isEmpty() || s.size() > 18) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
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

ConnectionGuard::ConnectionGuard(QTcpSocket* socket, const GuardPolicy& policy, QObject* httpServer,
                                 Metrics* metrics)
    : QObject(socket),
      socket_(socket),
      policy_(policy),
      httpServer_(httpServer),
      metrics_(metrics) {
  // Connected before QHttpServer's own reader, so this slot runs first.
  connect(socket, &QTcpSocket::readyRead, this, &ConnectionGuard::onReadyRead);
  connect(socket, &QTcpSocket::bytesWritten, this, [this] { idle_.start(); });
  idle_.setSingleShot(true);
  idle_.setInterval(policy.idleTimeoutMs);
  connect(&idle_, &QTimer::timeout, this, &ConnectionGuard::onIdle);
  idle_.start();
  headDeadline_.setSingleShot(true);
  connect(&headDeadline_, &QTimer::timeout, this, &ConnectionGuard::onHeadTimeout);
  drainDeadline_.setSingleShot(true);
  connect(&drainDeadline_, &QTimer::timeout, this, [this] { socket_->abort(); });
  metrics_->connectionOpened();
}

ConnectionGuard::~ConnectionGuard() {
  metrics_->connectionClosed();
}

ConnectionGuard* ConnectionGuard::of(QTcpSocket* socket) {
  return socket->findChild<ConnectionGuard*>(QString(), Qt::FindDirectChildrenOnly);
}

void ConnectionGuard::requestDispatched() {
  if (state_ == State::PassBody) state_ = State::AwaitHead;
  head_.clear();
}

void ConnectionGuard::onReadyRead() {
  idle_.start();
  if (state_ == State::Draining) return drain();
  if (state_ == State::PassBody) return;
  const qint64 available = socket_->bytesAvailable();
  if (available <= 0) return;
  const qsizetype before = head_.size();
  const qint64 room = qMax<qint64>(policy_.maxHeaderBytes + 4 - before, 1);
  const QByteArray chunk = socket_->peek(qMin(available, room));
  qsizetype skipped = 0;  // QHttpServer skips blank lines between requests too
  if (head_.isEmpty()) {
    while (skipped < chunk.size() && std::isspace(static_cast<unsigned char>(chunk[skipped]))) {
      ++skipped;
    }
  }
  head_ += chunk.mid(skipped);
  const qsizetype end = findHeadEnd(head_);
  if (end >= 0) {
    headDeadline_.stop();
    const qint64 bodyBytesBuffered = available - skipped - (end - before);
    inspectHead(end);
    if (state_ == State::Draining) {
      // Everything buffered now is this request's head and the first body bytes.
      discardAvailable();
      if (drainLeft_ > 0) drainLeft_ = qMax<qint64>(drainLeft_ - bodyBytesBuffered, 0);
      drain();
    }
    return;
  }
  if (head_.size() > policy_.maxHeaderBytes) {
    refuse("header_too_large", "HeaderTooLarge",
           "the request head exceeds " + std::to_string(policy_.maxHeaderBytes) + " bytes", -1);
    drain();
    return;
  }
  if (!head_.isEmpty() && !headDeadline_.isActive()) headDeadline_.start(policy_.headerTimeoutMs);
}

void ConnectionGuard::inspectHead(qsizetype headEnd) {
  const QList<QByteArray> lines = head_.left(headEnd).split('\n');
  head_.clear();
  const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
  if (requestLine.size() != 3 || !requestLine[2].startsWith("HTTP/1.")) {
    return refuse("malformed", "MalformedRequest", "malformed HTTP request line", 0);
  }
  static const QByteArray kMethods[] = {"GET",     "HEAD",  "POST",  "PUT",    "DELETE",
                                        "OPTIONS", "PATCH", "TRACE", "CONNECT"};
  if (std::find(std::begin(kMethods), std::end(kMethods), requestLine[0]) == std::end(kMethods)) {
    // QHttpServer 6.4 would drop the connection without an answer.
    return refuse("malformed", "MethodNotAllowed",
                  "unknown method \"" + requestLine[0].left(32).toStdString() + "\"", 0);
  }
  const bool http11 = requestLine[2] != "HTTP/1.0";
  const QByteArray target = requestLine[1];
  const std::string path =
      target.left(target.indexOf('?') < 0 ? target.size() : target.indexOf('?')).toStdString();
  QByteArray contentLength, transferEncoding, connection, expect, authorization;
  for (qsizetype i = 1; i < lines.size(); ++i) {
    const QByteArray line = lines[i].trimmed();
    const qsizetype colon = line.indexOf(':');
    if (line.isEmpty()) continue;
    if (colon <= 0) return refuse("malformed", "MalformedRequest", "malformed header line", 0);
    const QByteArray name = line.left(colon).trimmed().toLower();
    const QByteArray value = line.mid(colon + 1).trimmed();
    if (name == "content-length") {
      if (!allDigits(value) || (!contentLength.isEmpty() && contentLength != value)) {
        return refuse("malformed", "MalformedRequest", "invalid Content-Length", 0);
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
  keepAlive_ = http11 ? !connection.contains("close") : connection.contains("keep-alive");
  const qint64 length = contentLength.isEmpty() ? 0 : contentLength.toLongLong();
  // A client that waits for 100 Continue sends no body after a refusal.
  const qint64 toDrain = expect.contains("100-continue") ? 0 : length;
  if (!transferEncoding.isEmpty() && transferEncoding != "identity") {
    return refuse("length_required", "LengthRequired",
                  "chunked request bodies are not accepted; send Content-Length", -1);
  }
  if (!policy_.token.empty() && !policy_.isPublicPath(path) &&
      !bearerMatches(authorization, policy_.token)) {
    return refuse("unauthorized", "Unauthorized",
                  "missing or wrong bearer token (send Authorization: Bearer <token>)", toDrain);
  }
  const qint64 limit = path == policy_.uploadPath ? policy_.maxUploadBytes : policy_.maxJsonBytes;
  if (length > limit) {
    return refuse("body_too_large", "PayloadTooLarge",
                  "the request body (" + std::to_string(length) + " bytes) exceeds the limit of " +
                      std::to_string(limit) + " bytes for " + path,
                  toDrain);
  }
  if (expect.contains("100-continue") && length > 0)
    socket_->write("HTTP/1.1 100 Continue\r\n\r\n");
  state_ = State::PassBody;
}

void ConnectionGuard::refuse(const char* reason, const std::string& code, const std::string& detail,
                             qint64 bodyBytesToDrain) {
  metrics_->countRejected(reason);
  // From here on QHttpServer never reads this socket again: nothing is buffered.
  QObject::disconnect(socket_, &QTcpSocket::readyRead, httpServer_, nullptr);
  if (socket_->isTransactionStarted()) socket_->commitTransaction();
  std::vector<std::pair<QByteArray, QByteArray>> extra;
  if (code == "Unauthorized") extra.emplace_back("WWW-Authenticate", "Bearer");
  socket_->write(errorResponseBytes(ApiError::make(code, "", detail), false, std::move(extra)));
  state_ = State::Draining;
  keepAlive_ = false;
  drainLeft_ = bodyBytesToDrain;
  headDeadline_.stop();
  drainDeadline_.start(kDrainDeadlineMs);
}

qint64 ConnectionGuard::discardAvailable() {
  char buffer[64 * 1024];
  qint64 total = 0;
  for (;;) {
    const qint64 n = socket_->read(buffer, sizeof buffer);
    if (n <= 0) return total;
    total += n;
  }
}

void ConnectionGuard::drain() {
  const qint64 n = discardAvailable();
  if (drainLeft_ > 0) drainLeft_ -= qMin(n, drainLeft_);
  // The response is flushed before the close; a client still sending a body
  // of unknown length gets until the drain deadline.
  if (drainLeft_ == 0 && socket_->state() == QAbstractSocket::ConnectedState) {
    socket_->disconnectFromHost();
  }
}

void ConnectionGuard::onIdle() {
  if (streaming_) {
    // A client that stopped reading a download for a whole idle period.
    if (socket_->bytesToWrite() > 0) {
      metrics_->countRejected("timeout");
      socket_->abort();
    } else {
      idle_.start();
    }
    return;
  }
  if (state_ == State::AwaitHead && head_.isEmpty()) {
    socket_->disconnectFromHost();  // an idle keep-alive connection
    return;
  }
  if (state_ == State::Draining) return;
  refuse("timeout", "RequestTimeout", "the request did not arrive in time", 0);
  drain();
}

void ConnectionGuard::onHeadTimeout() {
  if (state_ != State::AwaitHead) return;
  refuse(
      "timeout", "RequestTimeout",
      "the request head did not arrive within " + std::to_string(policy_.headerTimeoutMs) + " ms",
      0);
  drain();
}

}  // namespace avatar::server
