#include "http/connection_guard.h"

#include <QTcpSocket>
#include <algorithm>
#include <cctype>
#include <climits>

#include "http/http_message.h"
#include "http/metrics.h"
#include "http/request_head.h"

namespace avatar::server {
namespace {

constexpr int kDrainDeadlineMs = 5000;  // how long a refused body may keep arriving
constexpr int kProbeHeadTimeoutMs = 2000;

}  // namespace

ConnectionGuard::ConnectionGuard(QTcpSocket* socket, const GuardPolicy& policy, QObject* httpServer,
                                 Metrics* metrics, bool probeOnly)
    : QObject(socket),
      socket_(socket),
      policy_(policy),
      httpServer_(httpServer),
      metrics_(metrics),
      probeOnly_(probeOnly) {
  // Connected before QHttpServer's own reader, so this slot runs first.
  connect(socket, &QTcpSocket::readyRead, this, &ConnectionGuard::onReadyRead);
  connect(socket, &QTcpSocket::bytesWritten, this, [this] { idle_.start(); });
  idle_.setSingleShot(true);
  idle_.setInterval(policy.idleTimeoutMs);
  connect(&idle_, &QTimer::timeout, this, &ConnectionGuard::onIdle);
  idle_.start();
  headDeadline_.setSingleShot(true);
  connect(&headDeadline_, &QTimer::timeout, this, &ConnectionGuard::onHeadTimeout);
  bodyDeadline_.setSingleShot(true);
  connect(&bodyDeadline_, &QTimer::timeout, this, &ConnectionGuard::onBodyTimeout);
  drainDeadline_.setSingleShot(true);
  connect(&drainDeadline_, &QTimer::timeout, this, [this] { socket_->abort(); });
  metrics_->connectionOpened();
}

ConnectionGuard::~ConnectionGuard() {
  releaseBody();
  metrics_->connectionClosed();
}

void ConnectionGuard::releaseBody() {
  if (bodyReserved_ > 0 && policy_.inflightBodyBytes) *policy_.inflightBodyBytes -= bodyReserved_;
  bodyReserved_ = 0;
  bodyDeadline_.stop();
}

ConnectionGuard* ConnectionGuard::of(QTcpSocket* socket) {
  return socket->findChild<ConnectionGuard*>(QString(), Qt::FindDirectChildrenOnly);
}

void ConnectionGuard::requestDispatched() {
  // The body is complete (QHttpServer dispatches only then) and is handled
  // synchronously right after this call: it leaves the budget.
  releaseBody();
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
  if (!head_.isEmpty() && !headDeadline_.isActive()) {
    headDeadline_.start(probeOnly_ ? std::min(policy_.headerTimeoutMs, kProbeHeadTimeoutMs)
                                   : policy_.headerTimeoutMs);
  }
}

void ConnectionGuard::inspectHead(qsizetype headEnd) {
  AdmitContext ctx;
  ctx.probeOnly = probeOnly_;
  ctx.inflightBodyBytes = policy_.inflightBodyBytes ? *policy_.inflightBodyBytes : 0;
  const HeadDecision d = decideHead(head_.left(headEnd), policy_, ctx);
  head_.clear();
  keepAlive_ = d.keepAlive && !probeOnly_;
  if (d.refusal) {
    return refuse(d.refusal->reason, d.refusal->code, d.refusal->detail,
                  d.refusal->bodyBytesToDrain);
  }
  if (d.contentLength > 0) {
    bodyReserved_ = d.contentLength;
    if (policy_.inflightBodyBytes) *policy_.inflightBodyBytes += bodyReserved_;
    if (policy_.minBodyBytesPerSec > 0) {
      const double ms =
          policy_.headerTimeoutMs + double(d.contentLength) * 1000.0 / policy_.minBodyBytesPerSec;
      bodyDeadline_.start(int(std::min(ms, double(INT32_MAX))));
    }
  }
  if (d.expectContinue && d.contentLength > 0) socket_->write("HTTP/1.1 100 Continue\r\n\r\n");
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
  releaseBody();
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

void ConnectionGuard::onBodyTimeout() {
  if (state_ != State::PassBody) return;
  refuse("timeout", "RequestTimeout",
         "the request body did not arrive in time (at least " +
             std::to_string(policy_.minBodyBytesPerSec) + " bytes per second are expected)",
         0);
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
