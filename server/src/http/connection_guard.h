// ConnectionGuard: what QHttpServer 6.4 does not do for a connection.
//
// QHttpServer buffers whole request bodies without a limit and keeps idle
// connections forever. A guard is attached to every accepted socket before
// QHttpServer sees it; its readyRead slot runs first and peeks (never
// consumes) the bytes of each request head. It then
// - refuses a body over the limit (413), chunked bodies (411), a head over
//   the limit (431), a missing or wrong bearer token (401) BEFORE the body is
//   read: QHttpServer's reader is detached from the socket and the rest of
//   the request is read and discarded, never buffered;
// - answers "Expect: 100-continue" only for requests it accepts;
// - closes connections idle for idleTimeoutMs, requests whose head does not
//   arrive within headerTimeoutMs (408), and bodies that do not arrive within
//   headerTimeoutMs + length / minBodyBytesPerSec (408: a body trickled in a
//   byte at a time cannot hold a connection for long);
// - admits a body only while all bodies admitted and not yet handled stay
//   within maxInflightBodyBytes (503 ServerBusy + Retry-After otherwise);
// - on a connection accepted beyond --max-connections (the few kept for
//   orchestrator probes), serves only /health/* (503 for anything else);
// - remembers keep-alive for the response.
// It relies on QHttpServer 6.4 reading every available byte of an incomplete
// request on each readyRead (qhttpserverrequest.cpp), so the peeked chunks
// add up to the request head.
#pragma once

#include <QByteArray>
#include <QObject>
#include <QTimer>
#include <functional>
#include <string>

#include "http/request_head.h"

class QTcpSocket;

namespace avatar::server {

class Metrics;

struct GuardPolicy {
  qint64 maxUploadBytes = 0;
  qint64 maxJsonBytes = 0;
  int maxHeaderBytes = 0;
  int idleTimeoutMs = 0;
  int headerTimeoutMs = 0;
  std::string token;                                          // empty: no authentication
  std::string uploadPath;                                     // the one route with the upload limit
  std::function<bool(const std::string& path)> isPublicPath;  // no token needed
  qint64 maxInflightBodyBytes = 0;                            // 0: no budget
  qint64 minBodyBytesPerSec = 0;                              // 0: no body deadline
  qint64* inflightBodyBytes = nullptr;  // the budget's counter, shared by every guard
};

// Connections accepted beyond --max-connections for /health/* probes only.
constexpr int kProbeConnections = 4;

class ConnectionGuard : public QObject {
  Q_OBJECT

 public:
  // `httpServer` is the QAbstractHttpServer whose reader gets detached on refusal.
  // probeOnly: a connection accepted beyond the limit, for health probes only.
  ConnectionGuard(QTcpSocket* socket, const GuardPolicy& policy, QObject* httpServer,
                  Metrics* metrics, bool probeOnly = false);
  ~ConnectionGuard() override;
  static ConnectionGuard* of(QTcpSocket* socket);

  // The server got the complete current request: the next bytes are a new request.
  void requestDispatched();
  bool keepAlive() const { return keepAlive_; }
  // A streamed response is in progress (the idle timer then watches writes).
  void setStreaming(bool streaming) { streaming_ = streaming; }

 private:
  enum class State { AwaitHead, PassBody, Draining };
  void onReadyRead();
  void onIdle();
  void onHeadTimeout();
  void onBodyTimeout();
  void releaseBody();
  void inspectHead(qsizetype headEnd);
  void refuse(const char* reason, const std::string& code, const std::string& detail,
              qint64 bodyBytesToDrain);
  void drain();
  qint64 discardAvailable();

  QTcpSocket* socket_;
  const GuardPolicy& policy_;
  QObject* httpServer_;
  Metrics* metrics_;
  State state_ = State::AwaitHead;
  QByteArray head_;
  bool keepAlive_ = true;
  bool streaming_ = false;
  qint64 drainLeft_ = 0;
  bool probeOnly_ = false;
  qint64 bodyReserved_ = 0;  // counted in policy_.inflightBodyBytes
  QTimer idle_;
  QTimer bodyDeadline_;
  QTimer headDeadline_;
  QTimer drainDeadline_;
};

}  // namespace avatar::server
